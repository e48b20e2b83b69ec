// The watch list in the browser: a profile is put on it from its page, the same person turns
// up in a new video, and a notice appears on the open page (SSE `alert`) without a reload;
// Acknowledge puts it away, also for the next page load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { BASE_URL, PROCESSING_TIMEOUT, eventually, openPage, video } from './support.mjs';

/** Uploads carphone through the API and waits until it is done; returns its id. */
async function processCarphone(createProfiles) {
  const form = new FormData();
  const bytes = fs.readFileSync(video('carphone_pristine.mp4'));
  form.append('files', new Blob([bytes]), 'carphone_pristine.mp4');
  form.append('create_profiles', String(createProfiles));
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const [created] = await res.json();
  await eventually(async () => {
    const v = await (await fetch(`${BASE_URL}/api/videos/${created.id}`)).json();
    return v.status === 'done';
  }, { timeout: PROCESSING_TIMEOUT, message: 'carphone done' });
  return created.id;
}

test('a watched profile seen in a new video raises a notice that Acknowledge puts away', async (t) => {
  const made = { videos: [], profile: null };
  t.after(async () => {
    if (made.profile) await fetch(`${BASE_URL}/api/profiles/${made.profile}`, { method: 'DELETE' });
    for (const id of made.videos) await fetch(`${BASE_URL}/api/videos/${id}`, { method: 'DELETE' });
  });
  made.videos.push(await processCarphone(true));
  const profiles = await (await fetch(`${BASE_URL}/api/profiles?limit=1000`)).json();
  made.profile = profiles.items.find((p) => p.videos.some((v) => v.video_id === made.videos[0]))?.id;
  assert.ok(made.profile, 'carphone made a profile');

  // Watch it from its page.
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/profiles/${made.profile}`);
  await page.locator('[data-testid="profile-page"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('toggle-watch').click();
  await page.getByTestId('profile-watched').waitFor();
  const watched = await (await fetch(`${BASE_URL}/api/profiles/${made.profile}`)).json();
  assert.equal(watched.watch, true);

  // The same person in a new video: the open page shows the notice, live.
  made.videos.push(await processCarphone(true));
  const notice = page.getByTestId('alert');
  await notice.waitFor({ timeout: 30_000 });
  assert.match(await notice.innerText(), /carphone_pristine\.mp4/);
  const alertId = await notice.getAttribute('data-id');

  await notice.getByTestId('acknowledge-alert').click();
  await eventually(async () => (await page.getByTestId('alert').count()) === 0,
    { message: 'the notice gone' });
  await eventually(async () => {
    const page1 = await (await fetch(`${BASE_URL}/api/alerts`)).json();
    return page1.items.find((a) => a.id === alertId)?.acknowledged_at;
  }, { message: 'the alert acknowledged on the server' });
  await page.reload();
  await page.locator('[data-testid="profile-page"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('profile-watched').waitFor();
  // The notices load after hydration: give them the time a list request takes.
  await page.waitForLoadState('networkidle');
  assert.equal(await page.getByTestId('alert').count(), 0, 'an acknowledged alert stays away');
});
