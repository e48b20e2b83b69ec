// Search: a still of a processed video finds the person of that video; the slider filters the
// matches in the browser without asking again; a match becomes a profile; a segment of the
// timeline opens the video at that episode; a profile's "Find in archive" searches by profile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  BASE_URL, DATA_DIR, PROCESSING_TIMEOUT, eventually, openPage, video,
} from './support.mjs';

/** Upload a shared video through the API and wait until it is processed. */
async function uploadAndProcess(t, name) {
  const form = new FormData();
  form.append('create_profiles', 'false');
  form.append('files', new Blob([fs.readFileSync(video(name))], { type: 'video/mp4' }), name);
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const [created] = await res.json();
  t.after(() => fetch(`${BASE_URL}/api/videos/${created.id}`, { method: 'DELETE' }));
  const done = await eventually(async () => {
    const v = await (await fetch(`${BASE_URL}/api/videos/${created.id}`)).json();
    assert.ok(!['failed', 'cancelled'].includes(v.status), `video ${v.status}: ${v.error}`);
    return v.status === 'done' && v;
  }, { timeout: PROCESSING_TIMEOUT, interval: 250, message: `${name} processed` });
  return done;
}

/** A JPEG still of a shared video at `second`, in a temporary folder. */
function still(t, name, second) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facetally-still-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const out = path.join(dir, 'still.jpg');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', String(second), '-i', video(name), '-frames:v', '1', out]);
  return out;
}

