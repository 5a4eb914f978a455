// The intervention catalog and the committee's decisions (11 kap. 5 § SoL) through the API and the CLI:
// which items are open for the first line on a date, on both sides of a decision's validity.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, todayStockholm, addDays, BIN, RULEBOOK } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => server?.stop());

const today = todayStockholm();
const decision = {
  item_code: 'alkohol-radgivning', decided_on: addDays(today, -30), minutes_paragraph: '§ 45', dnr: 'SN 2026/118',
  valid_from: addDays(today, -10), valid_to: addDays(today, 10), target_group: 'Vuxna', age_min: 18, max_sessions: 5,
};

async function firstLine(date) {
  const res = await server.api('GET', `/api/v1/catalog?date=${date}&mode=first-line`, undefined,
    server.tokens.first_line);
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

test('the committee opens an item for the first line for a period, and the catalog says so day by day', async () => {
  assert.deepEqual(await firstLine(today), [], 'nothing is open before the committee decides');
  const res = await server.api('POST', '/api/v1/committee-decisions', decision, server.tokens.committee);
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.decision.item_name_sv, 'Alkoholrådgivning');
  for (const [date, open] of [[addDays(today, -11), false], [addDays(today, -10), true], [today, true],
    [addDays(today, 10), true], [addDays(today, 11), false]]) {
    const items = await firstLine(date);
    assert.equal(items.length, open ? 1 : 0, `on ${date}`);
    if (open) {
      assert.equal(items[0].code, 'alkohol-radgivning');
      assert.equal(items[0].mode, 'first_line');
      assert.equal(items[0].decision.minutes_paragraph, '§ 45');
      assert.equal(items[0].decision.dnr, 'SN 2026/118');
    }
  }
  const all = await server.api('GET', `/api/v1/catalog?date=${today}`, undefined, server.tokens.case_worker);
  const modes = Object.fromEntries(all.json.items.map((i) => [i.code, i.mode]));
  assert.equal(modes['alkohol-radgivning'], 'first_line');
  assert.equal(modes['cope'], 'individual');
  assert.equal(modes['kontaktperson'], 'assessment_required');
});

test('the CLI export prints each item with its mode and decision', () => {
  const csv = execFileSync(BIN, ['catalog', 'export', '--format', 'csv', '--db', server.db, '--on', today,
    '--rulebook', RULEBOOK], { encoding: 'utf8' });
  const lines = csv.trim().split('\r\n');
  assert.ok(lines[0].startsWith('code,name_sv,'));
  assert.ok(lines.length >= 31);
  const row = lines.find((l) => l.startsWith('alkohol-radgivning,'));
  assert.match(row, /,first_line,\d+,/);
  assert.match(row, /§ 45,SN 2026\/118/);
  assert.match(lines.find((l) => l.startsWith('familjehem,')), /,assessment_required,/);
});

test('only the committee records decisions, and bad ones change nothing', async () => {
  const before = server.count('committee_decisions');
  const refused = await server.api('POST', '/api/v1/committee-decisions', decision, server.tokens.case_worker);
  assertError(assert, refused, 403, 'forbidden');
  const contact = await server.api('POST', '/api/v1/committee-decisions', { ...decision, item_code: 'kontaktperson' },
    server.tokens.committee);
  assertError(assert, contact, 409, 'illegal_transition');
  assert.match(contact.json.error.message, /11 kap\. 5 § 1 SoL/);
  const noReasons = await server.api('POST', '/api/v1/committee-decisions', { ...decision, identity_exempt: true },
    server.tokens.committee);
  assertError(assert, noReasons, 400, 'invalid_input');
  const badDate = await server.api('GET', '/api/v1/catalog?date=2026-02-30', undefined, server.tokens.committee);
  assertError(assert, badDate, 422, 'invalid_date');
  assert.equal(server.count('committee_decisions'), before);
});

