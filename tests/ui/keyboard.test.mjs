// Registering a report of concern with the keyboard only, from the start page to the new matter: every key
// press and page load is counted, and the counts must be the ones docs/USABILITY.md states.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { ROOT, pnr } from '../api/server.mjs';
import { loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

const shared = useServerAndBrowser();

const REPORT_TEXT = 'Skolan har sett blåmärken på armarna.';

test('a report of concern is registered with the keyboard alone', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  page.loads = 0;
  let keystrokes = 0;
  const press = async (key) => { keystrokes += 1; await page.keyboard.press(key); };
  const type = async (text) => { keystrokes += [...text].length; await page.keyboard.type(text); };
  const started = Date.now();

  // From the start page: Tab to "Ny orosanmälan" (skip link, NySoL, Start, Ny orosanmälan) and Enter.
  for (let i = 0; i < 4; i++) await press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Ny orosanmälan');
  await Promise.all([page.waitForURL(/\/reports\/new$/), press('Enter')]);
  // The identity number field has the focus when the page opens.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'identity-number');
  const child = pnr('2014-09-30', 986);
  await type(child);
  await page.locator('#identity-check .check-ok').waitFor();
  await press('Tab');
  await type('Sk');  // a select picks the first option starting with what is typed: "Skola"
  assert.equal(await page.locator('#reporter-category').inputValue(), 'school');
  await press('Tab');
  await type(REPORT_TEXT);
  await Promise.all([page.waitForURL(/\/matters\/\d+\?done=registered/), press('Control+Enter')]);
  const seconds = (Date.now() - started) / 1000;

  assert.match(await page.locator('.flash').innerText(), /Orosanmälan är registrerad/);
  assert.equal(shared.server.count('journal', "kind = 'report_received'"), 1);
  const loads = page.loads;
  console.log(JSON.stringify({ keystrokes, page_loads: loads, seconds, text_characters: [...REPORT_TEXT].length,
    identity_number_digits: child.length }));
  assert.ok(seconds < 60, `a registration takes under a minute (took ${seconds} s)`);

  // docs/USABILITY.md states these counts; a change in the flow must change the document with it.
  const doc = readFileSync(path.join(ROOT, 'docs', 'USABILITY.md'), 'utf8');
  const stated = doc.match(/<!-- measured: keystrokes=(\d+) page_loads=(\d+) -->/);
  assert.ok(stated, 'docs/USABILITY.md has the measured counts');
  assert.equal(Number(stated[1]), keystrokes, 'keystrokes as docs/USABILITY.md states');
  assert.equal(Number(stated[2]), loads, 'page loads as docs/USABILITY.md states');
});

test('the identity number is checked as it is typed, and an earlier report is shown at once', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await page.goto('/reports/new');
  // Half a number is not an error yet.
  await page.fill('#identity-number', '20140930');
  await page.waitForResponse((res) => res.url().includes('/reports/identity-check'));
  assert.equal(await page.locator('#identity-check .check-bad').count(), 0);
  await page.fill('#identity-number', '201409309861');  // wrong check digit
  await page.locator('#identity-check .check-bad').waitFor();
  assert.match(await page.locator('#identity-check').innerText(), /inte giltigt/);
  await page.fill('#identity-number', pnr('2014-09-30', 986));  // registered by the test above
  await page.locator('#identity-check .known').waitFor();
  const hint = await page.locator('#identity-check').innerText();
  assert.match(hint, /Redan känd/);
  assert.match(hint, /1 tidigare orosanmälningar/);
  assert.match(hint, /Skola/);
  await page.selectOption('#reporter-category', 'police');
  await page.fill('#report-text', 'Polisen var på plats i hemmet i natt efter larm om bråk.');
  await screenshot(page, 'report-new');
});
