// Inner confidentiality between units (26 kap. OSL), emergency access, protected identity, assignment and
// transfer, the review of the access log and the extract for the individual — through the API, as a case worker,
// a team lead and users of other units would meet them.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, assertError } from './server.mjs';

let server;
let cw;        // case worker, utredning-barn
let lead;      // team lead, utredning-barn
let adult;     // case worker, vuxen
let guarded;   // case worker, utredning-barn, authorised for protected persons
let matter;
let person;
const child = pnr('2013-05-05', 989);
const REASON = 'Akut placering natt, ansvarig handläggare nås inte';

const LOG = ['id', 'username', 'action', 'route', 'person_id', 'matter_id', 'emergency', 'reason', 'outside_unit',
  'protected_person'];
function logRows(afterId) {
  return server.sql(`SELECT ${LOG.join(', ')} FROM access_log WHERE id > ${afterId} ORDER BY id`)
    .map((row) => Object.fromEntries(LOG.map((c, i) => [c, row[i] ?? ''])));
}
const lastLogId = () => Number(server.sql('SELECT coalesce(max(id), 0) FROM access_log')[0][0]);
const journalLength = () => server.count('journal');

before(async () => {
  server = await startServer();
  cw = server.tokens.case_worker;
  lead = server.tokens.team_lead;
  adult = server.addUser('vuxen.hl', 'case_worker', 'vuxen');
  guarded = server.addUser('skydd.hl', 'case_worker', 'utredning-barn', ['--protected-data-access']);
  const body = reportBody([], '2026-03-02T09:15');
  body.children = [{ identity_number: child, address: 'Storgatan 1, 123 45 Exempelstad' }];
  const res = await server.api('POST', '/api/v1/reports', body, cw);
  assert.equal(res.status, 201, res.text);
  matter = res.json.subjects[0].matter_id;
  person = res.json.subjects[0].person_id;
});
after(async () => {
  await server?.stop();
});

describe('inner confidentiality between units', () => {
  test('a case worker of another unit is refused the matter, and nothing is logged as read', async () => {
    const before = lastLogId();
    const res = await server.api('GET', `/api/v1/matters/${matter}`, undefined, adult);
    assertError(assert, res, 403, 'forbidden');
    assert.match(res.json.error.message, /utredning-barn.*emergency_reason/);
    assert.deepEqual(logRows(before), []);
  });

  test('nor may they take a step in it: refused, and the journal is unchanged', async () => {
    const length = journalLength();
    const res = await server.api('POST', `/api/v1/matters/${matter}/protection-assessment`,
      { assessed_at: '2026-03-02T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }, adult);
    assertError(assert, res, 403, 'forbidden');
    assert.equal(journalLength(), length);
  });

  test('a report attached to another unit\'s matter is logged as a write outside one\'s unit', async () => {
    const before = lastLogId();
    const res = await server.api('POST', '/api/v1/reports', reportBody([child], '2026-03-02T11:00'), adult);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.subjects[0].matter_id, matter);
    const [row] = logRows(before);
    assert.equal(row.action, 'write');
    assert.equal(row.outside_unit, '1');
    assert.equal(row.emergency, '0');
  });

  test('a search by identity number names the other unit but shows none of its reports', async () => {
    const res = await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, adult);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.reports, []);
    assert.deepEqual(res.json.other_units, ['utredning-barn']);
    // Known only elsewhere: the searcher learns that, not where the child lives.
    assert.equal(res.json.person.identity_number, child);
    assert.equal(res.json.person.address, null);
    assert.equal(res.json.person.address_hidden, true);
    const own = await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, cw);
    assert.equal(own.json.reports.length, 2);  // the first report and the one the adult unit attached
    assert.deepEqual(own.json.other_units, []);
    assert.equal(own.json.person.address_hidden, false);
    assert.deepEqual(Object.keys(own.json.reports[0]).sort(), ['channel', 'disposition', 'immediate_need', 'matter_id',
      'outcome', 'person_id', 'protection_assessed_at', 'protection_due', 'received_at', 'report_id',
      'reporter_category', 'reporter_name', 'text']);
  });

  test('the person page is refused to a unit with no matter about the person, even in an emergency', async () => {
    assertError(assert, await server.api('GET', `/api/v1/persons/${person}`, undefined, adult), 403, 'forbidden');
    const emergency = await server.api('GET',
      `/api/v1/persons/${person}?emergency_reason=${encodeURIComponent(REASON)}`, undefined, adult);
    assertError(assert, emergency, 403, 'forbidden');
  });

  test('a search in an emergency still shows only one\'s own unit: emergency access is for one matter', async () => {
    const res = await server.api('GET',
      `/api/v1/reports?identity_number=${child}&emergency_reason=${encodeURIComponent(REASON)}`, undefined, adult);
    assert.deepEqual(res.json.reports, []);
    assert.equal(res.json.person.address, null);
  });
});