test('first-line staff register identified and non-identifying participation under a decision', async () => {
  const opened = await server.api('POST', '/api/v1/committee-decisions', {
    item_code: 'familjerad-forsta-linjen', decided_on: addDays(today, -5), minutes_paragraph: '§ 50',
    dnr: 'SN 2026/120', valid_from: addDays(today, -5),
  }, server.tokens.committee);
  assert.equal(opened.status, 201, opened.text);
  const decisionId = opened.json.decision.id;
  // server.mjs's first-line user works in utredning-barn; the item is run by forsta-linjen.
  const fl = server.addUser('forsta.linjen', 'first_line', 'forsta-linjen');
  const adult = { decision_id: decisionId, date: today, mode: 'identified', person: { identity_number: '198003149989' },
    informed_about_application: true };
  const res = await server.api('POST', '/api/v1/first-line/participations', adult, fl);
  assert.equal(res.status, 201, res.text);
  assert.ok(res.json.participation.person_id > 0);
  assert.equal(server.count('access_log', `username = 'forsta.linjen' AND action = 'write'`), 1,
    'writing about a person is logged');
  const group = { decision_id: decisionId, date: today, mode: 'non_identifying', basis: 'advice', count: 4,
    age_band: '30-49', gender: 'female', informed_about_application: true };
  const anon = await server.api('POST', '/api/v1/first-line/participations', group, fl);
  assert.equal(anon.status, 201, anon.text);
  assert.equal(anon.json.participation.person_id, null);
  const list = await server.api('GET', `/api/v1/first-line/participations?date=${today}`, undefined, fl);
  assert.deepEqual(list.json.participations.map((p) => p.mode), ['identified', 'non_identifying']);
  // Refusals: a child of 12 without consent (21 kap. 2 §), another unit's user, a case worker.
  const child = await server.api('POST', '/api/v1/first-line/participations',
    { ...adult, person: { identity_number: '201401059983' } }, fl);
  assertError(assert, child, 409, 'illegal_transition');
  const other = await server.api('POST', '/api/v1/first-line/participations', adult, server.tokens.first_line);
  assertError(assert, other, 403, 'forbidden');
  const worker = await server.api('POST', '/api/v1/first-line/participations', adult, server.tokens.case_worker);
  assertError(assert, worker, 403, 'forbidden');
});

test('one step turns an identified adult\'s first-line contact into an application in another unit', async () => {
  const fl = server.addUser('forsta.linjen2', 'first_line', 'forsta-linjen');
  const [opened] = (await server.api('GET', `/api/v1/catalog?date=${today}&mode=first-line`, undefined, fl)).json.items
    .filter((i) => i.code === 'familjerad-forsta-linjen');
  const adult = await server.api('POST', '/api/v1/first-line/participations', {
    decision_id: opened.decision.id, date: today, mode: 'identified', person: { identity_number: '197512249983' },
    informed_about_application: true,
  }, fl);
  assert.equal(adult.status, 201, adult.text);
  const id = adult.json.participation.id;
  const res = await server.api('POST', `/api/v1/first-line/participations/${id}/application`,
    { to_unit: 'vuxen', text: 'Vill ansöka om stöd efter samtalen.' }, fl);
  assert.equal(res.status, 201, res.text);
  assert.deepEqual(res.json.events.map((e) => e.kind), ['matter_opened', 'application_received', 'first_line_referred']);
  assert.deepEqual(server.sql(`SELECT unit, kind FROM matters WHERE id = ${res.json.matter_id}`), [['vuxen', 'adult']]);
  const again = await server.api('POST', `/api/v1/first-line/participations/${id}/application`,
    { to_unit: 'vuxen', text: 'Igen.' }, fl);
  assertError(assert, again, 409, 'conflict');
  const nowhere = await server.api('POST', `/api/v1/first-line/participations/${id}/application`,
    { to_unit: 'ingen-enhet', text: 'X' }, fl);
  assertError(assert, nowhere, 422, 'unknown_code');
  const anon = server.sql("SELECT id FROM first_line_participations WHERE mode = 'non_identifying' LIMIT 1")[0][0];
  const noIdentity = await server.api('POST', `/api/v1/first-line/participations/${anon}/application`,
    { to_unit: 'vuxen', text: 'X' }, fl);
  assertError(assert, noIdentity, 409, 'illegal_transition');
});
