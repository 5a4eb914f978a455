// The whole chain for one child in a real browser, from the report of concern to the closed matter, with
// axe-core's WCAG 2.1 AA rules on every page on the way and screenshots of the main pages.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

import { BIN, RULEBOOK, pnr, todayStockholm } from '../api/server.mjs';
import { axeViolations, loggedInPage, screenshot, useServerAndBrowser } from './browser.mjs';

const shared = useServerAndBrowser();

async function submitStep(page, slug, fill) {
  const step = page.locator(`#step-${slug}`);
  if (!(await step.evaluate((el) => el.open))) await step.locator('summary').click();
  await fill(step);
  await Promise.all([page.waitForURL(/done=/), step.locator('button[type=submit]').click()]);
  assert.equal(await page.locator('.error-message').count(), 0, await page.locator('main').innerText());
}

async function assertAccessible(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe-core found WCAG 2.1 AA violations on ${what}`);
}

test('a case worker takes one child from report to closed matter in the browser', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await assertAccessible(page, 'the start page');
  const child = pnr('2015-03-14', 982);
  const today = todayStockholm();

  await page.goto('/reports/new');
  await assertAccessible(page, 'the report form');
  await page.fill('#identity-number', child);
  await page.locator('#identity-check .check-ok').waitFor();  // the live check (htmx)
  await page.selectOption('#reporter-category', 'school');
  await page.fill('#report-text', 'Skolan har sett blåmärken på armarna vid två tillfällen.');
  await Promise.all([page.waitForURL(/\/matters\/\d+\?done=registered/), page.click('text=Registrera orosanmälan')]);
  const matterId = Number(new URL(page.url()).pathname.split('/')[2]);
  assert.match(await page.locator('.flash').innerText(), /Orosanmälan är registrerad/);
  // The next legal step is the open, primary one: the immediate protection assessment.
  assert.equal(await page.locator('details.primary-step').getAttribute('id'), 'step-protection-assessment');
  assert.match(await page.locator('.clocks').innerText(), /Förhandsbedömning.*20 kap\. 2 § SoL/s);
  await assertAccessible(page, 'a new matter');

  await submitStep(page, 'protection-assessment', async (step) => {
    await step.locator('select[name=immediate_need]').selectOption('false');
    await step.locator('textarea[name=reasons]').fill('Inga uppgifter om akut fara; barnet är i skolan.');
  });
  await submitStep(page, 'preliminary-assessment', async (step) => {
    await step.locator('select[name=decision]').selectOption('open_investigation');
    await step.locator('textarea[name=reasons]').fill('Upprepade iakttagelser av skador; behov av utredning.');
  });
  assert.match(await page.locator('h1').innerText(), /Utredning pågår/);
  assert.match(await page.locator('.clocks').innerText(), /Utredning av barns behov.*20 kap\. 3 § SoL/s);
  await screenshot(page, 'matter');
  await submitStep(page, 'investigation-notification', async (step) => {
    await step.locator('input[name=notified]').fill('Vårdnadshavarna');
  });
  await submitStep(page, 'investigation-completion', async (step) => {
    await step.locator('textarea[name=conclusion]').fill('Behov av stöd i form av kontaktperson.');
  });
  await submitStep(page, 'decisions', async (step) => {
    await step.locator('select[name=outcome]').selectOption('granted');
    await step.locator('select[name=intervention]').selectOption('kontaktperson');
    await step.locator('select[name=legal_basis]').selectOption('sol-11-1');
    await step.locator('textarea[name=reasons]').fill('Barnet behöver en vuxen förebild utanför familjen.');
    await step.locator('input[name=served_on]').fill(today);
  });

  // The decision letter: the appeal's last day as the rulebook computes it from the day it was received.
  const lastDay = execFileSync(BIN, ['deadline', 'appeal', today, '--rulebook', RULEBOOK], { encoding: 'utf8' })
    .match(/\d{4}-\d{2}-\d{2}/)[0];
  await Promise.all([page.waitForURL(/\/letter$/), page.click('text=Beslutsbrev (utskrift)')]);
  const letter = await page.locator('main').innerText();
  assert.match(letter, /Bifall: Kontaktperson/);
  assert.match(letter, new RegExp(`Sista dag att överklaga är ${lastDay}`));
  assert.match(letter, /förvaltningsrätten/);
  await assertAccessible(page, 'the decision letter');
  await screenshot(page, 'letter');
  await page.goBack();

  await submitStep(page, 'interventions', async (step) => {
    const options = await step.locator('select[name=decision_id] option').evaluateAll((os) => os.map((o) => o.value));
    await step.locator('select[name=decision_id]').selectOption(options.find((v) => v !== ''));
  });
  const end = page.locator('.intervention details.step');
  await end.locator('summary').click();
  await end.locator('textarea[name=reason]').fill('Insatsen har gett avsett resultat.');
  await Promise.all([page.waitForURL(/done=/), end.locator('button[type=submit]').click()]);
  await submitStep(page, 'closure', async (step) => {
    await step.locator('textarea[name=reason]').fill('Beslutad insats genomförd och avslutad.');
  });

  assert.match(await page.locator('h1').innerText(), /Avslutat/);
  assert.equal(await page.locator('details.step').count(), 0, 'a closed matter offers no steps');
  const timeline = await page.locator('.timeline').innerText();
  for (const what of ['Orosanmälan inkom', 'Skyddsbedömning', 'Förhandsbedömning beslutad', 'Utredning inledd',
    'Underrättelse om utredning', 'Utredning avslutad', 'Beslut', 'Insats påbörjad', 'Insats avslutad',
    'Ärende avslutat']) {
    assert.match(timeline, new RegExp(what), `the timeline shows '${what}'`);
  }
  await assertAccessible(page, 'a closed matter');
  // The journal has every step, in order, each written by the case worker through the pages.
  const kinds = shared.server.sql(`SELECT kind FROM journal WHERE matter_id = ${matterId} ORDER BY seq`).map((r) => r[0]);
  assert.deepEqual(kinds, ['matter_opened', 'report_received', 'protection_assessed', 'preliminary_decided',
    'investigation_started', 'investigation_notified', 'investigation_completed', 'decision_made', 'decision_served',
    'intervention_started', 'intervention_ended', 'matter_closed']);
  assert.deepEqual(page.scriptErrors, []);
});

test('a refused step keeps what was typed and says why in Swedish', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await page.goto('/reports/new');
  await page.fill('#identity-number', pnr('2016-07-01', 984));
  await page.selectOption('#reporter-category', 'police');
  await page.fill('#report-text', 'Polisen rapporterar ett bråk i hemmet.');
  await Promise.all([page.waitForURL(/done=registered/), page.click('text=Registrera orosanmälan')]);
  const matterId = Number(new URL(page.url()).pathname.split('/')[2]);
  const step = page.locator('#step-protection-assessment');
  await step.locator('textarea[name=reasons]').fill('Skälen som inte får försvinna.');
  // No choice of immediate need: the form refuses, names the field, and keeps the text.
  await step.locator('select[name=immediate_need]').evaluate((el) => el.removeAttribute('required'));
  await step.locator('button[type=submit]').click();
  await page.waitForLoadState();
  assert.match(await step.locator('.error-message').innerText(), /Fyll i ”Finns ett omedelbart skyddsbehov\?”/);
  assert.equal(await step.locator('textarea[name=reasons]').inputValue(), 'Skälen som inte får försvinna.');
  assert.equal(shared.server.count('journal', `matter_id = ${matterId} AND kind = 'protection_assessed'`), 0,
    'nothing was written');
});

test('search finds a child by identity number with every report and its outcome', async () => {
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  const child = pnr('2015-03-14', 982);
  await page.goto('/search');
  await page.fill('#q', child);
  await Promise.all([page.waitForURL(/q=/), page.press('#q', 'Enter')]);
  const results = await page.locator('main').innerText();
  assert.match(results, /Skola/);
  assert.match(results, /Utredning inleddes/);
  await assertAccessible(page, 'the search page');
  await screenshot(page, 'search');
  // Reading it is logged: the search's read of the person is in the access log.
  assert.ok(shared.server.count('access_log', "route = 'GET /search' AND person_id IS NOT NULL") >= 1);
});

test('search finds a child by part of the name, whatever the case of its letters', async () => {
  const child = pnr('2014-05-06', 980);
  const res = await shared.server.api('POST', '/api/v1/reports', {
    received_at: '2026-01-12T10:00', reporter_category: 'school', channel: 'phone', text: 'Oro för eleven.',
    children: [{ identity_number: child, name: 'Märta Åström' }],
  }, shared.server.tokens.case_worker);
  assert.equal(res.status, 201, res.text);
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  for (const q of ['åström', 'MÄRTA Å', 'rta åst']) {
    await page.goto(`/search?q=${encodeURIComponent(q)}`);
    const results = await page.locator('main').innerText();
    assert.match(results, /Märta Åström/, `the search for "${q}"`);
  }
  await page.goto(`/search?q=${encodeURIComponent('astrom')}`);
  assert.doesNotMatch(await page.locator('main').innerText(), /Märta Åström/, 'å and ö are letters of their own');
  // One letter is too little to search by, also when it takes two bytes.
  await page.goto(`/search?q=${encodeURIComponent('Å')}`);
  assert.match(await page.locator('main').innerText(), /Skriv minst två tecken av namnet/);
});

test('every role has a start page that passes axe-core', async () => {
  for (const role of ['team_lead', 'first_line', 'analyst', 'committee', 'admin']) {
    const page = await loggedInPage(shared.browser, shared.server.base, role);
    assert.equal(new URL(page.url()).pathname, '/');
    assert.match(await page.locator('h1').innerText(), /Start/);
    await assertAccessible(page, `the start page of ${role}`);
    if (role === 'team_lead') {
      assert.match(await page.locator('main').innerText(), /Enhetens ärenden/);
      await screenshot(page, 'start-team-lead');
    }
    await page.context().close();
  }
  const page = await loggedInPage(shared.browser, shared.server.base, 'case_worker');
  await screenshot(page, 'start');
  const login = await (await shared.browser.newContext({ baseURL: shared.server.base })).newPage();
  await login.goto('/login');
  await assertAccessible(login, 'the login page');
  await screenshot(login, 'login');
});
