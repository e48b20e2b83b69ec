// Russian and English: the server renders a page in the language of the `facetally_lang`
// cookie, else of Accept-Language; the browser hydrates it in the same language; the switch
// in the header changes it at once and the cookie keeps it across a reload; the profile
// form's messages follow the language while the API keeps its English ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, PROCESSING_TIMEOUT, eventually, openPage, openVideosPage, video } from './support.mjs';

/** The server-rendered HTML of `path` for these request headers (no JavaScript involved). */
async function rendered(pathname, headers) {
  const res = await fetch(`${BASE_URL}${pathname}`, { headers });
  assert.equal(res.status, 200);
  return res.text();
}

test('the server renders the language asked for: cookie first, then Accept-Language', async () => {
  const ru = await rendered('/', { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' });
  assert.match(ru, /<html[^>]* lang="ru"/);
  assert.match(ru, /<h1[^>]*>Видео</);
  assert.match(ru, /Все видео/);
  assert.match(ru, /Перетащите видеофайлы сюда/);

  const en = await rendered('/', { 'accept-language': 'en;q=0.9, ru;q=0.8' });
  assert.match(en, /<html[^>]* lang="en"/);
  assert.match(en, /<h1[^>]*>Videos</);
  assert.doesNotMatch(en, /Все видео/);

  const chosen = await rendered('/profiles', { 'accept-language': 'ru-RU', cookie: 'facetally_lang=en' });
  assert.match(chosen, /<html[^>]* lang="en"/);
  assert.match(chosen, /<h1[^>]*>Profiles</);
  const garbage = await rendered('/search', { 'accept-language': ';;q=x,,' });
  assert.match(garbage, /<html[^>]* lang="en"/);

  // The API's messages and field keys stay English whatever the browser asks for.
  const res = await fetch(`${BASE_URL}/api/videos/not-a-video`, { headers: { 'accept-language': 'ru' } });
  assert.ok(res.status >= 400);
  assert.doesNotMatch(await res.text(), /[а-яё]/i);
});

test('a Russian browser reads Russian before and after hydration, switches to English and keeps it', async (t) => {
  const page = await openPage(t, { locale: 'ru-RU' });

  // Before any JavaScript: the page as the server sent it.
  const response = await page.goto(`${BASE_URL}/`, { waitUntil: 'commit' });
  const html = await response.text();
  assert.match(html, /<html[^>]* lang="ru"/);
  assert.match(html, /<h1[^>]*>Видео</);

  // Hydrated: still Russian, and the page works (live updates, an upload).
  await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  assert.equal((await page.locator('h1').textContent()).trim(), 'Видео');
  assert.equal((await page.getByTestId('live-status').textContent()).trim(), 'В реальном времени');
  assert.equal(await page.getByTestId('lang-ru').getAttribute('aria-pressed'), 'true');
  await page.getByTestId('create-profiles').check();
  const uploaded = page.waitForResponse((r) => r.url() === `${BASE_URL}/api/videos` && r.request().method() === 'POST');
  await page.getByTestId('upload-input').setInputFiles(video('carphone_pristine.mp4'));
  const [created] = await (await uploaded).json();
  // The video and its profile go away after the test, so later tests meet a fresh archive.
  const made = { profile: null };
  t.after(async () => {
    if (made.profile) await fetch(`${BASE_URL}/api/profiles/${made.profile}`, { method: 'DELETE' });
    await fetch(`${BASE_URL}/api/videos/${created.id}`, { method: 'DELETE' });
  });
  await page.getByTestId('upload-done').waitFor();
  assert.equal((await page.getByTestId('upload-done').textContent()).trim(),
    'Видео загружено и поставлено в очередь на обработку.');
  const r = page.locator(`[data-testid="video-row"][data-id="${created.id}"]`);
  await eventually(async () => (await r.getAttribute('data-status')) === 'done',
    { timeout: PROCESSING_TIMEOUT, message: 'carphone done' });
  assert.equal((await r.getByTestId('status').textContent()).trim(), 'Готово');
  assert.equal(await r.locator('td').first().getAttribute('data-label'), 'Файл');

  // The switch: English at once, the cookie set for a year, and kept across a reload.
  await page.getByTestId('lang-en').click();
  assert.equal((await page.locator('h1').textContent()).trim(), 'Videos');
  assert.equal((await r.getByTestId('status').textContent()).trim(), 'Done');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'facetally_lang');
  assert.equal(cookie?.value, 'en');
  assert.equal(cookie.sameSite, 'Lax');
  assert.equal(cookie.path, '/');
  assert.ok(cookie.expires * 1000 - Date.now() > 360 * 24 * 3600 * 1000, 'kept for a year');
  await openVideosPage(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal((await page.locator('h1').textContent()).trim(), 'Videos');
  assert.equal(await page.getByTestId('lang-en').getAttribute('aria-pressed'), 'true');

  // Back to Russian for the profile form: its labels, messages and dates are Russian.
  await page.getByTestId('lang-ru').click();
  await page.goto(`${BASE_URL}/profiles`);
  await page.locator('[data-testid="profiles"][data-hydrated="true"]').waitFor({ timeout: 30_000 });
  const profile = await eventually(async () => (await (await fetch(`${BASE_URL}/api/profiles?limit=100`)).json())
    .items.find((p) => p.videos.some((v) => v.video_id === created.id)), { message: 'a profile of the upload' });
  made.profile = profile.id;
  const c = page.locator(`[data-testid="profile-card"][data-id="${profile.id}"]`);
  assert.equal((await c.getByTestId('profile-name').textContent()).trim(), 'Без имени');
  await c.getByTestId('edit-profile').click();
  const form = c.getByTestId('profile-form');
  assert.match(await form.textContent(), /ФИО/);
  assert.match(await form.textContent(), /Пол/);
  assert.match(await form.textContent(), /Дата рождения/);
  assert.equal((await c.getByTestId('field-gender').locator('option[value="male"]').textContent()).trim(), 'Мужской');

  await c.getByTestId('field-full_name').fill('Иванов 42');
  await c.getByTestId('field-birth_date').fill('2999-01-01');
  await c.getByTestId('save-profile').click();
  await c.getByTestId('error-birth_date').waitFor();
  assert.equal((await c.getByTestId('error-birth_date').textContent()).trim(), 'дата не может быть в будущем');
  assert.equal((await c.getByTestId('error-full_name').textContent()).trim(), '«42»: цифры в имени недопустимы');
  // The same value sent to the API directly: English message, `fields` keyed in English.
  const refused = await fetch(`${BASE_URL}/api/profiles/${profile.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', 'accept-language': 'ru' },
    body: JSON.stringify({ birth_date: '2999-01-01' }),
  });
  assert.equal(refused.status, 422);
  assert.match((await refused.json()).fields.birth_date, /future/);

  await c.getByTestId('field-full_name').fill('Иванов Иван Иванович');
  await c.getByTestId('field-birth_date').fill('1985-04-12');
  await c.getByTestId('field-gender').selectOption('female');
  await c.getByTestId('save-profile').click();
  await c.getByTestId('profile-form').waitFor({ state: 'detached' });
  assert.equal((await c.getByTestId('profile-birth_date').textContent()).trim(), '12.04.1985');
  assert.equal((await c.getByTestId('profile-gender').textContent()).trim(), 'Женский');
});

test('without JavaScript a Russian browser gets the Russian page', async (t) => {
  const page = await openPage(t, { locale: 'ru-RU', javaScriptEnabled: false });
  await page.goto(`${BASE_URL}/search`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  assert.equal((await page.locator('h1').textContent()).trim(), 'Поиск по архиву');
  assert.equal((await page.locator('nav.nav a').first().textContent()).trim(), 'Видео');
});