describe('emergency access (nödåtkomst)', () => {
  test('with a stated reason the matter opens, and the log row carries the flag and the reason', async () => {
    const before = lastLogId();
    const res = await server.api('GET',
      `/api/v1/matters/${matter}?emergency_reason=${encodeURIComponent(REASON)}`, undefined, adult);
    assert.equal(res.status, 200, res.text);
    const rows = logRows(before);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.equal(rows[0].username, 'vuxen.hl');
    assert.equal(rows[0].emergency, '1');
    assert.equal(rows[0].outside_unit, '1');
    assert.equal(rows[0].reason, REASON);
    assert.equal(rows[0].matter_id, String(matter));
  });

  test('a reason too short to judge is refused', async () => {
    const res = await server.api('GET', `/api/v1/matters/${matter}?emergency_reason=akut`, undefined, adult);
    assertError(assert, res, 400, 'invalid_input');
  });

  test('roles without case work may not use it at all', async () => {
    const res = await server.api('GET',
      `/api/v1/matters/${matter}?emergency_reason=${encodeURIComponent(REASON)}`, undefined, server.tokens.first_line);
    assertError(assert, res, 403, 'forbidden');
  });

  test('a reason inside one\'s own unit is not emergency access', async () => {
    const before = lastLogId();
    const res = await server.api('GET',
      `/api/v1/matters/${matter}?emergency_reason=${encodeURIComponent(REASON)}`, undefined, cw);
    assert.equal(res.status, 200);
    const [row] = logRows(before);
    assert.equal(row.emergency, '0');
    assert.equal(row.reason, '');
  });
});

describe('protected identity (skyddade personuppgifter)', () => {
  test('only a team lead may mark it; the mark is journaled and its writing flagged', async () => {
    const before = lastLogId();
    let res = await server.api('POST', `/api/v1/persons/${person}/protected-identity`,
      { protected: true, reason: 'Skyddad folkbokföring enligt Skatteverket.' }, cw);
    assertError(assert, res, 403, 'forbidden');
    res = await server.api('POST', `/api/v1/persons/${person}/protected-identity`, { protected: 'ja', reason: 'x' }, lead);
    assertError(assert, res, 400, 'invalid_input');
    res = await server.api('POST', `/api/v1/persons/${person}/protected-identity`,
      { protected: true, reason: 'Skyddad folkbokföring enligt Skatteverket.' }, lead);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json.events.map((e) => e.kind), ['protected_identity_set']);
    assert.ok(logRows(before).some((r) => r.action === 'write' && r.protected_person === '1'));
    res = await server.api('POST', `/api/v1/persons/${person}/protected-identity`,
      { protected: true, reason: 'Igen.' }, lead);
    assertError(assert, res, 409, 'conflict');
  });

  test('the address is hidden from everyone not authorised, everywhere, and the person is marked', async () => {
    const m = await server.api('GET', `/api/v1/matters/${matter}`, undefined, cw);
    assert.equal(m.json.person.protected_identity, true);
    assert.equal(m.json.person.address, null);
    assert.equal(m.json.person.address_hidden, true);
    assert.ok(!m.text.includes('Storgatan'), 'the address leaks through the matter');
    const p = await server.api('GET', `/api/v1/persons/${person}`, undefined, cw);
    assert.equal(p.json.address, null);
    assert.ok(!p.text.includes('Storgatan'));
    const list = await server.api('GET', '/api/v1/matters', undefined, cw);
    assert.equal(list.json.items.find((i) => i.id === matter).person_protected_identity, true);
  });

  test('lifting the mark needs the authorisation for protected persons', async () => {
    const res = await server.api('POST', `/api/v1/persons/${person}/protected-identity`,
      { protected: false, reason: 'Skyddet har upphört.' }, lead);
    assertError(assert, res, 403, 'forbidden');
  });

  test('an explicitly authorised user sees it, and reads of protected persons are flagged in the log', async () => {
    const before = lastLogId();
    const m = await server.api('GET', `/api/v1/matters/${matter}`, undefined, guarded);
    assert.equal(m.json.person.address, 'Storgatan 1, 123 45 Exempelstad');
    assert.equal(m.json.person.address_hidden, false);
    assert.equal(logRows(before)[0].protected_person, '1');
  });
});

