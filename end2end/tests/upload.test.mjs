// Uploading through the page, live progress, cancel and delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  PROCESSING_TIMEOUT, eventually, openPage, openVideosPage, row, uploadThroughInput, video,
} from './support.mjs';

test('progress rises step by step, never goes back, and reaches 100', async (t) => {
  const page = await openPage(t);
  await openVideosPage(page);
  // Megamind.avi: 270 frames, several seconds of processing, stored four times a second.
  const [created] = await uploadThroughInput(page, video('Megamind.avi'));
  const r = row(page, created.id);
  await r.waitFor({ timeout: 10_000 });
  const shown = [];
  await eventually(async () => {
    const value = Number(await r.getByTestId('progress').getAttribute('data-value'));
    if (shown.length === 0 || shown[shown.length - 1] !== value) shown.push(value);
    return (await r.getAttribute('data-status')) === 'done';
  }, { timeout: PROCESSING_TIMEOUT, interval: 50, message: 'status done' });
  assert.equal(shown[shown.length - 1], 100, `ends at 100: ${shown}`);
  assert.ok(shown.every((v, i) => i === 0 || v >= shown[i - 1]), `never goes back: ${shown}`);
  const between = shown.filter((v) => v > 0 && v < 100);
  assert.ok(between.length >= 2, `at least two steps between 0 and 100: ${shown}`);
});

test('an uploaded video shows live progress until done, without reload', async (t) => {
  const page = await openPage(t);
  await openVideosPage(page);
  let navigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigations += 1; });

  const [created] = await uploadThroughInput(page, video('carphone_pristine.mp4'));
  const r = row(page, created.id);
  await r.waitFor({ timeout: 10_000 });
  assert.equal(await r.locator('.filename').textContent(), 'carphone_pristine.mp4');
  await page.getByTestId('upload-done').waitFor();

  const seen = new Set();
  await eventually(async () => {
    seen.add(Number(await r.getByTestId('progress').getAttribute('data-value')));
    return (await r.getAttribute('data-status')) === 'done';
  }, { timeout: PROCESSING_TIMEOUT, interval: 50, message: 'status done' });

  assert.equal(await r.getByTestId('progress').getAttribute('data-value'), '100');
  assert.equal((await r.getByTestId('faces-total').textContent()).trim(), '120');
  assert.equal((await r.getByTestId('frames').textContent()).trim(), '120 / 120');
  assert.match(await r.getByTestId('status').textContent(), /Done/);
  assert.equal(await r.getByTestId('cancel').count(), 0, 'no Cancel on a finished video');
  assert.ok([...seen].every((v) => v >= 0 && v <= 100), `progress values ${[...seen]}`);
  assert.equal(navigations, 0, 'the page must not reload');

  // Delete, confirming the dialog.
  page.once('dialog', (dialog) => dialog.accept());
  await r.getByTestId('delete').click();
  await r.waitFor({ state: 'detached', timeout: 10_000 });
});

test('a queued or processing video can be cancelled', async (t) => {
  const page = await openPage(t);
  await openVideosPage(page);

  await page.getByTestId('create-profiles').check();
  const created = await uploadThroughInput(page, [video('faces.mp4'), video('vtest.avi')]);
  assert.equal(created.length, 2);
  assert.ok(created.every((v) => v.create_profiles), 'the checkbox is sent as create_profiles=true');
  const [faces, vtest] = created.map((v) => row(page, v.id));
  await faces.waitFor();
  await vtest.waitFor();

  // Progress moves on its own while faces.mp4 (about 10 frames/s) is processed.
  await eventually(async () => Number(await faces.getByTestId('progress').getAttribute('data-value')) > 0,
    { timeout: PROCESSING_TIMEOUT, message: 'faces.mp4 progress above 0' });
  assert.equal(await faces.getAttribute('data-status'), 'processing');

  for (const r of [vtest, faces]) {
    const status = await r.getAttribute('data-status');
    assert.ok(['queued', 'processing'].includes(status), `status before cancel: ${status}`);
    await r.getByTestId('cancel').click();
    await eventually(async () => (await r.getAttribute('data-status')) === 'cancelled',
      { timeout: 15_000, message: 'status cancelled' });
    await r.getByTestId('cancel').waitFor({ state: 'detached' });
  }
  assert.match(await faces.getByTestId('status').textContent(), /Cancelled/);
});

test('a refused upload shows the server\'s message near the upload area', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facetally-e2e-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const notVideo = path.join(dir, 'notes.txt');
  fs.writeFileSync(notVideo, 'this is not a video\n');

  const page = await openPage(t);
  await openVideosPage(page);
  await page.getByTestId('upload-input').setInputFiles(notVideo);
  const error = page.getByTestId('upload-error');
  await error.waitFor({ timeout: 30_000 });
  assert.ok((await error.textContent()).trim().length > 0);
  assert.ok(await page.locator('.upload [data-testid="upload-error"]').isVisible(), 'error shown in the upload area');
});

test('files dropped on the upload area are uploaded', async (t) => {
  const page = await openPage(t);
  await openVideosPage(page);
  const bytes = fs.readFileSync(video('carphone_pristine.mp4')).toString('base64');
  const response = page.waitForResponse((r) => r.url().endsWith('/api/videos') && r.request().method() === 'POST');

  await page.getByTestId('upload-drop').evaluate((zone, b64) => {
    const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'dropped.mp4', { type: 'video/mp4' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, bytes);

  const res = await response;
  assert.equal(res.status(), 201);
  const [created] = await res.json();
  assert.equal(created.filename, 'dropped.mp4');
  const r = row(page, created.id);
  await r.waitFor();
  await eventually(async () => (await r.getAttribute('data-status')) === 'done',
    { timeout: PROCESSING_TIMEOUT, message: 'dropped video done' });
  assert.equal((await r.getByTestId('faces-total').textContent()).trim(), '120');
});