/** Open the search page (optionally with a query) and wait until the browser has taken over. */
async function openSearchPage(page, query = '') {
  await page.goto(`${BASE_URL}/search${query}`);
  await page.locator('[data-testid="search"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
}

/** Collects Content-Security-Policy violations of the page (the CSP refuses inline styles). */
async function watchCsp(page) {
  const violations = [];
  await page.context().addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/CSP violation|Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

/** Move the similarity slider as a person would (an `input` event). */
const slide = (slider, value) => slider.evaluate((el, v) => {
  el.value = v;
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, String(value));

test('a still of a video finds its person; the slider filters; a segment opens the video there', async (t) => {
  const uploaded = await uploadAndProcess(t, 'carphone_pristine.mp4');
  const photo = still(t, 'carphone_pristine.mp4', 2);
  const page = await openPage(t);
  const violations = await watchCsp(page);
  const searches = [];
  page.on('request', (r) => { if (r.url() === `${BASE_URL}/api/search`) searches.push(r.method()); });
  await openSearchPage(page);
  assert.equal(await page.getByRole('link', { name: 'Search', exact: true }).getAttribute('aria-current'), 'page');

  const answered = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/search`, { timeout: 60_000 });
  await page.getByTestId('search-input').setInputFiles(photo);
  const res = await answered;
  assert.equal(res.status(), 200, await res.text());
  const body = await res.json();
  assert.ok(body.faces_in_photo.length >= 1, 'a face is found in the still');
  assert.equal(body.face, 0);

  // The photo is shown with its face boxed, and the match row with its similarity.
  await page.getByTestId('search-photo').waitFor();
  await page.getByTestId('face-box').first().waitFor();
  const row = page.locator(`[data-testid="match"][data-video="${uploaded.id}"]`);
  await row.waitFor({ timeout: 15_000 });
  assert.equal((await row.getByTestId('match-file').textContent()).trim(), 'carphone_pristine.mp4');
  const shownSimilarity = (await row.getByTestId('similarity').textContent()).trim();
  assert.match(shownSimilarity, /^\d{1,3} %$/);
  const similarity = Number(await row.getByTestId('similarity').getAttribute('data-value'));
  assert.ok(similarity >= body.match_threshold, `similarity ${similarity} above the threshold`);
  await row.getByTestId('query-face').waitFor();
  assert.match(await page.getByTestId('similarity-min').textContent(), new RegExp(`^${Math.round(body.match_threshold * 100)} %$`));

  // The slider filters in the browser: at 100 % the row goes, lowering it brings it back.
  const slider = page.getByTestId('similarity-slider');
  await slide(slider, 1);
  await row.waitFor({ state: 'detached', timeout: 5_000 });
  assert.match(await page.getByTestId('no-matches').textContent(), /No one in the archive looks like this person above 100 %/);
  await slide(slider, 0.2);
  await row.waitFor({ timeout: 5_000 });
  await page.getByTestId('order-time').click();
  await row.waitFor();
  assert.deepEqual(searches, ['POST'], 'the slider and the order do not search again');

  // The person becomes a profile from the row.
  const person = await row.getAttribute('data-person');
  if (await row.getByTestId('create-profile').count()) {
    const made = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/profiles` && r.request().method() === 'POST');
    await row.getByTestId('create-profile').click();
    const created = await made;
    assert.equal(created.status(), 201, await created.text());
    const profile = await created.json();
    t.after(() => fetch(`${BASE_URL}/api/profiles/${profile.id}`, { method: 'DELETE' }));
    assert.ok(profile.videos.some((v) => v.video_id === uploaded.id), `profile of person ${person}`);
  }
  const link = row.getByTestId('profile-link');
  await link.waitFor();
  assert.match(await link.getAttribute('href'), /^\/profiles#profile-[0-9a-f-]+$/);
  assert.deepEqual(violations, [], 'the search page works under the CSP');

  // The first segment of the timeline opens the video page playing from that episode.
  const segment = row.getByTestId('timeline-segment').first();
  const start = Number(await segment.getAttribute('data-start'));
  assert.equal(start, body.matches.find((m) => m.person.id === person).person.episodes[0].start_s);
  await segment.click();
  await page.waitForURL((url) => url.pathname === `/videos/${uploaded.id}` && url.searchParams.has('t'));
  const player = page.getByTestId('player');
  await eventually(() => player.evaluate((v, s) => v.readyState >= 1 && Math.abs(v.currentTime - s) <= 0.5, start),
    { timeout: 15_000, message: `player at ${start} s` });
});

test('a profile card searches the archive by that profile', async (t) => {
  const uploaded = await uploadAndProcess(t, 'carphone_pristine.mp4');
  // The person of the video, as a profile (made through the search API, as the page does).
  const photo = still(t, 'carphone_pristine.mp4', 2);
  const form = new FormData();
  form.append('photo', new Blob([fs.readFileSync(photo)], { type: 'image/jpeg' }), 'still.jpg');
  const found = await (await fetch(`${BASE_URL}/api/search`, { method: 'POST', body: form })).json();
  const match = found.matches.find((m) => m.person.video_id === uploaded.id);
  assert.ok(match, `the still finds its video: ${JSON.stringify(found).slice(0, 500)}`);
  let profileId = match.profile?.id ?? match.person.profile_id;
  if (!profileId) {
    const res = await fetch(`${BASE_URL}/api/profiles`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ person_id: match.person.id }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    profileId = (await res.json()).id;
    t.after(() => fetch(`${BASE_URL}/api/profiles/${profileId}`, { method: 'DELETE' }));
  }

  const page = await openPage(t);
  await page.goto(`${BASE_URL}/profiles`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const card = page.locator(`[data-testid="profile-card"][data-id="${profileId}"]`);
  await card.locator(`[data-testid="timeline"]`).first().waitFor();
  await card.getByTestId('find-in-archive').click();
  await page.waitForURL((url) => url.pathname === '/search' && url.searchParams.get('profile_id') === profileId);
  const row = page.locator(`[data-testid="match"][data-video="${uploaded.id}"]`);
  await row.waitFor({ timeout: 30_000 });
  assert.equal(await row.getByTestId('profile-link').getAttribute('href'), `/profiles#profile-${profileId}`);
});

test('a photo without a usable face offers "Search anyway"; a box picks another face', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facetally-photo-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const blank = path.join(dir, 'blank.jpg');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=gray:s=320x240', '-frames:v', '1', blank]);
  const page = await openPage(t);
  await openSearchPage(page);

  // No face: the server's message and a button that searches anyway (force=true).
  let answered = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/search`);
  await page.getByTestId('search-input').setInputFiles(blank);
  const refused = await answered;
  assert.equal(refused.status(), 422);
  const { fields } = await refused.json();
  const alert = page.getByTestId('search-refused');
  await alert.waitFor();
  assert.ok((await alert.textContent()).includes(fields.photo), 'the server\'s message is shown');
  answered = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/search`);
  await alert.getByTestId('search-anyway').click();
  const forced = await answered;
  // Forced, the server either searches with the poor face (and says so) or still cannot.
  if (forced.status() === 200) {
    assert.equal((await forced.json()).low_quality, true);
    await page.getByTestId('low-quality').waitFor();
  } else {
    assert.equal(forced.status(), 422);
    await eventually(async () => /searched anyway/i.test(await alert.textContent()), { message: 'forced note' });
  }
  assert.equal(await page.getByTestId('search-anyway').count(), 0, 'no second "Search anyway"');

  // Two people: both are boxed over the photo; clicking the second searches for face 1.
  answered = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/search`);
  await page.getByTestId('search-input').setInputFiles(path.join(DATA_DIR, 'images', 'two_people.jpg'));
  const first = await (await answered).json();
  assert.ok(first.faces_in_photo.length >= 2, `faces: ${first.faces_in_photo.length}`);
  const boxes = page.getByTestId('face-box');
  await eventually(async () => (await boxes.count()) === first.faces_in_photo.length, { message: 'face boxes' });
  await page.getByTestId('results').waitFor();
  assert.match(await boxes.nth(0).getAttribute('class'), /chosen/);
  // Scaled to the shown photo: the largest box is drawn inside the image.
  const [img, box] = await Promise.all([
    page.getByTestId('search-photo').boundingBox(), boxes.nth(0).boundingBox(),
  ]);
  assert.ok(box.x >= img.x - 1 && box.x + box.width <= img.x + img.width + 1, 'box inside the photo');
  answered = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/search`);
  await boxes.nth(1).click();
  const second = await (await answered).json();
  assert.equal(second.face, 1, 'the request asked for face 1');
  await eventually(async () => /chosen/.test(await boxes.nth(1).getAttribute('class') ?? ''), { message: 'face 1 chosen' });
});
