// The planning page in the browser: a head of unit picks a ready-made scenario and compares it with today, side
// by side with charts; types a scenario of their own; a bad figure or a move the law forbids (11 kap. 5 § SoL)
// is refused with what was typed kept; a case worker is not shown the page. Today is a small demo municipality.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { runSql } from '../api/db.mjs';
import { BIN } from '../api/server.mjs';
import { axeViolations, loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

const shared = useServerAndBrowser(null, {
  prepare: (db) => {
    const demo = spawnSync(BIN, ['demo', '--persons', '1500', '--years', '3', '--seed', '1', '--db', db], { encoding: 'utf8' });
    assert.equal(demo.status, 0, demo.stderr);
    // The demo has an 'admin' of its own; the test's users are named by role.
    runSql(db, "UPDATE users SET username = 'demo.admin' WHERE username = 'admin'");
  },
});

// A cell "4 181,8 (4 138,2 – 4 225,4)" → 4181.8 (the mean).
const mean = (text) => Number(text.split('(')[0].replace(/\s/g, '').replace('−', '-').replace(',', '.'));

async function rowCells(page, name) {
  const row = page.locator('table.plan tbody tr', { has: page.locator(`th:text-is("${name}")`) });
  return row.locator('td').allInnerTexts();
}

test('a head of unit runs a ready-made scenario: today and the scenario side by side, with charts', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'team_lead');
  await page.click('nav >> text=Planering');
  assert.equal(await page.locator('h1').innerText(), 'Planering');
  assert.deepEqual(await axeViolations(page), []);
  await page.click('text=Inflödet av orosanmälningar ökar med 10 %');
  await page.waitForSelector('#result');
  await page.waitForSelector('.chart[data-drawn] canvas');
  assert.equal(await page.locator('.chart[data-drawn]').count(), 3);
  const [today, scenario, change] = await rowCells(page, 'Orosanmälningar');
  assert.ok(Math.abs(mean(scenario) / mean(today) - 1.1) < 0.03, `${today} → ${scenario}`);
  assert.ok(mean(change) > 0, change);
  // The limits come from the rulebook, with their law references.
  const limits = page.locator('table.plan', { has: page.locator('caption:text-is("Tidsfristerna")') });
  assert.deepEqual(await limits.locator('tbody th').allInnerTexts(), [
    'Förhandsbedömningar inom 14 dagar (20 kap. 2 § SoL)',
    'Utredningar om barn och unga inom 4 månader (20 kap. 3 § SoL)']);
  assert.deepEqual(await page.locator('#plan-compliance tbody th').allInnerTexts(),
    ['Förhandsbedömningar, 14 dagar', 'Utredningar om barn och unga, 4 månader']);
  for (const cell of await page.locator('#plan-compliance tbody td').allInnerTexts()) {
    assert.ok(mean(cell) >= 0 && mean(cell) <= 100, cell);
  }
  assert.deepEqual(await axeViolations(page), []);
  assert.deepEqual(page.scriptErrors, []);
  await screenshot(page, 'planning');
});

test('a scenario of their own: two more posts in the investigation unit lower its utilisation', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'team_lead');
  await page.goto('/planning');
  await page.selectOption('#pl-unit', 'utredning-barn');
  await page.fill('#pl-posts', '2');
  await page.fill('#pl-replications', '10');
  await Promise.all([page.waitForSelector('#result'), page.click('text=Jämför med i dag')]);
  const [today, scenario] = await rowCells(page, 'Beläggning, Utredning barn och unga');
  assert.ok(mean(scenario) < mean(today), `${today} → ${scenario}`);
  assert.match(await page.locator('#result p').first().innerText(), /^10 körningar/);
  // What was typed stays in the form, and the address can be sent on.
  assert.equal(await page.inputValue('#pl-posts'), '2');
  assert.match(page.url(), /unit=utredning-barn&posts=2/);
});

test('a bad figure and a move the law forbids are refused, the form kept', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'team_lead');
  let res = await page.goto('/planning?run=1&reports=tio');
  assert.equal(res.status(), 422);
  assert.match(await page.locator('.error-message').innerText(), /Ändringen av orosanmälningar ska vara ett tal mellan −?-?90 och 200 procent/);
  assert.equal(await page.inputValue('#pl-reports'), 'tio');
  assert.equal(await page.locator('#result').count(), 0);
  res = await page.goto('/planning?run=1&reports=1e2');  // no exponents: a figure is typed as digits
  assert.equal(res.status(), 422);
  res = await page.goto(`/planning?run=1&reports=${encodeURIComponent('−5,5')}`);  // the minus sign the page writes
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('#result').count(), 1);
  res = await page.goto('/planning?run=1&posts=2');
  assert.equal(res.status(), 422);
  assert.match(await page.locator('.error-message').innerText(), /Välj enheten/);
  res = await page.goto('/planning?run=1&move=kontaktperson');
  assert.equal(res.status(), 409);
  assert.match(await page.locator('.error-message').innerText(), /kontaktperson.*11 kap\. 5 § 1 SoL/s);
  // Only items the law allows are offered: contact persons and family homes are not among the checkboxes.
  const offered = await page.locator('input[name=move]').evaluateAll((boxes) => boxes.map((b) => b.value));
  assert.ok(!offered.includes('kontaktperson') && !offered.includes('familjehem'), offered.join());
  assert.ok(offered.includes('missbruksbehandling'), offered.join());
  assert.deepEqual(await axeViolations(page), []);
});

test('a case worker has no planning in the menu and is refused the page', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  assert.equal(await page.locator('nav >> text=Planering').count(), 0);
  const res = await page.goto(`${shared.server.base}/planning`);
  assert.equal(res.status(), 403);
});
