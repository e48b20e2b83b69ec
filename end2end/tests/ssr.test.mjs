// The list is rendered by the server: it is there without any JavaScript.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { BASE_URL, openPage, row, video } from './support.mjs';

async function uploadWithFetch(file) {
  const form = new FormData();
  form.append('create_profiles', 'false');
  form.append('files', new Blob([fs.readFileSync(file)], { type: 'video/mp4' }), path.basename(file));
  const res = await fetch(`${BASE_URL}/api/videos`, { method: 'POST', body: form });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json())[0];
}

test('the video list is rendered on the server', async (t) => {
  const created = await uploadWithFetch(video('carphone_pristine.mp4'));

  const html = await (await fetch(`${BASE_URL}/`)).text();
  assert.match(html, new RegExp(`data-testid="video-row"[^>]*data-id="${created.id}"|data-id="${created.id}"[^>]*data-testid="video-row"`));

  const page = await openPage(t, { javaScriptEnabled: false });
  await page.goto(`${BASE_URL}/`);
  const r = row(page, created.id);
  assert.equal(await r.count(), 1);
  assert.match(await r.getAttribute('data-status'), /^(queued|processing|done)$/);
  assert.ok(await r.getByTestId('progress').getAttribute('data-value'));
  assert.equal(await r.locator('.filename').textContent(), 'carphone_pristine.mp4');
});
