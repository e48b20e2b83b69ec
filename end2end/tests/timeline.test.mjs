// "Look instead of read" (issue 13): a processed video's page draws its faces per second as a
// chart and a lane per person; a click on the chart seeks the player without reloading; the
// face boxes of the frame on screen are drawn over the video; the videos list draws a
// sparkline in the video's row. The tests share one faces.mp4 (the first one opens its page
// while it is processed) and run in order.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  BASE_URL, PROCESSING_TIMEOUT, eventually, openPage as openBrowser, openVideosPage, row, video,
} from './support.mjs';

const CLIP = 'faces.mp4';

/** The processed video, made by the first test that needs it. */
let processed = null;

after(async () => {
  if (processed) await fetch(`${BASE_URL}/api/videos/${processed.id}`, { method: 'DELETE' });
});

/** JSON of a GET, checking the status. */
async function api(path) {
  const res = await fetch(`${BASE_URL}${path}`);
  const text = await res.text();
  assert.equal(res.status, 200, `GET ${path}: ${text}`);
  return JSON.parse(text);
}

/** Upload the clip (once); resolves to the created video. */
async function uploaded() {
  if (processed) return processed;
  const form = new FormData();
  form.append('files', new Blob([fs.readFileSync(video(CLIP))], { type: 'video/mp4' }), CLIP);
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  [processed] = await res.json();
  return processed;
}

/** The clip uploaded and processed; resolves to the video as it is when done. */
async function processedVideo() {
  const { id } = await uploaded();
  return eventually(async () => {
    const v = await api(`/api/videos/${id}`);
    assert.ok(!['failed', 'cancelled'].includes(v.status), `video ${v.status}: ${v.error}`);
    return v.status === 'done' && v;
  }, { timeout: PROCESSING_TIMEOUT, interval: 250, message: `${CLIP} processed` });
}

/** A browser page whose errors (panics) fail the test at its end. */
async function openPage(t) {
  const page = await openBrowser(t);
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text().split('\n').slice(0, 2).join(' ')); });
  t.after(() => assert.deepEqual(errors, [], 'no errors in the browser console'));
  return page;
}

