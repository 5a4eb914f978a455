// Authentication, authorisation (deny by default) and the access log: every read or write of a person's data
// leaves a row in access_log (who, when, which route, which person and matter, from where); refused and failed
// requests leave none.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, assertError } from './server.mjs';

let server;
let cw;
let matter;
let person;
const child = pnr('2014-02-14', 998);

const ACCESS_COLUMNS = ['id', 'at', 'username', 'unit', 'action', 'route', 'person_id', 'matter_id', 'remote_address'];

function accessRows(afterId) {
  return server.sql(`SELECT ${ACCESS_COLUMNS.join(', ')} FROM access_log WHERE id > ${afterId} ORDER BY id`)
    .map((row) => Object.fromEntries(ACCESS_COLUMNS.map((c, i) => [c, row[i] ?? ''])));
}
const lastAccessId = () => Number(server.sql('SELECT coalesce(max(id), 0) FROM access_log')[0][0]);
const journalLength = () => server.count('journal');

before(async () => {
  server = await startServer();
  cw = server.tokens.case_worker;
  const res = await server.api('POST', '/api/v1/reports', reportBody([child], '2026-03-02T09:15'), cw);
  assert.equal(res.status, 201, res.text);
  matter = res.json.subjects[0].matter_id;
  person = res.json.subjects[0].person_id;
});
after(async () => {
  await server?.stop();
});

describe('authentication', () => {
  const target = () => `/api/v1/matters/${matter}`;

  test('no token → 401 unauthenticated with WWW-Authenticate: Bearer', async () => {
    const res = await server.api('GET', target());
    assertError(assert, res, 401, 'unauthenticated');
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
  });

  test('a bad token → 401, whatever its shape', async () => {
    const valid = cw;
    const flipped = (valid[0] === 'a' ? 'b' : 'a') + valid.slice(1);
    for (const header of [
      `Bearer ${flipped}`,            // right length, wrong token
      `Bearer ${'0'.repeat(64)}`,
      `Bearer ${valid.slice(0, 63)}`, // one character short
      `Bearer ${valid}x`,
      `Bearer ${valid.toUpperCase()}`,
      'Bearer ',
      `Basic ${valid}`,
      valid,                          // no scheme
      `bearer${valid}`,
    ]) {
      const before = lastAccessId();
      const res = await server.api('GET', target(), undefined, undefined, { authorization: header });
      assertError(assert, res, 401, 'unauthenticated');
      assert.equal(lastAccessId(), before, `a refused request is not logged as a read (${header.slice(0, 12)}…)`);
    }
  });

  test('a valid token → 200', async () => {
    const res = await server.api('GET', target(), undefined, cw);
    assert.equal(res.status, 200, res.text);
  });
});

describe('authorisation', () => {
  test('analyst, committee and admin may not write cases → 403 forbidden, nothing written', async () => {
    for (const role of ['analyst', 'committee', 'admin']) {
      const before = journalLength();
      let res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2016-06-16', 999)], '2026-03-03T10:00'),
        server.tokens[role]);
      assertError(assert, res, 403, 'forbidden');
      assert.match(res.json.error.message, new RegExp(role));
      res = await server.api('POST', `/api/v1/matters/${matter}/protection-assessment`,
        { assessed_at: '2026-03-02T10:00', immediate_need: false, reasons: 'x' }, server.tokens[role]);
      assertError(assert, res, 403, 'forbidden');
      assert.equal(journalLength(), before, `${role} wrote to the journal`);
    }
  });

  test('analyst, committee and admin may not read personal data → 403, no access logged', async () => {
    for (const role of ['analyst', 'committee', 'admin']) {
      const before = lastAccessId();
      for (const path of [`/api/v1/matters/${matter}`, '/api/v1/matters', `/api/v1/persons/${person}`,
        `/api/v1/reports?identity_number=${child}`]) {
        const res = await server.api('GET', path, undefined, server.tokens[role]);
        assertError(assert, res, 403, 'forbidden');
        assert.equal(res.text.includes(child), false, 'a refusal does not leak the identity number');
      }
      assert.equal(lastAccessId(), before);
    }
  });

  test('every role may read the rulebook', async () => {
    for (const token of Object.values(server.tokens)) {
      const res = await server.api('GET', '/api/v1/rulebook', undefined, token);
      assert.equal(res.status, 200, res.text);
      assert.ok(res.json.codes.reporter_category.some((c) => c.code === 'school'));
    }
  });

  test('case workers and team leads may read and write; first-line staff may not', async () => {
    for (const role of ['case_worker', 'team_lead']) {
      const res = await server.api('GET', `/api/v1/matters/${matter}`, undefined, server.tokens[role]);
      assert.equal(res.status, 200, `${role}: ${res.text}`);
    }
    const refused = await server.api('GET', `/api/v1/matters/${matter}`, undefined, server.tokens.first_line);
    assert.equal(refused.status, 403, refused.text);
    const res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2016-06-16', 999)], '2026-03-03T10:00'),
      server.tokens.team_lead);
    assert.equal(res.status, 201, res.text);
    const got = await server.api('GET', `/api/v1/matters/${res.json.subjects[0].matter_id}`, undefined, cw);
    assert.equal(got.json.timeline[0].actor, 'team_lead');
  });
});

