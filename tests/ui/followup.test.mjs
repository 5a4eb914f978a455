// The follow-up dashboard in the browser: an analyst finds it in the menu, sees inflow, the chain, time
// limits and the queue as charts drawn from tables, exports the period, and a case worker is not shown it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { pnr, reportBody, todayStockholm } from '../api/server.mjs';
import { axeViolations, loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

const today = todayStockholm();
const shared = useServerAndBrowser(async ({ server }) => {
  for (const [birth, number] of [['2014-02-03', 982], ['2015-03-04', 984], ['2016-04-05', 986], ['2013-05-06', 991]]) {
    const res = await server.api('POST', '/api/v1/reports', reportBody([pnr(birth, number)], `${today}T08:00`),
      server.tokens.case_worker);
    assert.equal(res.status, 201, res.text);
  }
});

test('the analyst reads the dashboard: charts with their tables, withheld cells shown as ..', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'analyst');
  await page.click('nav >> text=Uppföljning');
  await page.waitForSelector('.chart canvas');
  assert.equal(await page.locator('h1').innerText(), 'Uppföljning');
  // Four charts drawn (inflow, chain, preliminary assessments, investigations, queue: five tables with charts).
  assert.equal(await page.locator('.chart[data-drawn]').count(), 5);
  // The month's inflow: four reports; the chain's first row: four reports, the boy's cell withheld.
  const inflow = page.locator('#inflow_by_month-month tbody tr').last();
  assert.match(await inflow.innerText(), /^\d{4}-\d{2}\s+4\s+0\s+0\s+4$/);
  const reports = page.locator('#funnel-gender tbody tr').first();
  assert.match(await reports.innerText(), /Anmälningar\s+\.\.\s+\.\.\s+0\s+4/);
  // Time limits as a share; with no assessment yet this month there is none to give.
  assert.match(await page.locator('#preliminary_by_month-month thead').innerText(), /Andel inom tidsfristen/);
  assert.match(await page.locator('#preliminary_by_month-month tbody tr').last().innerText(), /0\s+0\s+0\s+–$/);
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'follow-up');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Excel (xlsx)')]);
  assert.match(download.suggestedFilename(), /^uppfoljning-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.xlsx$/);
});

test('a case worker has no follow-up in the menu and is refused the page', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  assert.equal(await page.locator('nav >> text=Uppföljning').count(), 0);
  const res = await page.goto(`${shared.server.base}/follow-up`);
  assert.equal(res.status(), 403);
});
