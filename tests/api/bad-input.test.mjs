// Bad input: every refusal has the documented status, a stable error code and an English message, and
// nothing is written — the journal and every projection table are the same before and after.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, pnr, wrongCheckDigit, reportBody, todayStockholm, addDays, assertError,
} from './server.mjs';

const TABLES = ['journal', 'persons', 'matters', 'reports', 'report_subjects', 'applications', 'decisions',
  'interventions'];

let server;
let cw;
let received;      // a child matter in phase 'received', protection assessed
let investigated;  // a child matter in phase 'investigated' with a granted and a refused decision
let grantedDecision;
let refusedDecision;
const child = pnr('2016-04-04', 980);

// Row counts of the journal and every projection table, and the last journal sequence number.
async function snapshot() {
  const [row] = await server.query(
    `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(', ')}, (SELECT coalesce(max(seq), 0) FROM journal)`);
  assert.equal(row.length, TABLES.length + 1);
  return { counts: Object.fromEntries(TABLES.map((t, i) => [t, Number(row[i])])), last: Number(row[TABLES.length]) };
}

// Sends the request and checks the refusal and that nothing changed.
async function refused(method, path, body, status, code, token = cw, headers = {}) {
  const before = await snapshot();
  const res = await server.api(method, path, body, token, headers);
  assertError(assert, res, status, code);
  assert.deepEqual(await snapshot(), before, `${method} ${path} wrote something`);
  return res;
}

