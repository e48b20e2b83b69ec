// Signing in to a server started with FACETALLY_API_TOKEN, in Chromium, with the page's
// Content-Security-Policy enforced. Run it against such a server:
//   FACETALLY_API_TOKEN=... end2end/run.sh node --test end2end/tests/auth.test.mjs
// Without the variable (the default `npm test` run) it is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, PROCESSING_TIMEOUT, eventually, openPage, row, uploadThroughInput, video,
} from './support.mjs';

const TOKEN = process.env.FACETALLY_API_TOKEN?.trim();
const skip = TOKEN ? false : 'needs a server started with FACETALLY_API_TOKEN (and the same variable here)';

/** Collects CSP violations (DOM event and console reports) of every page of the context. */
async function watchCsp(page) {
  const violations = [];
  await page.context().addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/CSP violation|Content Security Policy/i.test(text)) violations.push(text);
  });
  return violations;
}

test('the UI asks for the token once and then works under the CSP', { skip }, async (t) => {
  const page = await openPage(t);
  const violations = await watchCsp(page);

  // Not signed in: every page leads to the sign-in form; the API refuses.
  await page.goto(`${BASE_URL}/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/');
  const api = await page.request.get(`${BASE_URL}/api/videos`);
  assert.equal(api.status(), 401);
  assert.match(api.headers()['www-authenticate'], /^Bearer/);

  // A wrong token shows the error and sets nothing.
  await page.getByTestId('login-token').fill(`${TOKEN}-wrong`);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-error').waitFor();
  assert.equal(await page.getByTestId('login-error').textContent(), 'Wrong token');
  assert.equal((await page.context().cookies()).length, 0);

  // The right one lands on the videos page, which hydrates and goes live.
  await page.getByTestId('login-token').fill(TOKEN);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${BASE_URL}/`);
  await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 30_000 });

  // The cookie is HttpOnly and SameSite=Strict: the page's script cannot read it.
  const [cookie] = await page.context().cookies();
  assert.equal(cookie.name, 'facetally_token');
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '');

  // Upload through the page (XHR with the cookie), live progress to done.
  await page.getByTestId('create-profiles').check();
  const [created] = await uploadThroughInput(page, video('carphone_pristine.mp4'));
  const r = row(page, created.id);
  await eventually(async () => (await r.getAttribute('data-status')) === 'done',
    { timeout: PROCESSING_TIMEOUT, message: 'uploaded video done' });
  assert.equal(await r.getByTestId('progress').getAttribute('data-value'), '100');

  // The profile's crop is an <img> that loads with the cookie.
  await page.getByRole('link', { name: 'Profiles' }).click();
  const crop = page.getByTestId('profile-crop').first();
  await crop.waitFor({ timeout: 30_000 });
  await eventually(() => crop.evaluate((img) => img.complete && img.naturalWidth > 0), { message: 'crop loaded' });

  // The video's page plays the stored file.
  await page.goto(`${BASE_URL}/videos/${created.id}`);
  const player = page.locator('video').first();
  await player.waitFor({ timeout: 30_000 });
  await eventually(() => player.evaluate((v) => v.readyState >= 1 && !v.error), { message: 'video metadata loaded' });

  assert.deepEqual(violations, [], 'no Content-Security-Policy violations');

  // Sign out: the cookie is gone and pages lead to the form again.
  await page.getByTestId('sign-out').click();
  await page.waitForURL(/\/login$/);
  assert.equal((await page.context().cookies()).length, 0);
  await page.goto(`${BASE_URL}/profiles`);
  assert.equal(new URL(page.url()).pathname, '/login');
});

test('Swagger UI loads under its CSP once signed in', { skip }, async (t) => {
  const page = await openPage(t);
  const violations = await watchCsp(page);
  await page.goto(`${BASE_URL}/docs/`);
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/docs/');
  await page.getByTestId('login-token').fill(TOKEN);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${BASE_URL}/docs/`);
  await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 30_000 });
  assert.match(await page.locator('.swagger-ui .title').first().textContent(), /facetally API/);
  assert.deepEqual(violations, [], 'no Content-Security-Policy violations');
});