/** Open a video's page, wait until it is hydrated and its player knows the video's length. */
async function openVideo(page, id) {
  await page.goto(`${BASE_URL}/videos/${id}`);
  await page.locator('[data-testid="video-layout"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const player = page.getByTestId('player');
  await eventually(() => player.evaluate((v) => v.readyState >= 1 && Number.isFinite(v.duration) && !v.error),
    { message: 'video metadata loaded' });
  return player;
}

/** The bars the chart must draw for `counts` over `length` seconds (activity_chart::bars). */
function expectedBars(counts, length) {
  const seconds = Math.max(Math.ceil(length), counts.length);
  const n = Math.min(seconds, 200);
  const bars = [];
  for (let i = 0; i < n; i += 1) {
    const from = Math.floor((i * seconds) / n);
    const to = Math.floor(((i + 1) * seconds) / n);
    if (from < counts.length) bars.push(Math.max(...counts.slice(from, Math.min(to, counts.length))));
  }
  return bars;
}

test('the chart follows a video being processed, and its lanes appear when it is done', async (t) => {
  const created = await uploaded();
  const page = await openPage(t);
  await page.goto(`${BASE_URL}/videos/${created.id}`);
  await page.locator('[data-testid="video-layout"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });
  const bars = page.locator('[data-testid="activity-chart"] [data-testid="activity-bar"]');

  // Bars only ever get more while frames are scanned.
  const seen = [];
  let v;
  for (;;) {
    const count = await bars.count();
    if (seen.length === 0 || seen[seen.length - 1] !== count) seen.push(count);
    v = await api(`/api/videos/${created.id}`);
    if (v.status === 'done') break;
    assert.ok(!['failed', 'cancelled'].includes(v.status), `video ${v.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `bar counts only grow: ${seen}`);
  t.diagnostic(`bar counts seen while processing: ${seen.join(', ')}`);

  // Without reloading, the finished video's chart and lanes are drawn.
  const timeline = await api(`/api/videos/${created.id}/timeline`);
  const length = Math.max(timeline.duration_s ?? 0, timeline.faces_per_second.length);
  const expected = expectedBars(timeline.faces_per_second, length);
  await eventually(async () => {
    const drawn = await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-faces'))));
    return JSON.stringify(drawn) === JSON.stringify(expected);
  }, { timeout: 15_000, message: 'the final chart drawn' });
  await eventually(async () => (await page.getByTestId('person-lane').count()) === timeline.people.length
    && timeline.people.length > 0, { timeout: 15_000, message: `${timeline.people.length} lanes` });
  assert.equal(navigations, 0, 'the page must not reload');
});

test('the chart draws faces per second and lanes, and a click on it seeks the player', async (t) => {
  const v = await processedVideo();
  const timeline = await api(`/api/videos/${v.id}/timeline`);
  const sum = timeline.faces_per_second.reduce((a, b) => a + b, 0);
  assert.ok(v.faces_total > 0, 'faces.mp4 has faces');
  assert.equal(sum, v.faces_total, 'faces per second add up to the video\'s faces');
  assert.ok(timeline.people.length > 0, 'faces.mp4 has people');

  const page = await openPage(t);
  const player = await openVideo(page, v.id);
  const url = page.url();

  // The chart's bars are the counts of the timeline.
  const length = Math.max(timeline.duration_s ?? 0, timeline.faces_per_second.length);
  const expected = expectedBars(timeline.faces_per_second, length);
  const bars = page.locator('[data-testid="activity-chart"] [data-testid="activity-bar"]');
  await eventually(async () => (await bars.count()) === expected.length,
    { message: `${expected.length} bars drawn` });
  const drawn = await bars.evaluateAll((gs) => gs.map((g) => Number(g.getAttribute('data-faces'))));
  assert.deepEqual(drawn, expected);
  const tallest = await bars.evaluateAll((gs) => Math.max(
    ...gs.map((g) => parseFloat(g.querySelector('.activity-fill').getAttribute('height')))));
  assert.ok(Math.abs(tallest - 100) < 0.01, `the tallest bar fills the chart (${tallest}%)`);
  assert.match(await bars.first().locator('title').textContent(), /^0:00–0:01: \d+ faces? per second$/);

  // A lane per person, labelled with the profile's name or "Person N".
  const lanes = page.getByTestId('person-lane');
  assert.equal(await lanes.count(), timeline.people.length);
  for (const person of timeline.people) {
    const lane = page.locator(`[data-testid="person-lane"][data-person="${person.ordinal}"]`);
    assert.equal((await lane.getByTestId('lane-name').textContent()).trim(),
      person.full_name?.trim() || `Person ${person.ordinal + 1}`);
    assert.equal(await lane.getByTestId('lane-episode').count(), person.episodes.length);
  }

  // A click in the middle of the chart plays from the middle, without loading another page.
  const chart = page.getByTestId('activity-chart');
  const box = await chart.boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  const duration = await player.evaluate((el) => el.duration);
  await eventually(() => player.evaluate((el, half) => Math.abs(el.currentTime - half) <= 1, duration / 2),
    { message: `currentTime near ${duration / 2}` });
  const playhead = parseFloat(await page.getByTestId('playhead').getAttribute('x1'));
  assert.ok(Math.abs(playhead - 50) <= 100 / length, `the playhead in the middle (${playhead}%)`);
  assert.equal(page.url(), url, 'no navigation');

  // A click on a lane seeks too (to its first episode's start, plus a little).
  const person = timeline.people[0];
  const lane = page.locator(`[data-testid="person-lane"][data-person="${person.ordinal}"] svg`);
  const laneBox = await lane.boundingBox();
  const at = Math.min(person.episodes[0].start_s + 0.3, person.episodes[0].end_s);
  await page.mouse.click(laneBox.x + (laneBox.width * at) / length, laneBox.y + laneBox.height / 2);
  await eventually(() => player.evaluate((el, s) => Math.abs(el.currentTime - s) <= 0.5, at),
    { message: `currentTime near ${at} after a lane click` });
  assert.equal(page.url(), url, 'no navigation from the lane');

  // With the keyboard, an episode is a link that plays from its start.
  const last = person.episodes[person.episodes.length - 1];
  await page.locator(`[data-testid="person-lane"][data-person="${person.ordinal}"] [data-testid="lane-episode"]`)
    .last().focus();
  await page.keyboard.press('Enter');
  await eventually(() => player.evaluate((el, s) => el.readyState >= 1 && Math.abs(el.currentTime - s) <= 0.5,
    last.start_s), { message: `currentTime near ${last.start_s} after Enter on an episode` });
});

test('face boxes of the frame on screen are drawn over the video', async (t) => {
  const v = await processedVideo();
  const boxes = await api(`/api/videos/${v.id}/boxes?from_s=0&to_s=60`);
  assert.deepEqual([boxes.width, boxes.height], [1280, 720]);
  assert.ok(boxes.frames.length > 0, 'frames with faces');
  const busiest = boxes.frames.reduce((a, b) => (b.boxes.length > a.boxes.length ? b : a));

  const page = await openPage(t);
  const player = await openVideo(page, v.id);
  const overlay = page.getByTestId('face-overlay');
  const shown = overlay.getByTestId('face-box');
  const seek = (s) => player.evaluate((el, to) => { el.pause(); el.currentTime = to; }, s);

  await seek(busiest.t_s + 0.005);
  await eventually(async () => (await shown.count()) === busiest.boxes.length,
    { message: `${busiest.boxes.length} boxes at ${busiest.t_s} s` });
  assert.equal(await overlay.getAttribute('viewBox'), '0 0 1280 720');
  const persons = await shown.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-person')).sort());
  assert.deepEqual(persons, busiest.boxes.map((b) => (b.person == null ? null : String(b.person))).sort());
  const rects = await shown.evaluateAll((gs) => gs.map((g) => {
    const r = g.querySelector('rect');
    return ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a))).join(',');
  }).sort());
  assert.deepEqual(rects, busiest.boxes.map((b) => [b.x, b.y, b.w, b.h].join(',')).sort());
  // Each box of a person is labelled with the person's name, or "Person N"; others not at all.
  const { people } = await api(`/api/videos/${v.id}/timeline`);
  const label = (ordinal) => {
    if (ordinal === null) return null;
    const person = people.find((p) => p.ordinal === Number(ordinal));
    return person?.full_name?.trim() || `Person ${Number(ordinal) + 1}`;
  };
  await eventually(async () => {
    const labels = await shown.evaluateAll((gs) => gs.map((g) => [
      g.getAttribute('data-person'), g.querySelector('text')?.textContent ?? null]));
    return labels.every(([ordinal, text]) => text === label(ordinal));
  }, { message: 'boxes labelled with their people' });

  // "Show face boxes" hides them and shows them again.
  await page.getByTestId('show-face-boxes').uncheck();
  await eventually(async () => (await shown.count()) === 0, { message: 'boxes hidden' });
  await page.getByTestId('show-face-boxes').check();
  await eventually(async () => (await shown.count()) === busiest.boxes.length, { message: 'boxes shown again' });

  // A time with no face: in a gap between frames with faces (at 25 fps a gap of 0.2 s is
  // several frames without a face), or before the first one.
  const times = boxes.frames.map((f) => f.t_s);
  let empty = null;
  if (times[0] >= 0.2) empty = times[0] / 2;
  for (let i = 1; empty === null && i < times.length; i += 1) {
    if (times[i] - times[i - 1] >= 0.2) empty = (times[i] + times[i - 1]) / 2;
  }
  if (empty === null) {
    t.diagnostic(`${CLIP} has no stretch without faces: the empty case is not checked`);
  } else {
    await seek(empty);
    await eventually(async () => (await shown.count()) === 0, { message: `no boxes at ${empty} s` });
    await seek(busiest.t_s + 0.005);
    await eventually(async () => (await shown.count()) === busiest.boxes.length, { message: 'boxes back' });
  }
});

test('the videos list draws a sparkline in a processed video\'s row', async (t) => {
  const v = await processedVideo();
  assert.equal(v.sparkline.length, 48);
  const page = await openPage(t);
  await openVideosPage(page);
  const spark = row(page, v.id).getByTestId('sparkline');
  await spark.waitFor({ timeout: 15_000 });
  assert.ok(await spark.isVisible());
  const points = (await spark.locator('polyline').getAttribute('points')).split(' ');
  assert.equal(points.length, v.sparkline.length);
  // The largest bucket touches the top (y = 0).
  const top = v.sparkline.indexOf(Math.max(...v.sparkline));
  assert.equal(points[top].split(',')[1], '0');
});
