// Search by name in the browser when more persons match than the page shows: the first 50 by name, and a
// note that says there are more and how to narrow the search. Its own server: 51 persons of one name.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pnr } from '../api/server.mjs';
import { axeViolations, loggedInPage, useServerAndBrowser } from './browser.mjs';

const SHOWN = 50;
const shared = useServerAndBrowser(async () => {
  for (let i = 0; i <= SHOWN; i++) {
    const res = await shared.server.api('POST', '/api/v1/reports', {
      received_at: '2026-01-12T10:00', reporter_category: 'school', channel: 'phone', text: 'Oro för eleven.',
      children: [{ identity_number: pnr(new Date(Date.UTC(2013, 0, 1 + i)).toISOString().slice(0, 10), 982),
        name: `Ebba Öhman ${String(i).padStart(2, '0')}` }],
    }, shared.server.tokens.case_worker);
    assert.equal(res.status, 201, res.text);
  }
});

test('a name search that matches more than 50 shows the first 50 by name and says there are more', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await page.goto(`/search?q=${encodeURIComponent('öhman')}`);
  const main = page.locator('main');
  assert.equal(await main.locator('article.result').count(), SHOWN);
  assert.match(await main.innerText(), /Fler än 50 personer har ”öhman” i namnet/);
  assert.match(await main.locator('article.result h3').first().innerText(), /Ebba Öhman 00/);
  assert.match(await main.locator('article.result h3').last().innerText(), /Ebba Öhman 49/);
  assert.deepEqual(await axeViolations(page), []);
  // Only the persons shown are read: one access-log row each.
  assert.equal(shared.server.count('access_log', "route = 'GET /search' AND person_id IS NOT NULL"), SHOWN);

  // Narrowed to fewer than 50: no note.
  await page.goto(`/search?q=${encodeURIComponent('Öhman 5')}`);
  assert.equal(await main.locator('article.result').count(), 1);
  assert.doesNotMatch(await main.innerText(), /Fler än/);
});
