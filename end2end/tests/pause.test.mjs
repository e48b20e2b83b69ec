// Pausing a processing video from its row and resuming it: it stops, keeps still, and then
// ends with the same counts as a run that was never paused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {
  BASE_URL, PROCESSING_TIMEOUT, eventually, openPage, openVideosPage, row, uploadThroughInput, video,
} from './support.mjs';

/** Upload a shared video through the REST API (no page involved); resolves to its JSON. */
async function uploadDirectly(name) {
  const form = new FormData();
  form.append('files', new Blob([fs.readFileSync(video(name))], { type: 'video/x-msvideo' }), name);
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  const [created] = await res.json();
  return created;
}

/** The video as the server has it now. */
async function fetchVideo(id) {
  const res = await fetch(`${BASE_URL}/api/videos/${id}`);
  assert.equal(res.status, 200);
  return res.json();
}

/** What the row shows of a video's progress: status, percent, frames. */
async function shown(r) {
  return {
    status: await r.getAttribute('data-status'),
    progress: await r.getByTestId('progress').getAttribute('data-value'),
    frames: (await r.getByTestId('frames').textContent()).trim(),
  };
}

test('a processing video can be paused and resumed from its row', async (t) => {
  const page = await openPage(t);
  await openVideosPage(page);

  // Megamind.avi (270 frames) takes some seconds; a second copy, never paused, is the reference.
  const [created] = await uploadThroughInput(page, video('Megamind.avi'));
  const reference = await uploadDirectly('Megamind.avi');
  for (const id of [created.id, reference.id]) {
    t.after(() => fetch(`${BASE_URL}/api/videos/${id}`, { method: 'DELETE' }));
  }
  const r = row(page, created.id);
  await r.waitFor({ timeout: 10_000 });
  assert.equal(await r.getByTestId('resume').count(), 0, 'no Resume before a pause');

  await eventually(async () => (await r.getAttribute('data-status')) === 'processing'
      && Number(await r.getByTestId('progress').getAttribute('data-value')) > 0,
    { timeout: PROCESSING_TIMEOUT, interval: 50, message: 'Megamind.avi processing' });
  await r.getByTestId('pause').click();
  await eventually(async () => (await r.getAttribute('data-status')) === 'paused',
    { timeout: 5_000, message: 'status paused' });
  assert.match(await r.getByTestId('status').textContent(), /Paused/);
  await r.getByTestId('pause').waitFor({ state: 'detached' });
  await r.getByTestId('resume').waitFor();
  assert.equal(await r.getByTestId('cancel').count(), 1, 'a paused video can still be cancelled');
  assert.match(await page.getByTestId('summary').textContent(), /1 paused/);

  // Nothing moves while paused: not on the page, not on the server.
  const still = await shown(r);
  const stored = await fetchVideo(created.id);
  assert.equal(stored.status, 'paused');
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  assert.deepEqual(await shown(r), still, 'the paused row keeps still');
  const later = await fetchVideo(created.id);
  assert.equal(later.status, 'paused');
  assert.equal(later.frames_processed, stored.frames_processed, 'no frames processed while paused');
  assert.equal(later.progress, stored.progress);

  await r.getByTestId('resume').click();
  await eventually(async () => ['queued', 'processing', 'done'].includes(await r.getAttribute('data-status')),
    { timeout: 5_000, message: 'resumed' });
  await r.getByTestId('resume').waitFor({ state: 'detached' });
  await eventually(async () => (await r.getAttribute('data-status')) === 'done',
    { timeout: PROCESSING_TIMEOUT, message: 'resumed video done' });

  const plain = await eventually(async () => {
    const v = await fetchVideo(reference.id);
    return v.status === 'done' && v;
  }, { timeout: PROCESSING_TIMEOUT, interval: 250, message: 'reference done' });
  const resumed = await fetchVideo(created.id);
  assert.equal(resumed.status, 'done', resumed.error ?? '');
  assert.equal(await r.getByTestId('faces-total').getAttribute('data-value'), String(plain.faces_total));
  assert.equal(await r.getByTestId('progress').getAttribute('data-value'), '100');
  for (const key of ['faces_total', 'frames_processed', 'max_faces_in_frame', 'frames_with_faces', 'people_count']) {
    assert.equal(resumed[key], plain[key], `${key} after pause and resume`);
  }
});