describe('assignment and transfer', () => {
  test('a team lead assigns to a case worker of the unit; a case worker may not assign', async () => {
    let res = await server.api('POST', `/api/v1/matters/${matter}/assignment`, { assigned_to: 'case_worker' }, cw);
    assertError(assert, res, 403, 'forbidden');
    res = await server.api('POST', `/api/v1/matters/${matter}/assignment`, { assigned_to: 'vuxen.hl' }, lead);
    assertError(assert, res, 400, 'invalid_input');
    res = await server.api('POST', `/api/v1/matters/${matter}/assignment`, { assigned_to: 'nobody' }, lead);
    assertError(assert, res, 400, 'invalid_input');
    res = await server.api('POST', `/api/v1/matters/${matter}/assignment`, { assigned_to: 'case_worker' }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.assigned_to, 'case_worker');
    const mine = await server.api('GET', '/api/v1/matters?assigned_to=me', undefined, cw);
    assert.deepEqual(mine.json.items.map((i) => i.id), [matter]);
    const theirs = await server.api('GET', '/api/v1/matters?assigned_to=me', undefined, lead);
    assert.deepEqual(theirs.json.items, []);
  });

  test('a transfer needs a known unit and an assignee who works there', async () => {
    const length = journalLength();
    let res = await server.api('POST', `/api/v1/matters/${matter}/transfer`, { to_unit: 'barn-och-unga' }, lead);
    assertError(assert, res, 422, 'unknown_code');
    res = await server.api('POST', `/api/v1/matters/${matter}/transfer`,
      { to_unit: 'vuxen', assigned_to: 'case_worker' }, lead);
    assertError(assert, res, 400, 'invalid_input');
    res = await server.api('POST', `/api/v1/matters/${matter}/transfer`, { to_unit: 'utredning-barn' }, lead);
    assertError(assert, res, 409, 'conflict');
    assert.equal(journalLength(), length);
  });

  test('after a transfer the new unit has the matter and the old one no longer does', async () => {
    const other = await server.api('POST', '/api/v1/reports', reportBody([pnr('2011-11-11', 988)], '2026-03-03T08:00'), cw);
    const id = other.json.subjects[0].matter_id;
    const res = await server.api('POST', `/api/v1/matters/${id}/transfer`,
      { to_unit: 'vuxen', assigned_to: 'vuxen.hl', reason: 'Fyller snart arton; vuxenenheten tar över.' }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.unit, 'vuxen');
    assert.equal(res.json.timeline, undefined);  // the old unit is answered with no content
    const now = await server.api('GET', `/api/v1/matters/${id}`, undefined, adult);
    assert.equal(now.status, 200, now.text);
    assert.equal(now.json.assigned_to, 'vuxen.hl');
    const gone = await server.api('GET', `/api/v1/matters/${id}`, undefined, cw);
    assertError(assert, gone, 403, 'forbidden');
  });
});

describe('review of the access log', () => {
  test('who has looked at this child: every read and write, with emergency access among them', async () => {
    const res = await server.api('GET', `/api/v1/access-log?person_id=${person}`, undefined, lead);
    assert.equal(res.status, 200, res.text);
    const users = new Set(res.json.items.map((i) => i.username));
    for (const u of ['case_worker', 'vuxen.hl', 'skydd.hl']) assert.ok(users.has(u), `${u} missing`);
    assert.ok(res.json.items.some((i) => i.emergency && i.reason === REASON));
    assert.ok(res.json.items.every((i) => i.person_id === person));
  });

  test('the review is itself logged as a read of the person', async () => {
    const before = lastLogId();
    await server.api('GET', `/api/v1/access-log?person_id=${person}`, undefined, lead);
    const rows = logRows(before);
    assert.deepEqual(rows.map((r) => [r.username, r.route, r.person_id]),
      [['team_lead', 'GET /api/v1/access-log', String(person)]]);
  });

  test('by user, and only for those who review', async () => {
    const res = await server.api('GET', '/api/v1/access-log?username=vuxen.hl', undefined, lead);
    assert.ok(res.json.items.length >= 1);
    assert.ok(res.json.items.every((i) => i.username === 'vuxen.hl'));
    assertError(assert, await server.api('GET', '/api/v1/access-log?username=vuxen.hl', undefined, cw), 403, 'forbidden');
    assertError(assert, await server.api('GET', '/api/v1/access-log', undefined, lead), 400, 'invalid_input');
    assertError(assert, await server.api('GET', '/api/v1/access-log?person_id=1&from=2026-13-01', undefined, lead),
      422, 'invalid_date');
  });

  test('anomalies: emergency access, protected persons, and many persons read in a day', async () => {
    const res = await server.api('GET', '/api/v1/access-log/anomalies?many_persons=1', undefined, lead);
    assert.equal(res.status, 200, res.text);
    const kinds = (kind) => res.json.items.filter((i) => i.kind === kind);
    assert.ok(kinds('emergency_access').some((a) => a.username === 'vuxen.hl' && a.entry.reason === REASON));
    assert.ok(kinds('protected_person').some((a) => a.username === 'skydd.hl'));
    // vuxen.hl read the child by emergency access and the young person transferred to them: two persons.
    const many = kinds('many_persons').find((a) => a.username === 'vuxen.hl');
    assert.ok(many && many.persons >= 2, JSON.stringify(res.json.items));
    const strict = await server.api('GET', '/api/v1/access-log/anomalies?many_persons=1000', undefined, lead);
    assert.equal(strict.json.items.filter((i) => i.kind === 'many_persons').length, 0);
  });
});

