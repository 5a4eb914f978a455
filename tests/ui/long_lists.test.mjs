// Pages that show the first part of a long list, and say how long it is: the search by name shows 50 persons,
// each queue of the start page 100 matters. Its own server, with as many children of one name as needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pnr } from '../api/server.mjs';
import { axeViolations, loggedInPage, useServerAndBrowser } from './browser.mjs';

const shared = useServerAndBrowser();
let registered = 0;

// Reports about `count` more children named "Ebba Öhman NNN", each a new unassigned matter in the unit.
async function registerChildren(count) {
  for (const last = registered + count; registered < last; registered++) {
    const born = new Date(Date.UTC(2013, 0, 1 + registered)).toISOString().slice(0, 10);
    const res = await shared.server.api('POST', '/api/v1/reports', {
      received_at: '2026-01-12T10:00', reporter_category: 'school', channel: 'phone', text: 'Oro för eleven.',
      children: [{ identity_number: pnr(born, 982), name: `Ebba Öhman ${String(registered).padStart(3, '0')}` }],
    }, shared.server.tokens.case_worker);
    assert.equal(res.status, 201, res.text);
  }
}

async function queue(page, id) {
  const section = page.locator(`section:has(h2#queue-${id})`);
  return { heading: await page.locator(`h2#queue-${id}`).innerText(), rows: await section.locator('tbody tr').count(),
    text: await section.innerText() };
}

test('a name search that matches more than 50 shows the first 50 by name and says there are more', async () => {
  await registerChildren(51 - registered);
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await page.goto(`/search?q=${encodeURIComponent('öhman')}`);
  const main = page.locator('main');
  assert.equal(await main.locator('article.result').count(), 50);
  assert.match(await main.innerText(), /Fler än 50 personer har ”öhman” i namnet. Här visas de 50 första i bokstavsordning/);
  assert.match(await main.locator('article.result h3').first().innerText(), /Ebba Öhman 000/);
  assert.match(await main.locator('article.result h3').last().innerText(), /Ebba Öhman 049/);
  assert.deepEqual(await axeViolations(page), []);
  // Only the persons shown are read: one access-log row each.
  assert.equal(shared.server.count('access_log', "route = 'GET /search' AND person_id IS NOT NULL"), 50);

  // Narrowed to fewer than 50: no note.
  await page.goto(`/search?q=${encodeURIComponent('Öhman 05')}`);
  assert.equal(await main.locator('article.result').count(), 1);
  assert.doesNotMatch(await main.innerText(), /Fler än/);
});

test('a queue of the start page counts all its open matters, also beyond the 100 it shows', async () => {
  await registerChildren(51 - registered);  // none when the search's test ran first
  const page = await loggedInPage(shared.browser, shared.server.base, 'team_lead');
  // 51 open matters: all shown, and counted.
  await page.goto('/');
  let unit = await queue(page, 'unit');
  assert.match(unit.heading, /\(51 öppna\)/);
  assert.equal(unit.rows, 51);
  assert.doesNotMatch(unit.text, /Här visas de/);
  // 101: the 100 nearest their time limits shown, all 101 counted.
  await registerChildren(50);
  await page.goto('/');
  unit = await queue(page, 'unit');
  assert.match(unit.heading, /\(101 öppna\)/);
  assert.equal(unit.rows, 100);
  assert.match(unit.text, /Här visas de 100 ärenden som ligger närmast sina tidsfrister/);
  // A case worker's queue of what nobody has been given yet counts the same matters.
  const worker = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await worker.goto('/');
  assert.match((await queue(worker, 'unassigned')).heading, /\(101 öppna\)/);
  assert.match((await queue(worker, 'mine')).heading, /\(0 öppna\)/);
});