describe('the access log', () => {
  test('GET /api/v1/matters/{id} logs one read of that person and matter', async () => {
    const before = lastAccessId();
    const res = await server.api('GET', `/api/v1/matters/${matter}`, undefined, server.tokens.team_lead);
    assert.equal(res.status, 200);
    const rows = accessRows(before);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    const [row] = rows;
    assert.equal(row.username, 'team_lead');
    assert.equal(row.unit, 'utredning-barn');
    assert.equal(row.action, 'read');
    assert.equal(row.route, 'GET /api/v1/matters/{id}');
    assert.equal(row.person_id, String(person));
    assert.equal(row.matter_id, String(matter));
    assert.equal(row.remote_address, '127.0.0.1');
    assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const skew = Math.abs(Date.parse(row.at) - Date.now());
    assert.ok(skew < 60000, `access time ${row.at} is off by ${skew} ms`);
  });

  test('searching reports by identity number logs a read of that person', async () => {
    const before = lastAccessId();
    const res = await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, cw);
    assert.equal(res.status, 200);
    const rows = accessRows(before);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.deepEqual([rows[0].action, rows[0].route, rows[0].person_id, rows[0].username],
      ['read', 'GET /api/v1/reports', String(person), 'case_worker']);
  });

  test('GET /api/v1/persons/{id} logs a read of that person', async () => {
    const before = lastAccessId();
    const res = await server.api('GET', `/api/v1/persons/${person}`, undefined, cw);
    assert.equal(res.status, 200);
    const rows = accessRows(before);
    assert.equal(rows.length, 1, JSON.stringify(rows));
    assert.deepEqual([rows[0].action, rows[0].route, rows[0].person_id],
      ['read', 'GET /api/v1/persons/{id}', String(person)]);
  });

  test('listing matters logs one read per matter listed', async () => {
    const before = lastAccessId();
    const res = await server.api('GET', '/api/v1/matters', undefined, cw);
    assert.equal(res.status, 200);
    assert.ok(res.json.items.length >= 2);
    const rows = accessRows(before);
    assert.deepEqual(
      rows.map((r) => [r.action, r.route, r.matter_id, r.person_id]).sort(),
      res.json.items.map((m) => ['read', 'GET /api/v1/matters', String(m.id), String(m.person_id)]).sort());
  });

  test('HEAD on a matter is a read too and is logged', async () => {
    const before = lastAccessId();
    const res = await server.api('HEAD', `/api/v1/matters/${matter}`, undefined, cw);
    assert.equal(res.status, 200);
    assert.equal(accessRows(before).length, 1);
  });

  test('writes are logged as writes of the person and matter they touched', async () => {
    const before = lastAccessId();
    const res = await server.api('POST', `/api/v1/matters/${matter}/protection-assessment`,
      { assessed_at: '2026-03-02T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }, cw);
    assert.equal(res.status, 200, res.text);
    const rows = accessRows(before);
    assert.ok(rows.some((r) => r.action === 'write' && r.route === 'POST /api/v1/matters/{id}/protection-assessment' &&
      r.person_id === String(person) && r.matter_id === String(matter)), JSON.stringify(rows));

    const before2 = lastAccessId();
    const reg = await server.api('POST', '/api/v1/reports', reportBody([pnr('2017-07-07', 996)], '2026-03-04T10:00'), cw);
    assert.equal(reg.status, 201, reg.text);
    const regRows = accessRows(before2);
    assert.ok(regRows.some((r) => r.action === 'write' && r.route === 'POST /api/v1/reports' &&
      r.person_id === String(reg.json.subjects[0].person_id) && r.matter_id === String(reg.json.subjects[0].matter_id)),
    JSON.stringify(regRows));
  });

  test('failed requests log nothing: unknown matter, bad input, unknown person, nobody found', async () => {
    const before = lastAccessId();
    assert.equal((await server.api('GET', '/api/v1/matters/987654', undefined, cw)).status, 404);
    assert.equal((await server.api('GET', '/api/v1/persons/987654', undefined, cw)).status, 404);
    assert.equal((await server.api('POST', `/api/v1/matters/${matter}/closure`, { closed_on: '2026-03-05', reason: 'x' }, cw)).status, 409);
    const nobody = await server.api('GET', `/api/v1/reports?identity_number=${pnr('2016-02-02', 994)}`, undefined, cw);
    assert.equal(nobody.status, 200);
    assert.equal(nobody.json.person, null);
    assert.deepEqual(accessRows(before), []);
  });

  test('the access log is append-only', () => {
    assert.throws(() => server.sql("UPDATE access_log SET username = 'someone-else'"), /append-only/);
    assert.equal(server.count('access_log', "username = 'someone-else'"), 0);
  });

  test('the journal is append-only', () => {
    assert.throws(() => server.sql("UPDATE journal SET actor = 'someone-else'"), /append-only/);
  });
});

describe('the server log', () => {
  test('never contains an identity number (only route patterns are logged)', async () => {
    // Requests with identity numbers in the query, valid and invalid, found and not found.
    await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, cw);
    await server.api('GET', `/api/v1/reports?identity_number=${child.slice(0, 11)}0`, undefined, cw);
    await server.api('GET', `/api/v1/reports?identity_number=${pnr('2010-10-10', 981)}`, undefined, cw);
    await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, server.tokens.analyst);
    await server.api('POST', '/api/v1/reports', reportBody([child], '2099-01-01T10:00'), cw);
    const log = server.stderr();
    assert.match(log, /"route":"\/api\/v1\/reports"/, 'the requests were logged');
    assert.doesNotMatch(log, /(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)/);
  });
});
