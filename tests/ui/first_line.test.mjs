// The first line in the browser: registering identified and non-identifying participation under the
// committee's decisions (11 kap. 5 §, 14 kap. 4–5 §§ SoL), and the public page of services without application.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { addDays, addUser, setPassword, todayStockholm } from '../api/server.mjs';
import { PASSWORD, axeViolations, loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

const today = todayStockholm();
let talks;   // decision: family talks, identity documented
let shelter; // decision: support talks after violence, identity exempt (14 kap. 5 §)
const shared = useServerAndBrowser(async ({ server }) => {
  addUser(server.db, 'forsta.linjen', 'first_line', 'forsta-linjen');
  setPassword(server.db, 'forsta.linjen', PASSWORD);
  const decide = async (body) => {
    const res = await server.api('POST', '/api/v1/committee-decisions', {
      decided_on: addDays(today, -3), minutes_paragraph: '§ 7', dnr: 'SN 2026/7', valid_from: addDays(today, -3),
      ...body,
    }, server.tokens.committee);
    assert.equal(res.status, 201, res.text);
    return res.json.decision.id;
  };
  talks = await decide({ item_code: 'familjerad-forsta-linjen', target_group: 'Familjer med barn' });
  shelter = await decide({ item_code: 'stodsamtal-vald', identity_exempt: true,
    identity_exempt_reasons: 'Våldsutsatta avstår från stöd om de måste uppge vem de är.' });
});

test('an identified participation is registered in a few steps', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'forsta.linjen');
  await page.click('text=Registrera deltagande');
  await page.selectOption('#decision', String(talks));
  await page.fill('#fl-identity', '198003149989');
  await page.check('input[name=informed_about_application]');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Registrera")')]);
  assert.match(await page.locator('.flash').innerText(), /Deltagandet är registrerat/);
  assert.match(await page.locator('main').innerText(), /Familjesamtal\s+Med personnummer/);
  const rows = shared.server.sql('SELECT mode, CASE WHEN person_id IS NOT NULL THEN 1 ELSE 0 END, informed_about_application FROM first_line_participations');
  assert.deepEqual(rows, [['identified', '1', '1']]);
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'first-line');
  // The person wants an assessment: one step makes the contact an application in the adults' unit.
  await page.selectOption('select[name=to_unit]', 'vuxen');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Registrera ansökan")')]);
  assert.match(await page.locator('main').innerText(), /Ansökan registrerad \(ärende \d+\)/);
  assert.deepEqual(shared.server.sql(
    "SELECT m.unit, m.kind FROM first_line_participations f JOIN matters m ON m.id = f.referred_matter_id"),
  [['vuxen', 'adult']]);
});

test('a non-identifying participation is registered where the committee exempted identity', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'forsta.linjen');
  await page.goto('/first-line/new');
  await page.selectOption('#decision', String(shelter));
  await page.check('input[name=mode][value=non_identifying]');
  await page.selectOption('#fl-basis', 'identity_exempt');
  await page.fill('#fl-count', '3');
  await page.selectOption('#fl-age', '30-49');
  await page.selectOption('#fl-gender', 'female');
  await page.check('input[name=informed_about_application]');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Registrera")')]);
  const rows = shared.server.sql(
    "SELECT count, age_band, gender, CASE WHEN person_id IS NULL THEN 1 ELSE 0 END FROM first_line_participations WHERE mode = 'non_identifying'");
  assert.deepEqual(rows, [['3', '30-49', 'female', '1']]);
});

test('identity is refused where the committee decided it is not documented, and nothing is written', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'forsta.linjen');
  await page.goto('/first-line/new');
  const before = shared.server.count('first_line_participations');
  await page.selectOption('#decision', String(shelter));
  await page.fill('#fl-identity', '198003149989');
  await page.click('button:has-text("Registrera")');
  await page.locator('.error-message').waitFor();
  assert.match(await page.locator('.error-message').innerText(), /14 kap\. 5 § SoL/);
  assert.equal(await page.locator('#fl-identity').inputValue(), '198003149989', 'what was typed is kept');
  assert.equal(shared.server.count('first_line_participations'), before);
});

test('the public page lists the services without application, with how to reach them', async () => {
  const context = await shared.browser.newContext({ baseURL: shared.server.base });
  const page = await context.newPage();
  const response = await page.goto('/services');
  assert.equal(response.status(), 200, 'no login needed');
  const text = await page.locator('main').innerText();
  assert.match(text, /Familjesamtal/);
  assert.match(text, /Stödsamtal för våldsutsatta/);
  assert.match(text, /Du behöver inte uppge vem du är/);
  assert.match(text, /Öppettider/);
  assert.doesNotMatch(text, /Kontaktperson/, 'items the law never offers without assessment are not listed');
  assert.deepEqual(await axeViolations(page), []);
  await screenshot(page, 'services');
});

test('the committee records a decision on its page, and the list prints for the minutes', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'committee');
  await page.click('text=Nämndbeslut');
  await page.selectOption('#cd-item', 'budgetradgivning');
  await page.fill('#cd-paragraph', '§ 88');
  await page.fill('#cd-dnr', 'SN 2026/88');
  await Promise.all([page.waitForURL(/done=1/), page.click('button:has-text("Registrera beslut")')]);
  const list = await page.locator('table.decisions').innerText();
  assert.match(list, /Budget- och skuldrådgivning\s+\S+\s+§ 88\s+SN 2026\/88/);
  assert.match(list, /Identitet dokumenteras inte \(14 kap\. 5 §\)/, 'the earlier exemption decision is listed');
  assert.deepEqual(await axeViolations(page), []);
  // The exemption without special reasons is refused at the form, in Swedish, and nothing is written.
  const before = shared.server.count('committee_decisions');
  await page.selectOption('#cd-item', 'traffpunkt-aldre');
  await page.fill('#cd-paragraph', '§ 89');
  await page.fill('#cd-dnr', 'SN 2026/89');
  await page.check('input[name=identity_exempt]');
  await page.click('button:has-text("Registrera beslut")');
  await page.locator('.error-message').waitFor();
  assert.equal(shared.server.count('committee_decisions'), before);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('form').first().isVisible(), false, 'the form is not printed');
  await page.emulateMedia({ media: 'screen' });
  await screenshot(page, 'committee-decisions');
});