describe('review pages in Swedish', () => {
  test('the log of a person and the anomalies as pages, logged like the JSON', async () => {
    const before = lastLogId();
    const log = await server.api('GET', `/api/v1/access-log?person_id=${person}&format=html`, undefined, lead);
    assert.equal(log.status, 200, log.text);
    assert.match(log.headers.get('content-type'), /^text\/html/);
    assert.match(log.text, /<h1>Loggkontroll<\/h1>/);
    assert.ok(log.text.includes(REASON), 'the emergency reason is on the page');
    assert.ok(logRows(before).some((r) => r.route === 'GET /api/v1/access-log' && r.person_id === String(person)));
    const anomalies = await server.api('GET', '/api/v1/access-log/anomalies?format=html', undefined, lead);
    assert.match(anomalies.text, /<h1>Avvikelser i loggen<\/h1>/);
    assert.match(anomalies.text, /Nödåtkomst/);
    assert.match(anomalies.text, /Läsning av skyddad person/);
    assertError(assert, await server.api('GET', '/api/v1/access-log/anomalies?format=xml', undefined, lead),
      400, 'invalid_input');
  });
});

describe('the extract for the individual (registerutdrag)', () => {
  test('JSON: the person, every matter, the journal about them, and who has read it', async () => {
    const res = await server.api('GET', `/api/v1/persons/${person}/extract`, undefined, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.person.id, person);
    assert.deepEqual(res.json.matters.map((m) => m.id), [matter]);
    assert.ok(res.json.journal.some((e) => e.kind === 'person_registered'));
    assert.ok(res.json.journal.some((e) => e.kind === 'protected_identity_set'));
    assert.ok(res.json.access_log.some((r) => r.username === 'vuxen.hl' && r.emergency));
    assert.ok(!res.text.includes('Storgatan'), 'the lead is not authorised for the protected address');
  });

  test('HTML: a printable Swedish document, and making it is logged', async () => {
    const before = lastLogId();
    const res = await server.api('GET', `/api/v1/persons/${person}/extract?format=html`, undefined, lead);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(res.text, /<h1>Registerutdrag<\/h1>/);
    assert.match(res.text, /Vem har läst uppgifterna/);
    assert.ok(logRows(before).some((r) => r.route === 'GET /api/v1/persons/{id}/extract' && r.person_id === String(person)));
    assertError(assert, await server.api('GET', `/api/v1/persons/${person}/extract?format=pdf`, undefined, lead),
      400, 'invalid_input');
  });
});

describe('users, for administrators only', () => {
  test('an administrator lists users and creates one whose token works; nobody else may', async () => {
    const admin = server.tokens.admin;
    const list = await server.api('GET', '/api/v1/users', undefined, admin);
    assert.equal(list.status, 200, list.text);
    assert.ok(list.json.users.some((u) => u.username === 'skydd.hl' && u.protected_data_access === true));
    assertError(assert, await server.api('GET', '/api/v1/users', undefined, lead), 403, 'forbidden');
    const body = { username: 'ny.hl', display_name: 'Ny Handläggare', unit: 'vuxen', role: 'case_worker' };
    assertError(assert, await server.api('POST', '/api/v1/users', body, lead), 403, 'forbidden');
    assertError(assert, await server.api('POST', '/api/v1/users', { ...body, role: 'boss' }, admin), 422, 'unknown_code');
    assertError(assert, await server.api('POST', '/api/v1/users', { ...body, unit: 'nowhere' }, admin), 400, 'invalid_input');
    assertError(assert, await server.api('POST', '/api/v1/users', { ...body, extra: 1 }, admin), 400, 'invalid_input');
    const created = await server.api('POST', '/api/v1/users', body, admin);
    assert.equal(created.status, 201, created.text);
    assert.match(created.json.token, /^[0-9a-f]{64}$/);
    assert.equal(created.json.user.unit, 'vuxen');
    assertError(assert, await server.api('POST', '/api/v1/users', body, admin), 409, 'conflict');
    const mine = await server.api('GET', '/api/v1/matters', undefined, created.json.token);
    assert.equal(mine.status, 200, mine.text);
    // The administrator sees no case content.
    assertError(assert, await server.api('GET', `/api/v1/matters/${matter}`, undefined, admin), 403, 'forbidden');
  });
});
