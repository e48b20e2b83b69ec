// Fixing the machine's mistakes: the same clip uploaded twice (with "Create profiles") gives a
// person per video; split into two profiles, they are merged again from a profile's page, one
// person is taken out with "Not this person" and put back from the People page with
// "Assign to…". Then the Profiles page's name search, a card's link and Hide / Unhide.
// The tests share the videos and the profile and run in order; everything is deleted at the
// end, so that later tests find no profile of this clip.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  BASE_URL, PROCESSING_TIMEOUT, eventually, openPage as openBrowser, video,
} from './support.mjs';

const CLIP = 'carphone_pristine.mp4';
const NAME_KEPT = 'Первов Иван Петрович';
const NAME_MERGED = 'Второв Пётр Сергеевич';

/** What the first test made, used by the others. */
const shared = { videos: [], keep: null, person: null };

after(async () => {
  if (shared.keep) await fetch(`${BASE_URL}/api/profiles/${shared.keep}`, { method: 'DELETE' });
  for (const id of shared.videos) await fetch(`${BASE_URL}/api/videos/${id}`, { method: 'DELETE' });
});

/** JSON of a REST call, checking the status. */
async function api(path, { method = 'GET', body, status = 200 } = {}) {
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, status, `${method} ${path}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Upload the clip with "Create profiles" and wait until it is processed. */
async function uploadAndProcess() {
  const form = new FormData();
  form.append('create_profiles', 'true');
  form.append('files', new Blob([fs.readFileSync(video(CLIP))], { type: 'video/mp4' }), CLIP);
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const [created] = await res.json();
  shared.videos.push(created.id);
  await eventually(async () => {
    const v = await api(`/api/videos/${created.id}`);
    assert.ok(!['failed', 'cancelled'].includes(v.status), `video ${v.status}: ${v.error}`);
    return v.status === 'done';
  }, { timeout: PROCESSING_TIMEOUT, interval: 250, message: `${CLIP} processed` });
  return created.id;
}

/** Every profile, hidden ones too. */
async function allProfiles() {
  const all = [];
  for (let offset = 0; ; offset += 100) {
    const { items, total } = await api(`/api/profiles?limit=100&offset=${offset}&hidden=true`);
    all.push(...items);
    if (offset + 100 >= total || items.length === 0) return all;
  }
}

/** The profile that has a person in video `videoId`, and that person. */
async function owner(videoId) {
  const profile = (await allProfiles()).find((p) => p.videos.some((v) => v.video_id === videoId));
  assert.ok(profile, `a profile with video ${videoId}`);
  const { items } = await api(`/api/profiles/${profile.id}/people?limit=500`);
  const person = items.find((p) => p.video_id === videoId);
  assert.ok(person, `the person of video ${videoId}`);
  return { profile, person };
}

/** A browser page whose panics (console errors) fail the test at its end. */
async function openPage(t) {
  const page = await openBrowser(t);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text().split('\n').slice(0, 2).join(' ')); });
  t.after(() => assert.deepEqual(errors, [], 'no errors in the browser console'));
  return page;
}

const videoIds = (profile) => profile.videos.map((v) => v.video_id);

/** Open a profile's page and wait until the browser has taken it over and shows its people. */
async function openProfile(page, id) {
  await page.goto(`${BASE_URL}/profiles/${id}`);
  await page.locator('[data-testid="profile-page"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('profile-hero').waitFor({ timeout: 15_000 });
  await page.locator('[data-testid="gallery"] [data-testid="person"]').first().waitFor({ timeout: 15_000 });
}

test('two profiles of one person are merged from the profile page, then a person is taken out', async (t) => {
  const first = await uploadAndProcess();
  const second = await uploadAndProcess();

  // The second run of the clip usually joins the first one's profile: split it off.
  let kept = await owner(first);
  let other = await owner(second);
  if (kept.profile.id === other.profile.id) {
    const made = await api(`/api/people/${other.person.id}/profile`, { method: 'POST', status: 201 });
    other = await owner(second);
    assert.equal(other.profile.id, made.id);
    kept = await owner(first);
  }
  assert.notEqual(kept.profile.id, other.profile.id);
  assert.ok(!videoIds(kept.profile).includes(second));
  shared.keep = kept.profile.id;
  shared.person = other.person.id;
  await api(`/api/profiles/${kept.profile.id}`, { method: 'PATCH', body: { full_name: NAME_KEPT } });
  await api(`/api/profiles/${other.profile.id}`, { method: 'PATCH', body: { full_name: NAME_MERGED } });
  const countBefore = (await allProfiles()).length;
  const videosBefore = kept.profile.videos.length;

  // Merge from the kept profile's page: the look-alike is offered; it is picked by name.
  const page = await openPage(t);
  const csp = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()); });
  await openProfile(page, kept.profile.id);
  assert.equal((await page.getByTestId('profile-name').textContent()).trim(), NAME_KEPT);
  await page.getByTestId('merge-with').click();
  await page.locator(`[data-testid="merge-candidate"][data-id="${other.profile.id}"]`).waitFor({ timeout: 15_000 });
  await page.getByTestId('picker-input').fill('второв');
  const pick = page.locator(`[data-testid="pick"][data-id="${other.profile.id}"]`);
  await pick.waitFor({ timeout: 15_000 });
  assert.equal(await page.locator(`[data-testid="pick"][data-id="${kept.profile.id}"]`).count(), 0, 'not offered to itself');
  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  const merged = page.waitForResponse((r) => r.url().endsWith(`/api/profiles/${kept.profile.id}/merge`));
  await pick.getByTestId('pick-button').click();
  assert.equal((await merged).status(), 200);
  assert.match(asked, new RegExp(NAME_MERGED));
  await page.getByTestId('action-done').waitFor();

  // The API: one profile fewer, the kept one has both videos.
  assert.equal((await fetch(`${BASE_URL}/api/profiles/${other.profile.id}`)).status, 404);
  const afterMerge = await api(`/api/profiles/${kept.profile.id}`);
  assert.ok(videoIds(afterMerge).includes(first) && videoIds(afterMerge).includes(second));
  assert.equal(afterMerge.videos.length, videosBefore + 1);
  assert.equal((await allProfiles()).length, countBefore - 1);

  // The page reloaded its parts: the second video's person is in the gallery now.
  const person = page.locator(`[data-testid="gallery"] [data-testid="person"][data-id="${other.person.id}"]`);
  await person.waitFor({ timeout: 15_000 });
  assert.ok((await person.getByTestId('person-video').getAttribute('href')).startsWith(`/videos/${second}?t=`));

  // "Not this person": unassigned, and the profile has one video fewer.
  const moved = page.waitForResponse((r) => r.url().endsWith(`/api/people/${other.person.id}/profile`));
  await person.getByTestId('not-this-person').click();
  assert.equal((await moved).status(), 200);
  await person.waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal((await api(`/api/people/${other.person.id}`)).profile_id, null);
  const afterMove = await api(`/api/profiles/${kept.profile.id}`);
  assert.equal(afterMove.videos.length, afterMerge.videos.length - 1);
  assert.ok(!videoIds(afterMove).includes(second));

  // Both changes are in the page's history.
  await page.locator('[data-testid="history-entry"][data-action="person.move"]').first().waitFor({ timeout: 15_000 });
  assert.ok(await page.locator('[data-testid="history-entry"][data-action="profile.merge"]').count() >= 1);
  assert.deepEqual(csp, [], 'no Content-Security-Policy violations');
});

test('an unassigned person is put back from the People page', async (t) => {
  assert.ok(shared.keep && shared.person, 'needs the profile and person of the first test');
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/`);
  await page.getByRole('link', { name: 'People', exact: true }).click();
  await page.waitForURL(`${BASE_URL}/people`);
  await page.locator('[data-testid="people-page"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const person = page.locator(`[data-testid="person"][data-id="${shared.person}"]`);
  await person.waitFor({ timeout: 15_000 });
  assert.ok((await person.getByTestId('person-crop').getAttribute('src')).includes(shared.person));

  await person.getByTestId('assign-to').click();
  await person.getByTestId('picker-input').fill('Первов');
  const pick = person.locator(`[data-testid="pick"][data-id="${shared.keep}"]`);
  await pick.waitFor({ timeout: 15_000 });
  const assigned = page.waitForResponse((r) => r.url().endsWith(`/api/people/${shared.person}/profile`));
  await pick.getByTestId('pick-button').click();
  assert.equal((await assigned).status(), 200);
  await person.waitFor({ state: 'detached', timeout: 15_000 });
  assert.equal(await page.getByTestId('action-done-link').getAttribute('href'), `/profiles/${shared.keep}`);
  assert.equal((await api(`/api/people/${shared.person}`)).profile_id, shared.keep);
  const profile = await api(`/api/profiles/${shared.keep}`);
  assert.ok(videoIds(profile).includes(shared.videos[1]));
});

