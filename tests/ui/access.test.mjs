// Access in the browser: a user of another unit is refused a matter, pages need a login, the login form
// cannot be posted from elsewhere, and pages can be read without JavaScript.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pnr } from '../api/server.mjs';
import { PASSWORD, axeViolations, loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

let matterId;
const CHILD = pnr('2012-12-12', 990);
const shared = useServerAndBrowser(async () => {
  const res = await shared.server.api('POST', '/api/v1/reports', {
    received_at: '2026-01-10T09:00', reporter_category: 'school', channel: 'phone', text: 'Oro för barnet.',
    children: [{ identity_number: CHILD }],
  }, shared.server.tokens.case_worker);
  assert.equal(res.status, 201, res.text);
  matterId = res.json.subjects[0].matter_id;
});

test('a case worker of another unit is refused the matter and sees none of it', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'vuxen.handlaggare');
  const response = await page.goto(`/matters/${matterId}`);
  assert.equal(response.status(), 403);
  const text = await page.locator('main').innerText();
  assert.match(text, /Ingen behörighet/);
  assert.match(text, /inre sekretess/);
  assert.ok(!text.includes(CHILD), 'the identity number is not shown');
  assert.ok(!text.includes('Oro för barnet'), 'the report is not shown');
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'outside-unit');
  // Search by number does not open another unit's reports either; it says only that they exist.
  await page.goto(`/search?q=${CHILD}`);
  const search = await page.locator('main').innerText();
  assert.match(search, /andra enheter/);
  assert.ok(!search.includes('Oro för barnet'));
});

test('a page without a login leads to the login page and back', async () => {
  const context = await shared.browser.newContext({ baseURL: shared.server.base });
  const page = await context.newPage();
  await page.goto(`/matters/${matterId}`);
  assert.equal(new URL(page.url()).pathname, '/login');
  await page.fill('#username', 'case_worker');
  await page.fill('#password', 'fel lösenord');
  await page.click('button[type=submit]');
  assert.match(await page.locator('.error-message').innerText(), /Fel användarnamn eller lösenord/);
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL(new RegExp(`/matters/${matterId}$`)), page.click('button[type=submit]')]);
});

test('the login form posted from another site is refused', async () => {
  // No login cookie (another site cannot send it: SameSite=Strict): refused without checking the password.
  const res = await fetch(`${shared.server.base}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'case_worker', password: 'whatever', _login: 'a'.repeat(32), next: '/' }),
    redirect: 'manual',
  });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('set-cookie')?.includes('nysol_session=') ?? false, false);
});

test('a form post without the CSRF field is refused and changes nothing', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  const before = shared.server.count('journal');
  const status = await page.evaluate(async (id) => {
    const res = await fetch(`/matters/${id}/notes`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'text=utan+token',
    });
    return res.status;
  }, matterId);
  assert.equal(status, 403);
  assert.equal(shared.server.count('journal'), before);
});

test('pages are readable without JavaScript', async () => {
  const context = await shared.browser.newContext({ baseURL: shared.server.base, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/login');
  await page.fill('#username', 'case_worker');
  await page.fill('#password', PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('button[type=submit]')]);
  await page.goto(`/matters/${matterId}`);
  assert.match(await page.locator('.clocks').innerText(), /Förhandsbedömning/);
  assert.match(await page.locator('main').innerText(), /Oro för barnet/);
  // And a step works as a plain form post.
  const step = page.locator('#step-protection-assessment');
  await step.locator('select[name=immediate_need]').selectOption('false');
  await step.locator('textarea[name=reasons]').fill('Ingen akut fara.');
  await Promise.all([page.waitForURL(/done=/), step.locator('button[type=submit]').click()]);
  assert.equal(shared.server.count('journal', `kind = 'protection_assessed' AND matter_id = ${matterId}`), 1);
});

test('a team lead gives a matter to a case worker, who then has it in their own queue', async () => {
  const lead = await loggedInPage(shared.browser, shared.server.base, 'team_lead');
  await lead.goto(`/matters/${matterId}`);
  await lead.selectOption('#assigned-to', 'case_worker');
  await Promise.all([lead.waitForURL(/done=assignment/), lead.click('.assign-form button')]);
  assert.match(await lead.locator('.flash').innerText(), /Ärendet är fördelat/);
  assert.deepEqual(await axeViolations(lead), []);
  // Case workers do not distribute work: they have no such form.
  const worker = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await worker.goto(`/matters/${matterId}`);
  assert.equal(await worker.locator('#assigned-to').count(), 0);
  await worker.goto('/');
  const mine = await worker.locator('section', { has: worker.locator('h2', { hasText: 'Mina ärenden' }) }).innerText();
  assert.match(mine, new RegExp(`Ärende ${matterId}\\b`));
});
