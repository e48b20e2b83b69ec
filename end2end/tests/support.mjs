// Shared set-up for the browser tests: where the server and the test videos are, and a
// headless Debian chromium driven by playwright-core.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Base URL of the running server. */
export const BASE_URL = (process.env.FACETALLY_BASE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/** Folder with `videos/` and `images/` (shared test data). */
export const DATA_DIR = process.env.FACETALLY_SHARED_DATA ?? path.resolve(here, '../../../shared/data');

/** Path of one of the shared test videos. */
export const video = (name) => path.join(DATA_DIR, 'videos', name);

/** How long a video may take to be processed on a slow machine. */
export const PROCESSING_TIMEOUT = Number(process.env.FACETALLY_PROCESSING_TIMEOUT_MS ?? 180_000);

/** Start chromium; `t.after` closes it. Options go to `browser.newContext`. */
export async function openPage(t, contextOptions = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  t.after(() => browser.close());
  // English unless a test asks for another language (it sets Accept-Language).
  const context = await browser.newContext({
    viewport: { width: 1360, height: 900 }, locale: 'en-US', ...contextOptions,
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error('page error:', err.message));
  return page;
}

/** Load the videos page and wait until it is hydrated and receiving live updates. */
export async function openVideosPage(page) {
  await page.goto(`${BASE_URL}/`);
  await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 30_000 });
}

/** Upload files through the page's file input; resolves to the created videos (JSON). */
export async function uploadThroughInput(page, files) {
  const response = page.waitForResponse(
    (r) => r.url() === `${BASE_URL}/api/videos` && r.request().method() === 'POST',
    { timeout: 60_000 },
  );
  await page.getByTestId('upload-input').setInputFiles(files);
  const res = await response;
  if (res.status() !== 201) throw new Error(`upload answered ${res.status()}: ${await res.text()}`);
  return res.json();
}

/** The table row of a video. */
export const row = (page, id) => page.locator(`[data-testid="video-row"][data-id="${id}"]`);

/** Poll `fn` until it returns a truthy value. */
export async function eventually(fn, { timeout = 30_000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${message}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