test('the Profiles page finds a profile by name, links to it, and hides it', async (t) => {
  assert.ok(shared.keep, 'needs the profile of the first test');
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/profiles`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  await page.getByTestId('profile-search').fill('пЕРВОВ');
  await page.getByTestId('profile-search-go').click();
  await page.waitForURL((url) => url.searchParams.get('q') === 'пЕРВОВ');
  const cards = page.getByTestId('profile-card');
  await eventually(async () => (await cards.count()) === 1
    && (await cards.first().getAttribute('data-id')) === shared.keep, { message: 'one card found by name' });

  // The card links to the profile's page.
  await cards.first().getByTestId('profile-link').click();
  await page.waitForURL(`${BASE_URL}/profiles/${shared.keep}`);
  await openProfile(page, shared.keep);

  // Hidden: left out of the list unless "Show hidden" is ticked.
  await page.getByTestId('toggle-hidden').click();
  await page.locator('[data-testid="profile-hero"][data-hidden="true"]').waitFor({ timeout: 15_000 });
  assert.equal((await api(`/api/profiles/${shared.keep}`)).hidden, true);
  const listed = async (query) => {
    const { items } = await api(`/api/profiles?q=${encodeURIComponent(NAME_KEPT)}${query}`);
    return items.some((p) => p.id === shared.keep);
  };
  assert.equal(await listed(''), false);
  assert.equal(await listed('&hidden=true'), true);
  await page.goto(`${BASE_URL}/profiles?q=${encodeURIComponent('Первов')}`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator(`[data-testid="profile-card"][data-id="${shared.keep}"]`).count(), 0);
  await page.getByTestId('show-hidden').check();
  await page.waitForURL((url) => url.searchParams.get('hidden') === 'true');
  const card = page.locator(`[data-testid="profile-card"][data-id="${shared.keep}"]`);
  await card.waitFor({ timeout: 15_000 });
  await card.getByTestId('profile-hidden').waitFor();

  // Unhide from its page.
  await openProfile(page, shared.keep);
  await page.getByTestId('toggle-hidden').click();
  await page.locator('[data-testid="profile-hero"][data-hidden="false"]').waitFor({ timeout: 15_000 });
  assert.equal((await api(`/api/profiles/${shared.keep}`)).hidden, false);
});