before(async () => {
  server = await startServer();
  cw = server.tokens.case_worker;
  let res = await server.api('POST', '/api/v1/reports', reportBody([child], '2026-03-02T09:15'), cw);
  assert.equal(res.status, 201, res.text);
  received = res.json.subjects[0].matter_id;
  res = await server.api('POST', `/api/v1/matters/${received}/protection-assessment`,
    { assessed_at: '2026-03-02T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }, cw);
  assert.equal(res.status, 200, res.text);

  res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2011-11-11', 981)], '2026-02-02T09:00'), cw);
  assert.equal(res.status, 201, res.text);
  investigated = res.json.subjects[0].matter_id;
  for (const [step, body] of [
    ['protection-assessment', { assessed_at: '2026-02-02T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }],
    ['preliminary-assessment', { decision: 'open_investigation', decided_on: '2026-02-05', reasons: 'Oro.', decided_by: 'TL' }],
    ['investigation/completion', { completed_on: '2026-05-05', conclusion: 'Behov av stöd.' }],
    ['decisions', { outcome: 'granted', intervention: 'kontaktperson', legal_basis: 'sol-11-1', decided_by: 'TL', decided_on: '2026-05-10', reasons: 'Bifall.' }],
    ['decisions', { outcome: 'refused', intervention: 'familjehem', legal_basis: 'sol-11-1', decided_by: 'TL', decided_on: '2026-05-10', reasons: 'Avslag.' }],
  ]) {
    res = await server.api('POST', `/api/v1/matters/${investigated}/${step}`, body, cw);
    assert.equal(res.status, 200, `${step}: ${res.text}`);
  }
  [grantedDecision, refusedDecision] = res.json.decisions.map((d) => d.id);
  assert.equal(res.json.phase, 'investigated');
});
after(async () => {
  await server?.stop();
});

test('control: the snapshot used below does see a write', async () => {
  const before = await snapshot();
  const res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2016-05-05', 993)], '2026-03-03T09:00'), cw);
  assert.equal(res.status, 201, res.text);
  const after = await snapshot();
  assert.notDeepEqual(after, before);
  assert.equal(after.counts.journal, before.counts.journal + 3);
  assert.equal(after.last, before.last + 3);
});

describe('reports of concern', () => {
  const post = (body, status, code) => refused('POST', '/api/v1/reports', body, status, code);

  test('an identity number with a wrong check digit → 422 invalid_identity_number', async () => {
    const bad = wrongCheckDigit(pnr('2015-05-05', 983));
    const res = await post(reportBody([bad], '2026-03-02T09:15'), 422, 'invalid_identity_number');
    assert.match(res.json.error.message, /children\[0\]/);
  });

  test('identity numbers that are not numbers or not dates → 422 invalid_identity_number', async () => {
    for (const n of ['12345', '2015050598X1', '201502309830', '20150505+9830', '20991231-9801']) {
      await post(reportBody([n], '2026-03-02T09:15'), 422, 'invalid_identity_number');
    }
  });

  test('an impossible date (2026-02-30) → 422 invalid_date', async () => {
    const res = await post(reportBody([child], '2026-02-30T10:00'), 422, 'invalid_date');
    assert.match(res.json.error.message, /received_at/);
  });

  test('a date and time in the wrong form, or 24:00 → 422 invalid_date', async () => {
    for (const t of ['2026-03-02', 'yesterday', '02/03/2026 10:00', '2026-03-02T24:00', '2026-13-01T10:00']) {
      await post(reportBody([child], t), 422, 'invalid_date');
    }
  });

  test('a report received in the future → 422 invalid_date', async () => {
    const future = `${addDays(todayStockholm(), 3)}T10:00`;
    await post(reportBody([child], future), 422, 'invalid_date');
  });

  test('an unknown reporter category or channel → 422 unknown_code', async () => {
    let res = await post(reportBody([child], '2026-03-02T09:15', { reporter_category: 'neighbour' }), 422, 'unknown_code');
    assert.match(res.json.error.message, /reporter_category/);
    res = await post(reportBody([child], '2026-03-02T09:15', { channel: 'fax' }), 422, 'unknown_code');
    assert.match(res.json.error.message, /channel/);
  });

  test('a reporter category not yet in force on the day received → 422 unknown_code', async () => {
    // Dental care is an explicit reporter from 2026-01-15 (lag 2025:1501); it is accepted from that day on.
    await post(reportBody([child], '2025-12-01T09:00', { reporter_category: 'dental_care' }), 422, 'unknown_code');
    const ok = await server.api('POST', '/api/v1/reports',
      reportBody([pnr('2017-01-17', 985)], '2026-01-15T09:00', { reporter_category: 'dental_care' }), cw);
    assert.equal(ok.status, 201, ok.text);
  });

  test('an unknown field, at the top or in a child → 400 invalid_input naming it', async () => {
    let res = await post({ ...reportBody([child], '2026-03-02T09:15'), urgency: 'high' }, 400, 'invalid_input');
    assert.match(res.json.error.message, /urgency/);
    res = await post(reportBody([child], '2026-03-02T09:15', { children: [{ identity_number: child, school: 'X' }] }),
      400, 'invalid_input');
    assert.match(res.json.error.message, /school/);
  });

  test('missing or wrongly typed fields → 400 invalid_input', async () => {
    const base = reportBody([child], '2026-03-02T09:15');
    const noText = { ...base };
    delete noText.text;
    for (const body of [
      noText,
      { ...base, text: '   ' },
      { ...base, text: 42 },
      { ...base, children: [] },
      { ...base, children: 'all' },
      { ...base, children: [{}] },
      { ...base, children: [{ identity_number: child, birth_year: 2016 }] },
      { ...base, children: [{ name: 'Okänd', birth_year: 'unknown' }] },
      { ...base, children: Array.from({ length: 21 }, (_, i) => ({ name: `Barn ${i}` })) },
    ]) {
      await post(body, 400, 'invalid_input');
    }
  });

  test('a text over 20000 bytes → 400 invalid_input', async () => {
    await post(reportBody([child], '2026-03-02T09:15', { text: 'å'.repeat(10001) }), 400, 'invalid_input');
  });

  test('a person too old for a report of concern (21 under SoL 2025:400, 18 before) → 400 invalid_input', async () => {
    await post(reportBody([pnr('2004-06-01', 987)], '2026-03-02T09:15'), 400, 'invalid_input');
    await post(reportBody([pnr('2007-01-10', 987)], '2025-05-12T09:15'), 400, 'invalid_input');
    // A young person of 19 is covered by the new law.
    const ok = await server.api('POST', '/api/v1/reports', reportBody([pnr('2007-01-10', 987)], '2026-03-02T09:15'), cw);
    assert.equal(ok.status, 201, ok.text);
  });

  test('one bad child refuses the whole report: the good child is not registered', async () => {
    const good = pnr('2019-08-08', 992);
    await post(reportBody([good, wrongCheckDigit(pnr('2019-09-09', 994))], '2026-03-02T09:15'),
      422, 'invalid_identity_number');
    const search = await server.api('GET', `/api/v1/reports?identity_number=${good}`, undefined, cw);
    assert.equal(search.status, 200);
    assert.equal(search.json.person, null);
  });
});

describe('request bodies that are not JSON objects', () => {
  test('malformed JSON → 400 malformed_json', async () => {
    await refused('POST', '/api/v1/reports', '{"received_at": "2026-03-02T09:15",', 400, 'malformed_json');
    await refused('POST', `/api/v1/matters/${received}/preliminary-assessment`, "{decision: 'x'}", 400, 'malformed_json');
  });

  test('an empty body, a JSON array or a JSON string → 400 malformed_json', async () => {
    for (const body of ['', '[]', '"report"', 'null']) {
      await refused('POST', '/api/v1/reports', body, 400, 'malformed_json');
      await refused('POST', `/api/v1/matters/${investigated}/decisions/${grantedDecision}/service`, body, 400,
        'malformed_json');
    }
  });

  test('JSON nested absurdly deep → 400 malformed_json', async () => {
    await refused('POST', '/api/v1/reports', '['.repeat(5000) + ']'.repeat(5000), 400, 'malformed_json');
  });

  test('a body over 1 MiB → 413 payload_too_large', async () => {
    const body = JSON.stringify(reportBody([child], '2026-03-02T09:15', { text: 'x'.repeat((1 << 20) + 10) }));
    await refused('POST', '/api/v1/reports', body, 413, 'payload_too_large');
    // The server is still there.
    assert.equal((await server.api('GET', '/api/v1/health')).status, 200);
  });

  test('a malformed percent-escape in the path → 400 invalid_input', async () => {
    await refused('GET', '/api/v1/matters/%zz', undefined, 400, 'invalid_input');
    await refused('GET', '/api/v1/matters/1%00', undefined, 400, 'invalid_input');
  });
});

describe('steps on matters', () => {
  const step = (id, name, body, status, code) => refused('POST', `/api/v1/matters/${id}/${name}`, body, status, code);

  test('completing an investigation that never started → 409 illegal_transition', async () => {
    const res = await step(received, 'investigation/completion', { completed_on: '2026-03-05', conclusion: 'Klart.' },
      409, 'illegal_transition');
    assert.match(res.json.error.message, /received/);
  });

  test('other steps out of order → 409 illegal_transition', async () => {
    await step(received, 'investigation/extension',
      { new_due: '2026-09-01', special_reasons: 'x', decided_on: '2026-03-05', decided_by: 'TL' }, 409, 'illegal_transition');
    await step(received, 'investigation/notification', { notified_on: '2026-03-05', notified: 'Modern' }, 409,
      'illegal_transition');
    await step(received, 'decisions', { outcome: 'granted', intervention: 'kontaktperson', legal_basis: 'sol-11-1',
      decided_by: 'TL', decided_on: '2026-03-05', reasons: 'x' }, 409, 'illegal_transition');
    await step(received, 'closure', { closed_on: '2026-03-05', reason: 'x' }, 409, 'illegal_transition');
    await step(received, 'investigation', { started_on: '2026-03-05' }, 409, 'illegal_transition');
    await step(investigated, 'preliminary-assessment',
      { decision: 'open_investigation', decided_on: '2026-03-05', reasons: 'x', decided_by: 'TL' }, 409, 'illegal_transition');
    await step(investigated, 'protection-assessment',
      { assessed_at: '2026-03-05T10:00', immediate_need: false, reasons: 'x' }, 409, 'illegal_transition');
    await step(investigated, 'interventions', { decision_id: refusedDecision, started_on: '2026-05-12' }, 409,
      'illegal_transition');
  });

  test('an unknown matter → 404 not_found', async () => {
    await refused('GET', '/api/v1/matters/987654', undefined, 404, 'not_found');
    await step(987654, 'investigation/completion', { completed_on: '2026-03-05', conclusion: 'x' }, 404, 'not_found');
    await refused('GET', '/api/v1/persons/987654', undefined, 404, 'not_found');
    // An id too large for 64 bits is malformed, not unknown.
    await refused('GET', '/api/v1/matters/99999999999999999999', undefined, 400, 'invalid_input');
  });

  test('an unknown decision or intervention on a known matter → 404 not_found', async () => {
    await refused('POST', `/api/v1/matters/${investigated}/decisions/987654/service`, { served_on: '2026-05-12' }, 404, 'not_found');
    await step(investigated, 'interventions', { decision_id: 987654, started_on: '2026-05-12' }, 404, 'not_found');
    await refused('POST', `/api/v1/matters/${investigated}/interventions/987654/end`, { ended_on: '2026-05-12', reason: 'x' },
      404, 'not_found');
    // A decision of another matter is not this matter's.
    await refused('POST', `/api/v1/matters/${received}/decisions/${grantedDecision}/service`, { served_on: '2026-05-12' },
      404, 'not_found');
  });

  test('an id in the body that contradicts the path → 400 invalid_input', async () => {
    await refused('POST', `/api/v1/matters/${investigated}/decisions/${grantedDecision}/service`,
      { served_on: '2026-05-12', decision_id: refusedDecision }, 400, 'invalid_input');
  });

  test('an impossible date in a step → 422 invalid_date', async () => {
    await step(received, 'preliminary-assessment',
      { decision: 'open_investigation', decided_on: '2026-02-30', reasons: 'x', decided_by: 'TL' }, 422, 'invalid_date');
    await refused('POST', `/api/v1/matters/${investigated}/decisions/${grantedDecision}/service`, { served_on: '2026-04-31' },
      422, 'invalid_date');
  });

  test('a step dated before what it depends on, or in the future → 422 invalid_date', async () => {
    await step(received, 'preliminary-assessment',
      { decision: 'open_investigation', decided_on: '2026-03-01', reasons: 'x', decided_by: 'TL' }, 422, 'invalid_date');
    await step(received, 'preliminary-assessment',
      { decision: 'open_investigation', decided_on: addDays(todayStockholm(), 3), reasons: 'x', decided_by: 'TL' },
      422, 'invalid_date');
    await refused('POST', `/api/v1/matters/${investigated}/decisions/${grantedDecision}/service`, { served_on: '2026-05-09' },
      422, 'invalid_date');
    await step(investigated, 'interventions', { decision_id: grantedDecision, started_on: '2026-05-01' }, 422, 'invalid_date');
  });

  test('an unknown decision, outcome, intervention or legal basis code → 422 unknown_code', async () => {
    await step(received, 'preliminary-assessment',
      { decision: 'maybe', decided_on: '2026-03-05', reasons: 'x', decided_by: 'TL' }, 422, 'unknown_code');
    const decision = { outcome: 'granted', intervention: 'kontaktperson', legal_basis: 'sol-11-1', decided_by: 'TL',
      decided_on: '2026-05-11', reasons: 'x' };
    await step(investigated, 'decisions', { ...decision, outcome: 'approved' }, 422, 'unknown_code');
    await step(investigated, 'decisions', { ...decision, intervention: 'ponny' }, 422, 'unknown_code');
    await step(investigated, 'decisions', { ...decision, legal_basis: 'lvu-2' }, 422, 'unknown_code');
  });

  test('wrong types and extra fields in a step → 400 invalid_input', async () => {
    await step(received, 'preliminary-assessment',
      { decision: 'open_investigation', decided_on: '2026-03-05', reasons: 'x', decided_by: 'TL', priority: 1 },
      400, 'invalid_input');
    await step(investigated, 'interventions', { decision_id: String(grantedDecision), started_on: '2026-05-12' },
      400, 'invalid_input');
    await step(investigated, 'interventions', { decision_id: grantedDecision }, 400, 'invalid_input');
  });

  test('an extension must move the due date later → 400 invalid_input', async () => {
    await step(received, 'preliminary-assessment/extension',
      { new_due: '2026-03-16', exceptional_reasons: 'x', decided_on: '2026-03-10' }, 400, 'invalid_input');
  });
});

describe('query parameters', () => {
  test('GET /api/v1/reports needs a valid identity number', async () => {
    await refused('GET', '/api/v1/reports', undefined, 400, 'invalid_input');
    await refused('GET', '/api/v1/reports?identity_number=', undefined, 400, 'invalid_input');
    await refused('GET', `/api/v1/reports?identity_number=${wrongCheckDigit(child)}`, undefined, 422,
      'invalid_identity_number');
  });

  test('GET /api/v1/matters checks open, limit and after', async () => {
    for (const q of ['open=yes', 'limit=0', 'limit=501', 'limit=ten', 'after=-1', 'after=x']) {
      await refused('GET', `/api/v1/matters?${q}`, undefined, 400, 'invalid_input');
    }
    const ok = await server.api('GET', '/api/v1/matters?open=true&limit=500', undefined, cw);
    assert.equal(ok.status, 200, ok.text);
  });

  test('GET /api/v1/rulebook?date= must be a real date', async () => {
    await refused('GET', '/api/v1/rulebook?date=2026-02-30', undefined, 422, 'invalid_date');
    const ok = await server.api('GET', '/api/v1/rulebook?date=2026-02-28', undefined, cw);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.date, '2026-02-28');
  });
});

describe('dates that contradict the record (server bugs)', () => {
  test('a protection assessment cannot be dated before a report it covers arrived', async () => {
    // Regression (fixed): RecordProtectionAssessment checks assessed_at against the EARLIEST unassessed report (std::min), so
    // one assessment dated between two reports is accepted and recorded for the later report too — an
    // assessment made before that report existed. The bound must be the latest unassessed report's arrival.
    const n = pnr('2018-12-12', 995);
    let res = await server.api('POST', '/api/v1/reports', reportBody([n], '2026-04-06T09:00'), cw);
    assert.equal(res.status, 201, res.text);
    const matter = res.json.subjects[0].matter_id;
    res = await server.api('POST', '/api/v1/reports', reportBody([n], '2026-04-09T09:00'), cw);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.subjects[0].disposition, 'attached_to_pending_assessment');

    res = await server.api('POST', `/api/v1/matters/${matter}/protection-assessment`,
      { assessed_at: '2026-04-07T10:00', immediate_need: false, reasons: 'x' }, cw);
    const got = await server.api('GET', `/api/v1/matters/${matter}`, undefined, cw);
    for (const r of got.json.reports) {
      if (r.protection_assessed_at === null) continue;
      assert.ok(r.protection_assessed_at >= r.received_at,
        `report ${r.report_id} received ${r.received_at} but assessed ${r.protection_assessed_at} (POST answered ${res.status})`);
    }
  });

  test('a protection assessment cannot be timed before the report arrived the same day', async () => {
    // Regression (fixed): only the date is compared, so 08:00 is accepted for a report received at 15:00 the same day.
    const n = pnr('2018-12-13', 997);
    let res = await server.api('POST', '/api/v1/reports', reportBody([n], '2026-04-06T15:00'), cw);
    assert.equal(res.status, 201, res.text);
    const matter = res.json.subjects[0].matter_id;
    await refused('POST', `/api/v1/matters/${matter}/protection-assessment`,
      { assessed_at: '2026-04-06T08:00', immediate_need: false, reasons: 'x' }, 422, 'invalid_date');
  });

  test('a matter cannot be closed on a day before its intervention ended', async () => {
    // Regression (fixed): CloseMatter only checks closed_on against the matter's arrival, so a matter whose intervention ran
    // until 2026-06-30 can be closed as of 2026-03-01 — before the investigation was even completed.
    const n = pnr('2013-02-02', 996);
    let res = await server.api('POST', '/api/v1/reports', reportBody([n], '2026-02-16T09:00'), cw);
    const matter = res.json.subjects[0].matter_id;
    for (const [name, body] of [
      ['protection-assessment', { assessed_at: '2026-02-16T10:00', immediate_need: false, reasons: 'x' }],
      ['preliminary-assessment', { decision: 'open_investigation', decided_on: '2026-02-20', reasons: 'x', decided_by: 'TL' }],
      ['investigation/completion', { completed_on: '2026-05-05', conclusion: 'x' }],
      ['decisions', { outcome: 'granted', intervention: 'kontaktperson', legal_basis: 'sol-11-1', decided_by: 'TL', decided_on: '2026-05-06', reasons: 'x' }],
    ]) {
      res = await server.api('POST', `/api/v1/matters/${matter}/${name}`, body, cw);
      assert.equal(res.status, 200, `${name}: ${res.text}`);
    }
    const decision = res.json.decisions[0].id;
    res = await server.api('POST', `/api/v1/matters/${matter}/interventions`, { decision_id: decision, started_on: '2026-05-07' }, cw);
    assert.equal(res.status, 200, res.text);
    res = await server.api('POST', `/api/v1/matters/${matter}/interventions/${res.json.interventions[0].id}/end`,
      { ended_on: '2026-06-30', reason: 'x' }, cw);
    assert.equal(res.status, 200, res.text);
    await refused('POST', `/api/v1/matters/${matter}/closure`, { closed_on: '2026-03-01', reason: 'x' }, 422, 'invalid_date');
  });
});
