// Profiles: a video uploaded with "Create profiles" gives one profile per person; the card
// is edited with inline validation (the shared newtypes in the browser, the server's own
// messages when it disagrees), persists, and is deleted with its crop. Also the video page.
// The tests share one profile and run in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  BASE_URL, PROCESSING_TIMEOUT, eventually, openPage, openVideosPage, row, uploadThroughInput, video,
} from './support.mjs';

/** The profile and video made by the first test, used by the others. */
const shared = { profileId: null, videoId: null };

const card = (page, id) => page.locator(`[data-testid="profile-card"][data-id="${id}"]`);
const field = (c, name) => c.getByTestId(`field-${name}`);
const fieldError = (c, name) => c.getByTestId(`error-${name}`);

/** Load the profiles page and wait until the browser has taken it over. */
async function openProfilesPage(page, query = '') {
  await page.goto(`${BASE_URL}/profiles${query}`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
}

/** Count requests to the save server function, to prove that invalid forms send nothing. */
function countSaves(page) {
  const counter = { n: 0 };
  page.on('request', (r) => { if (r.url().includes('/rpc/save_profile')) counter.n += 1; });
  return counter;
}

/** Every profile id the server has now. */
async function profileIds() {
  const ids = new Set();
  for (let offset = 0; ; offset += 100) {
    const res = await fetch(`${BASE_URL}/api/profiles?limit=100&offset=${offset}`);
    assert.equal(res.status, 200);
    const { items, total } = await res.json();
    items.forEach((p) => ids.add(p.id));
    if (offset + 100 >= total || items.length === 0) return ids;
  }
}

/** `YYYY-MM-DD` of a date, in the local calendar like `<input type=date>`. */
const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

test('a video uploaded with "Create profiles" becomes one profile that is edited with inline validation', async (t) => {
  const before = await profileIds();
  const page = await openPage(t);
  await openVideosPage(page);

  await page.getByTestId('create-profiles').check();
  const [created] = await uploadThroughInput(page, video('carphone_pristine.mp4'));
  assert.equal(created.create_profiles, true);
  shared.videoId = created.id;
  const r = row(page, created.id);
  await r.waitFor();
  await eventually(async () => (await r.getAttribute('data-status')) === 'done',
    { timeout: PROCESSING_TIMEOUT, message: 'carphone done' });
  await eventually(async () => (await r.getByTestId('people-count').getAttribute('data-value')) === '1',
    { timeout: 15_000, message: 'people count 1' });
  assert.equal((await r.getByTestId('people-count').textContent()).trim(), '1');

  // The Profiles page has exactly one new card, showing the video it comes from.
  await page.getByRole('link', { name: 'Profiles', exact: true }).click();
  await page.waitForURL(`${BASE_URL}/profiles`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const cards = page.getByTestId('profile-card');
  const ids = await cards.evaluateAll((els) => els.map((e) => e.dataset.id));
  const fresh = ids.filter((id) => !before.has(id));
  assert.equal(fresh.length, 1, `new cards: ${fresh}`);
  const id = fresh[0];
  shared.profileId = id;
  const c = card(page, id);
  assert.equal((await c.getByTestId('profile-name').textContent()).trim(), 'Unnamed person');
  assert.match(await page.getByTestId('profiles-total').textContent(), /^Showing 1–\d+ of \d+$/);

  const link = c.getByTestId('profile-video-link');
  assert.equal((await link.textContent()).trim(), 'carphone_pristine.mp4');
  assert.ok((await link.getAttribute('href')).startsWith(`/videos/${created.id}`));
  assert.match(await c.locator('.profile-videos').textContent(), /0:00–0:04/);

  const img = c.locator('img[data-testid="profile-crop"]');
  assert.equal(await img.getAttribute('src'), `/api/profiles/${id}/crop`);
  assert.equal(await img.getAttribute('loading'), 'lazy');
  await img.scrollIntoViewIfNeeded();
  await eventually(() => img.evaluate((el) => el.complete && el.naturalWidth > 0),
    { timeout: 10_000, message: 'crop image loaded' });

  // Bad values are caught in the browser, under their fields, and nothing is sent.
  const saves = countSaves(page);
  await c.getByTestId('edit-profile').click();
  await field(c, 'full_name').fill('Smith 42');
  await field(c, 'full_name').press('Tab');
  await fieldError(c, 'full_name').waitFor();
  assert.match(await fieldError(c, 'full_name').textContent(), /digits are not allowed/);
  assert.equal(await field(c, 'full_name').getAttribute('aria-invalid'), 'true');

  const nextYear = new Date();
  nextYear.setFullYear(nextYear.getFullYear() + 1);
  await field(c, 'birth_date').fill(ymd(nextYear));
  await fieldError(c, 'birth_date').waitFor();
  assert.match(await fieldError(c, 'birth_date').textContent(), /must not be in the future/);

  await c.getByTestId('save-profile').click();
  await page.waitForTimeout(300);
  assert.equal(saves.n, 0, 'an invalid form must not be sent');
  assert.equal(await fieldError(c, 'full_name').count(), 1, 'errors stay after a refused submit');

  // Fixed values clear the messages as they are typed and are saved.
  await field(c, 'full_name').fill('  Иванов   Иван Иванович ');
  await fieldError(c, 'full_name').waitFor({ state: 'detached' });
  await field(c, 'gender').selectOption('male');
  await field(c, 'birth_date').fill('1985-04-12');
  await fieldError(c, 'birth_date').waitFor({ state: 'detached' });
  const saved = page.waitForResponse((res) => res.url().includes('/rpc/save_profile'));
  await c.getByTestId('save-profile').click();
  assert.equal((await saved).status(), 200);
  await c.getByTestId('profile-form').waitFor({ state: 'detached' });
  assert.equal((await c.getByTestId('profile-name').textContent()).trim(), 'Иванов Иван Иванович');
  assert.equal((await c.getByTestId('profile-gender').textContent()).trim(), 'Male');
  assert.equal((await c.getByTestId('profile-birth_date').textContent()).trim(), '1985-04-12');

  // Persisted: in the API, in the server-rendered HTML, and after a reload.
  const stored = await (await fetch(`${BASE_URL}/api/profiles/${id}`)).json();
  assert.deepEqual([stored.full_name, stored.gender, stored.birth_date], ['Иванов Иван Иванович', 'male', '1985-04-12']);
  const html = await (await fetch(`${BASE_URL}/profiles`)).text();
  assert.ok(html.includes('Иванов Иван Иванович'), 'the first page is rendered on the server');
  await page.reload();
  await openProfilesPage(page);
  assert.equal((await c.getByTestId('profile-name').textContent()).trim(), 'Иванов Иван Иванович');
  await c.getByTestId('edit-profile').click();
  assert.equal(await field(c, 'full_name').inputValue(), 'Иванов Иван Иванович');
  assert.equal(await field(c, 'gender').inputValue(), 'male');
  assert.equal(await field(c, 'birth_date').inputValue(), '1985-04-12');
});

test('the server\'s field errors are answered as 422 and shown under the field', async (t) => {
  assert.ok(shared.profileId, 'needs the profile of the first test');
  const id = shared.profileId;

  // REST: one message per bad field, nothing stored.
  const res = await fetch(`${BASE_URL}/api/profiles/${id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ birth_date: '2999-01-01', full_name: 'Smith 42' }),
  });
  assert.equal(res.status, 422);
  const body = await res.json();
  assert.match(body.fields.birth_date, /future/);
  assert.match(body.fields.full_name, /digits/);
  const unchanged = await (await fetch(`${BASE_URL}/api/profiles/${id}`)).json();
  assert.equal(unchanged.birth_date, '1985-04-12');

  // UI: a browser whose calendar is ahead of the server's lets a date through that the
  // server refuses; the server's message appears under the field until it is changed.
  const page = await openPage(t);
  await page.clock.setFixedTime(new Date('2100-06-01T12:00:00'));
  await openProfilesPage(page);
  const c = card(page, id);
  await c.getByTestId('edit-profile').click();
  await field(c, 'birth_date').fill('2099-01-01');
  await page.waitForTimeout(200);
  assert.equal(await fieldError(c, 'birth_date').count(), 0, 'the browser thinks 2099 is in the past');
  const saved = page.waitForResponse((r) => r.url().includes('/rpc/save_profile'));
  await c.getByTestId('save-profile').click();
  await saved;
  await fieldError(c, 'birth_date').waitFor();
  assert.equal((await fieldError(c, 'birth_date').textContent()).trim(), body.fields.birth_date);
  assert.equal(await c.getByTestId('profile-form').count(), 1, 'the form stays open');
  await field(c, 'birth_date').fill('1985-04-13');
  await fieldError(c, 'birth_date').waitFor({ state: 'detached' });
  const stored = await (await fetch(`${BASE_URL}/api/profiles/${id}`)).json();
  assert.equal(stored.birth_date, '1985-04-12', 'nothing was stored');
});

test('the video page plays from ?t= and explains formats the browser cannot play', async (t) => {
  assert.ok(shared.videoId, 'needs the video of the first test');
  const page = await openPage(t);
  await openProfilesPage(page);
  const link = card(page, shared.profileId).getByTestId('profile-video-link');
  await link.click();
  await page.waitForURL((url) => url.pathname === `/videos/${shared.videoId}`);
  await page.locator('[data-testid="video-layout"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  assert.equal((await page.getByTestId('video-title').textContent()).trim(), 'carphone_pristine.mp4');
  assert.equal((await page.getByTestId('stat-faces').textContent()).trim(), '120');
  assert.match(await page.getByTestId('stat-people').textContent(), /^1/);

  // Opened at ?t=2.5 (a fresh load: the fragment and the loadedmetadata seek).
  await page.goto(`${BASE_URL}/videos/${shared.videoId}?t=2.5`);
  const player = page.getByTestId('player');
  assert.match(await player.getAttribute('src'), /\/api\/videos\/[^/]+\/file#t=2\.5$/);
  await eventually(() => player.evaluate((v) => v.readyState >= 1 && Math.abs(v.currentTime - 2.5) < 0.3),
    { timeout: 15_000, message: 'player at 2.5 s' });

  // An AVI with XVID video: the note and a download link instead of a broken player.
  const form = new FormData();
  form.append('create_profiles', 'false');
  form.append('files', new Blob([fs.readFileSync(video('vtest.avi'))], { type: 'video/x-msvideo' }), 'vtest.avi');
  const up = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(up.status, 201);
  const [avi] = await up.json();
  t.after(() => fetch(`${BASE_URL}/api/videos/${avi.id}`, { method: 'DELETE' }));
  await page.goto(`${BASE_URL}/videos/${avi.id}`);
  const note = page.getByTestId('player-unsupported');
  await note.waitFor({ timeout: 15_000 });
  assert.match(await note.textContent(), /This format can't be played in the browser/);
  assert.equal(await note.getByTestId('download-video').getAttribute('href'), `/api/videos/${avi.id}/file`);
  const file = await fetch(`${BASE_URL}/api/videos/${avi.id}/file`, { headers: { range: 'bytes=0-99' } });
  assert.equal(file.status, 206);
  assert.equal((await file.arrayBuffer()).byteLength, 100);
  assert.equal(await note.getByTestId('download-video').getAttribute('download'), 'vtest.avi');
});

test('a deleted profile leaves the page and its crop is gone', async (t) => {
  assert.ok(shared.profileId, 'needs the profile of the first test');
  const id = shared.profileId;
  const page = await openPage(t);
  await openProfilesPage(page);
  const c = card(page, id);
  const totalBefore = Number((await page.getByTestId('profiles-total').textContent()).trim().match(/of ([\d,]+)$/)[1].replace(/,/g, ''));

  let asked = '';
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.accept(); });
  await c.getByTestId('delete-profile').click();
  await c.waitFor({ state: 'detached', timeout: 10_000 });
  assert.match(asked, /Иванов Иван Иванович/);
  if (totalBefore > 1) {
    assert.match(await page.getByTestId('profiles-total').textContent(), new RegExp(`of ${(totalBefore - 1).toLocaleString('en-US')}$`));
  } else {
    await page.getByTestId('empty').waitFor();
  }

  assert.equal((await fetch(`${BASE_URL}/api/profiles/${id}/crop`)).status, 404);
  assert.equal((await fetch(`${BASE_URL}/api/profiles/${id}`)).status, 404);
  await page.reload();
  await openProfilesPage(page);
  assert.equal(await card(page, id).count(), 0);
});
