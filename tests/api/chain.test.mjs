// The whole chain for a child through the API (19–20 kap. SoL): report of concern → immediate protection
// assessment → preliminary assessment → investigation (notified, extended, completed) → decision → served →
// intervention → closure; a second report during the investigation is attached; reports are searchable by
// identity number with their outcome; the appeal period moves past weekends and holidays (lag 1930:173).
//
// All dates are fixed and in the past (the server reads the real clock and refuses future dates), so the
// expected due dates are exact. Only `days_left` of a running clock depends on today and is computed here.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, todayStockholm, daysBetween, weekday, assertError } from './server.mjs';

const LAW = {
  protection: '20 kap. 1 § SoL',
  preliminary: '20 kap. 2 § SoL',
  investigation: '20 kap. 3 § SoL',
  appeal: '44 § förvaltningslagen (2017:900); lag (1930:173)',
};

let server;
let cw;   // case worker token
let lead; // team lead token
before(async () => {
  server = await startServer();
  cw = server.tokens.case_worker;
  lead = server.tokens.team_lead;
});
after(async () => {
  await server?.stop();
});

const clock = (matter, rule, decisionId) =>
  matter.clocks.find((c) => c.rule === rule && (decisionId === undefined || c.decision_id === decisionId));

describe('the chain for a child, from report of concern to closure', () => {
  const child = pnr('2015-03-14', 982);  // a girl (even second-to-last digit), 10 years old in 2026
  const state = {};

  test('an earlier report that led to no investigation closes its matter', async () => {
    const reg = await server.api('POST', '/api/v1/reports', reportBody([child], '2025-09-15T10:00', {
      reporter_category: 'preschool', channel: 'letter', reporter_name: null,
    }), cw);
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.json.subjects.length, 1);
    assert.equal(reg.json.subjects[0].disposition, 'new_matter');
    state.earlyMatter = reg.json.subjects[0].matter_id;
    state.earlyReport = reg.json.report_id;
    state.person = reg.json.subjects[0].person_id;
    assert.deepEqual(reg.json.events.map((e) => e.kind), ['person_registered', 'matter_opened', 'report_received']);

    let res = await server.api('POST', `/api/v1/matters/${state.earlyMatter}/protection-assessment`,
      { assessed_at: '2025-09-15T11:30', immediate_need: false, reasons: 'Inga tecken på akut fara.' }, cw);
    assert.equal(res.status, 200, res.text);
    res = await server.api('POST', `/api/v1/matters/${state.earlyMatter}/preliminary-assessment`,
      { decision: 'no_investigation', decided_on: '2025-09-22', reasons: 'Föräldrarna tar emot stöd.', decided_by: 'Team lead' }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phase, 'closed');
    assert.equal(res.json.closed_on, '2025-09-22');
    assert.equal(res.json.closure_reason, 'no_investigation');
    assert.equal(res.json.preliminary_assessment.decision, 'no_investigation');
    assert.equal(res.json.reports[0].outcome, 'no_investigation');
    assert.deepEqual(res.json.next_steps, []);
    const prelim = clock(res.json, 'preliminary-assessment');
    assert.equal(prelim.status, 'met');
    assert.equal(prelim.due, '2025-09-29');
    assert.equal(prelim.stopped_on, '2025-09-22');
  });

  test('a new report opens a new matter with a protection clock (next day) and 14 days to decide', async () => {
    const reg = await server.api('POST', '/api/v1/reports', reportBody([child], '2026-03-02T09:15'), cw);
    assert.equal(reg.status, 201, reg.text);
    assert.equal(reg.json.subjects[0].disposition, 'new_matter');
    assert.equal(reg.json.subjects[0].person_id, state.person, 'the known child is found, not registered again');
    assert.notEqual(reg.json.subjects[0].matter_id, state.earlyMatter, 'the closed matter is not reopened');
    assert.deepEqual(reg.json.events.map((e) => e.kind), ['matter_opened', 'report_received']);
    state.matter = reg.json.subjects[0].matter_id;
    state.report1 = reg.json.report_id;

    const got = await server.api('GET', `/api/v1/matters/${state.matter}`, undefined, cw);
    assert.equal(got.status, 200, got.text);
    const m = got.json;
    assert.equal(m.kind, 'child');
    assert.equal(m.phase, 'received');
    assert.equal(m.unit, 'utredning-barn');
    assert.equal(m.received_on, '2026-03-02');
    assert.equal(m.person.identity_number, child);
    assert.equal(m.person.birth_date, '2015-03-14');
    assert.equal(m.person.sex, 'female');
    assert.equal(m.person.identity_kind, 'personnummer');
    assert.deepEqual(m.preliminary_assessment, { due: '2026-03-16', extended: false, decided_on: null, decision: null });
    assert.equal(m.reports.length, 1);
    assert.equal(m.reports[0].received_at, '2026-03-02T09:15:00');
    assert.equal(m.reports[0].reporter_category, 'school');
    assert.equal(m.reports[0].protection_due, '2026-03-03');
    assert.equal(m.reports[0].outcome, 'pending');
    assert.deepEqual(m.next_steps, ['protection-assessment', 'preliminary-assessment/extension']);

    const today = todayStockholm();
    const protection = clock(m, 'protection-assessment');
    assert.deepEqual(protection, {
      rule: 'protection-assessment', name_sv: 'Omedelbar skyddsbedömning', law_ref: LAW.protection,
      started_on: '2026-03-02', due: '2026-03-03', stopped_on: null, extended: false, status: 'overdue',
      days_left: daysBetween(today, '2026-03-03'), decision_id: null,
    });
    const prelim = clock(m, 'preliminary-assessment');
    assert.equal(prelim.law_ref, LAW.preliminary);
    assert.equal(prelim.name_sv, 'Förhandsbedömning');
    assert.equal(prelim.due, '2026-03-16');
    assert.equal(prelim.status, 'overdue');
    assert.equal(prelim.days_left, daysBetween(today, '2026-03-16'));
    // Most urgent first: both overdue, the earlier due date first.
    assert.deepEqual(m.clocks.map((c) => c.rule), ['protection-assessment', 'preliminary-assessment']);
  });

  test('the preliminary assessment needs the protection assessment first (409)', async () => {
    const before = server.count('journal');
    const res = await server.api('POST', `/api/v1/matters/${state.matter}/preliminary-assessment`,
      { decision: 'open_investigation', decided_on: '2026-03-10', reasons: 'x', decided_by: 'y' }, cw);
    assertError(assert, res, 409, 'illegal_transition');
    assert.equal(server.count('journal'), before);
  });

  test('protection assessment, then the decision to open an investigation starts four months', async () => {
    let res = await server.api('POST', `/api/v1/matters/${state.matter}/protection-assessment`,
      { assessed_at: '2026-03-02T11:00', immediate_need: false, reasons: 'Barnet är i skolan och säkert i dag.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.reports[0].protection_assessed_at, '2026-03-02T11:00:00');
    assert.equal(res.json.reports[0].immediate_need, false);
    assert.equal(clock(res.json, 'protection-assessment'), undefined, 'the protection clock stops');
    assert.deepEqual(res.json.events.map((e) => e.kind), ['protection_assessed']);
    assert.deepEqual(res.json.next_steps, ['preliminary-assessment', 'preliminary-assessment/extension']);

    res = await server.api('POST', `/api/v1/matters/${state.matter}/preliminary-assessment`,
      { decision: 'open_investigation', decided_on: '2026-03-10', reasons: 'Oro för omsorgen.', decided_by: 'Team lead' }, lead);
    assert.equal(res.status, 200, res.text);
    const m = res.json;
    assert.deepEqual(m.events.map((e) => e.kind), ['preliminary_decided', 'investigation_started']);
    assert.equal(m.phase, 'investigating');
    assert.deepEqual(m.preliminary_assessment, {
      due: '2026-03-16', extended: false, decided_on: '2026-03-10', decision: 'open_investigation',
    });
    assert.deepEqual(m.investigation, {
      started_on: '2026-03-10', due: '2026-07-10', extensions: 0, notified_on: null, completed_on: null,
    });
    assert.equal(m.reports[0].outcome, 'investigation_opened');
    const prelim = clock(m, 'preliminary-assessment');
    assert.equal(prelim.status, 'met');
    assert.equal(prelim.stopped_on, '2026-03-10');
    assert.equal(prelim.days_left, 0);
    const inv = clock(m, 'investigation');
    assert.equal(inv.law_ref, LAW.investigation);
    assert.equal(inv.started_on, '2026-03-10');
    assert.equal(inv.due, '2026-07-10');
    assert.equal(inv.status, 'overdue');
    assert.deepEqual(m.next_steps,
      ['investigation/notification', 'investigation/completion', 'investigation/extension', 'decisions']);
  });

  test('those concerned are told of the investigation (20 kap. 4 §)', async () => {
    const res = await server.api('POST', `/api/v1/matters/${state.matter}/investigation/notification`,
      { notified_on: '2026-03-11', notified: 'Vårdnadshavarna och barnet' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.investigation.notified_on, '2026-03-11');
    assert.ok(!res.json.next_steps.includes('investigation/notification'));
  });

  test('a second report while the investigation runs is attached: no new matter, no new preliminary assessment', async () => {
    const matterCount = server.count('matters');
    const reg = await server.api('POST', '/api/v1/reports', reportBody([child], '2026-04-01T14:30', {
      reporter_category: 'police', channel: 'e_service', reporter_name: 'Polisen Region Syd',
    }), cw);
    assert.equal(reg.status, 201, reg.text);
    assert.deepEqual(reg.json.subjects, [
      { person_id: state.person, matter_id: state.matter, disposition: 'attached_to_investigation' },
    ]);
    assert.deepEqual(reg.json.events.map((e) => e.kind), ['report_received']);
    assert.equal(server.count('matters'), matterCount);
    state.report2 = reg.json.report_id;

    const got = await server.api('GET', `/api/v1/matters/${state.matter}`, undefined, cw);
    const m = got.json;
    assert.equal(m.phase, 'investigating');
    assert.equal(m.preliminary_assessment.due, '2026-03-16', 'the preliminary clock is not restarted');
    assert.equal(m.preliminary_assessment.decided_on, '2026-03-10');
    assert.equal(m.reports.length, 2);
    const second = m.reports.find((r) => r.report_id === state.report2);
    assert.equal(second.disposition, 'attached_to_investigation');
    assert.equal(second.outcome, 'attached_to_investigation');
    assert.equal(second.protection_due, '2026-04-02');
    // Every report needs its own immediate protection assessment (20 kap. 1 §).
    assert.equal(clock(m, 'protection-assessment').started_on, '2026-04-01');
    assert.equal(m.next_steps[0], 'protection-assessment');
    assert.equal(m.timeline.filter((e) => e.kind === 'matter_opened').length, 1);

    const res = await server.api('POST', `/api/v1/matters/${state.matter}/protection-assessment`,
      { assessed_at: '2026-04-01T16:00', immediate_need: true, reasons: 'Placering i jourhem övervägs.' }, cw);
    assert.equal(res.status, 200, res.text);
    const assessed = res.json.reports.find((r) => r.report_id === state.report2);
    assert.equal(assessed.protection_assessed_at, '2026-04-01T16:00:00');
    assert.equal(assessed.immediate_need, true);
    const first = res.json.reports.find((r) => r.report_id === state.report1);
    assert.equal(first.protection_assessed_at, '2026-03-02T11:00:00', 'the first assessment is kept');
  });

  test('the investigation is extended for special reasons (20 kap. 3 §)', async () => {
    const res = await server.api('POST', `/api/v1/matters/${state.matter}/investigation/extension`, {
      new_due: '2026-09-10', special_reasons: 'Väntar på utlåtande från BUP.', decided_on: '2026-07-01', decided_by: 'Team lead',
    }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.investigation.due, '2026-09-10');
    assert.equal(res.json.investigation.extensions, 1);
    const inv = clock(res.json, 'investigation');
    assert.equal(inv.due, '2026-09-10');
    assert.equal(inv.extended, true);
    assert.equal(inv.started_on, '2026-03-10');
    const event = res.json.timeline.at(-1);
    assert.equal(event.kind, 'investigation_extended');
    assert.equal(event.payload.previous_due, '2026-07-10');
    assert.equal(event.payload.new_due, '2026-09-10');
  });

  test('the investigation is completed within the extended time', async () => {
    const res = await server.api('POST', `/api/v1/matters/${state.matter}/investigation/completion`,
      { completed_on: '2026-08-05', conclusion: 'Behov av stöd i form av kontaktperson.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phase, 'investigated');
    assert.equal(res.json.investigation.completed_on, '2026-08-05');
    const inv = clock(res.json, 'investigation');
    assert.equal(inv.status, 'met');
    assert.equal(inv.stopped_on, '2026-08-05');
    assert.equal(inv.days_left, 0);
    assert.equal(res.json.timeline.at(-1).payload.within_time, true);
    assert.deepEqual(res.json.next_steps, ['decisions', 'closure']);
  });

  test('a granted decision, served on a Saturday: the appeal period ends on the Monday three weeks later', async () => {
    let res = await server.api('POST', `/api/v1/matters/${state.matter}/decisions`, {
      outcome: 'granted', intervention: 'kontaktperson', legal_basis: 'sol-11-1', decided_by: 'Team lead',
      decided_on: '2026-08-07', reasons: 'Barnet behöver en vuxen förebild utanför familjen.',
    }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.decisions.length, 1);
    const d = res.json.decisions[0];
    assert.equal(d.outcome, 'granted');
    assert.equal(d.intervention, 'kontaktperson');
    assert.equal(d.legal_basis, 'sol-11-1');
    assert.equal(d.appealable, true);
    assert.equal(d.decided_on, '2026-08-07');
    assert.equal(d.served_on, null);
    assert.equal(d.appeal_due, null);
    assert.ok(Number.isInteger(d.id) && d.id > 0);
    state.decision = d.id;
    assert.equal(clock(res.json, 'appeal'), undefined, 'no appeal clock before the decision is served');

    assert.equal(weekday('2026-08-08'), 'Sat');
    res = await server.api('POST', `/api/v1/matters/${state.matter}/decisions/${state.decision}/service`,
      { served_on: '2026-08-08' }, cw);
    assert.equal(res.status, 200, res.text);
    const served = res.json.decisions[0];
    assert.equal(served.served_on, '2026-08-08');
    // 2026-08-08 + 3 weeks = Saturday 2026-08-29 → Monday 2026-08-31 (lag 1930:173 2 §).
    assert.equal(served.appeal_due, '2026-08-31');
    const appeal = clock(res.json, 'appeal', state.decision);
    assert.equal(appeal.law_ref, LAW.appeal);
    assert.equal(appeal.started_on, '2026-08-08');
    assert.equal(appeal.due, '2026-08-31');
    assert.equal(appeal.status, 'expired', 'the window for an appeal has closed');
    assert.equal(appeal.days_left, 0);

    // A decision is served once.
    const again = await server.api('POST', `/api/v1/matters/${state.matter}/decisions/${state.decision}/service`,
      { served_on: '2026-08-10' }, cw);
    assertError(assert, again, 409, 'conflict');
  });

  test('the intervention starts, must end before closing, and the matter closes', async () => {
    let res = await server.api('POST', `/api/v1/matters/${state.matter}/interventions`,
      { decision_id: state.decision, started_on: '2026-08-17' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.interventions.length, 1);
    const i = res.json.interventions[0];
    assert.equal(i.decision_id, state.decision);
    assert.equal(i.intervention, 'kontaktperson');
    assert.equal(i.started_on, '2026-08-17');
    assert.equal(i.ended_on, null);
    state.intervention = i.id;
    assert.deepEqual(res.json.next_steps, ['decisions']);

    const before = server.count('journal');
    res = await server.api('POST', `/api/v1/matters/${state.matter}/closure`,
      { closed_on: '2026-09-01', reason: 'Klart.' }, cw);
    assertError(assert, res, 409, 'illegal_transition');
    assert.equal(server.count('journal'), before);

    res = await server.api('POST', `/api/v1/matters/${state.matter}/interventions/${state.intervention}/end`,
      { ended_on: '2026-10-30', reason: 'Målen uppnådda.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.interventions[0].ended_on, '2026-10-30');

    res = await server.api('POST', `/api/v1/matters/${state.matter}/closure`,
      { closed_on: '2026-11-02', reason: 'Insatsen avslutad.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phase, 'closed');
    assert.equal(res.json.closed_on, '2026-11-02');
    assert.equal(res.json.closure_reason, 'Insatsen avslutad.');
    assert.deepEqual(res.json.next_steps, []);
  });

  test('the closed matter keeps its legal clocks and its whole timeline', async () => {
    const got = await server.api('GET', `/api/v1/matters/${state.matter}`, undefined, cw);
    assert.equal(got.status, 200, got.text);
    const m = got.json;
    const byRule = Object.fromEntries(m.clocks.map((c) => [c.rule, c]));
    assert.deepEqual(Object.keys(byRule).sort(), ['appeal', 'investigation', 'preliminary-assessment']);
    assert.deepEqual(
      [byRule['preliminary-assessment'].law_ref, byRule['preliminary-assessment'].due, byRule['preliminary-assessment'].status],
      [LAW.preliminary, '2026-03-16', 'met']);
    assert.deepEqual(
      [byRule.investigation.law_ref, byRule.investigation.due, byRule.investigation.status, byRule.investigation.extended],
      [LAW.investigation, '2026-09-10', 'met', true]);
    assert.deepEqual(
      [byRule.appeal.law_ref, byRule.appeal.due, byRule.appeal.decision_id],
      [LAW.appeal, '2026-08-31', state.decision]);
    assert.deepEqual(m.timeline.map((e) => e.kind), [
      'matter_opened', 'report_received', 'protection_assessed', 'preliminary_decided', 'investigation_started',
      'investigation_notified', 'report_received', 'protection_assessed', 'investigation_extended',
      'investigation_completed', 'decision_made', 'decision_served', 'intervention_started', 'intervention_ended',
      'matter_closed',
    ]);
    const seqs = m.timeline.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'timeline in journal order');
    for (const e of m.timeline) {
      assert.equal(e.unit, 'utredning-barn');
      assert.ok(['case_worker', 'team_lead'].includes(e.actor), `actor ${e.actor}`);
      assert.match(e.recorded_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.ok(e.rulebook_version.length > 0);
    }
    assert.equal(m.timeline.find((e) => e.kind === 'decision_made').actor, 'team_lead');
  });

  test('reports are searchable by identity number, with outcome, including the one without investigation', async () => {
    const res = await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.identity_number, child);
    assert.equal(res.json.person.id, state.person);
    const rows = res.json.reports.map((r) => [r.report_id, r.matter_id, r.disposition, r.outcome]);
    assert.deepEqual(rows.sort((a, b) => a[0] - b[0]), [
      [state.earlyReport, state.earlyMatter, 'new_matter', 'no_investigation'],
      [state.report1, state.matter, 'new_matter', 'investigation_opened'],
      [state.report2, state.matter, 'attached_to_investigation', 'attached_to_investigation'],
    ]);
    const early = res.json.reports.find((r) => r.report_id === state.earlyReport);
    assert.equal(early.reporter_category, 'preschool');
    assert.equal(early.channel, 'letter');
    assert.equal(early.reporter_name, null);

    // The short form with a separator finds the same child.
    const short = `${child.slice(2, 8)}-${child.slice(8)}`;
    const again = await server.api('GET', `/api/v1/reports?identity_number=${encodeURIComponent(short)}`, undefined, cw);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.identity_number, child);
    assert.equal(again.json.reports.length, 3);

    // The person view lists both matters and all three reports.
    const person = await server.api('GET', `/api/v1/persons/${state.person}`, undefined, cw);
    assert.equal(person.status, 200, person.text);
    assert.equal(person.json.identity_number, child);
    assert.deepEqual(person.json.matters.map((x) => [x.id, x.phase]).sort((a, b) => a[0] - b[0]),
      [[state.earlyMatter, 'closed'], [state.matter, 'closed']]);
    assert.equal(person.json.reports.length, 3);
  });

  test('a valid number nobody has reported gives an empty answer, not an error', async () => {
    const other = pnr('2016-01-20', 991);
    const res = await server.api('GET', `/api/v1/reports?identity_number=${other}`, undefined, cw);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { identity_number: other, person: null, reports: [], other_units: [] });
  });
});

describe('the appeal period (three weeks, 44 § FL) moves past weekends and holidays (lag 1930:173 2 §)', () => {
  const child = pnr('2012-06-20', 984);
  let matter;

  before(async () => {
    let res = await server.api('POST', '/api/v1/reports', reportBody([child], '2025-11-20T08:30'), cw);
    assert.equal(res.status, 201, res.text);
    matter = res.json.subjects[0].matter_id;
    res = await server.api('POST', `/api/v1/matters/${matter}/protection-assessment`,
      { assessed_at: '2025-11-20T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }, cw);
    assert.equal(res.status, 200, res.text);
    res = await server.api('POST', `/api/v1/matters/${matter}/preliminary-assessment`,
      { decision: 'open_investigation', decided_on: '2025-11-24', reasons: 'Oro.', decided_by: 'Team lead' }, lead);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.investigation.due, '2026-03-24');
  });

  async function decideAndServe(decidedOn, servedOn, legalBasis = 'sol-11-1') {
    let res = await server.api('POST', `/api/v1/matters/${matter}/decisions`, {
      outcome: 'granted', intervention: 'familjebehandling', legal_basis: legalBasis, decided_by: 'Team lead',
      decided_on: decidedOn, reasons: 'Stöd till familjen.',
    }, lead);
    assert.equal(res.status, 200, res.text);
    const id = res.json.decisions.at(-1).id;
    res = await server.api('POST', `/api/v1/matters/${matter}/decisions/${id}/service`, { served_on: servedOn }, cw);
    assert.equal(res.status, 200, res.text);
    return { id, matter: res.json, decision: res.json.decisions.find((d) => d.id === id) };
  }

  const cases = [
    // [decided, served, appeal due, why]
    ['2025-12-02', '2025-12-03', '2025-12-29', 'julafton (Wed), juldagen, annandag jul, then a weekend'],
    ['2025-12-09', '2025-12-10', '2026-01-02', 'nyårsafton (Wed), then nyårsdagen'],
    ['2025-12-15', '2025-12-16', '2026-01-07', 'trettondedag jul (Tue)'],
    ['2026-03-12', '2026-03-13', '2026-04-07', 'långfredagen, påskafton, påskdagen, annandag påsk'],
    ['2026-04-22', '2026-04-23', '2026-05-15', 'Kristi himmelsfärds dag (Thu)'],
    ['2026-05-28', '2026-05-29', '2026-06-22', 'midsommarafton (Fri) and the weekend'],
    ['2026-04-09', '2026-04-10', '2026-05-04', 'första maj (Fri) and the weekend'],
  ];
  for (const [decided, served, due, why] of cases) {
    test(`served ${served}: due ${due} — ${why}`, async () => {
      const { id, matter: m, decision } = await decideAndServe(decided, served);
      assert.equal(decision.served_on, served);
      assert.equal(decision.appeal_due, due);
      const appeal = clock(m, 'appeal', id);
      assert.equal(appeal.due, due);
      assert.equal(appeal.law_ref, LAW.appeal);
    });
  }

  test('an ordinary working day three weeks later is not moved', async () => {
    const { decision } = await decideAndServe('2026-05-29', '2026-06-01');
    assert.equal(decision.appeal_due, '2026-06-22');
  });

  test('served_on given with the decision serves it at once', async () => {
    const res = await server.api('POST', `/api/v1/matters/${matter}/decisions`, {
      outcome: 'partly_refused', intervention: 'kontaktfamilj', legal_basis: 'sol-11-1', decided_by: 'Team lead',
      decided_on: '2026-06-01', reasons: 'Delvis bifall.', served_on: '2026-06-02',
    }, lead);
    assert.equal(res.status, 200, res.text);
    const d = res.json.decisions.at(-1);
    assert.equal(d.outcome, 'partly_refused');
    assert.equal(d.served_on, '2026-06-02');
    assert.equal(d.appeal_due, '2026-06-23');
    assert.deepEqual(res.json.events.map((e) => e.kind), ['decision_made', 'decision_served']);
  });

  test('a decision that cannot be appealed gets no appeal period', async () => {
    const { id, matter: m, decision } = await decideAndServe('2026-06-10', '2026-06-11', 'sol-11-5');
    assert.equal(decision.appealable, false);
    assert.equal(decision.served_on, '2026-06-11');
    assert.equal(decision.appeal_due, null);
    assert.equal(clock(m, 'appeal', id), undefined);
  });
});

describe('a report received before 2025-07-01 runs on the old law (SoL 2001:453)', () => {
  test('clocks cite 11 kap. 1 a § SoL (2001:453)', async () => {
    const child = pnr('2013-09-09', 986);
    const reg = await server.api('POST', '/api/v1/reports', reportBody([child], '2025-05-12T13:00'), cw);
    assert.equal(reg.status, 201, reg.text);
    const m = (await server.api('GET', `/api/v1/matters/${reg.json.subjects[0].matter_id}`, undefined, cw)).json;
    assert.equal(clock(m, 'preliminary-assessment').law_ref, '11 kap. 1 a § andra stycket SoL (2001:453)');
    assert.equal(clock(m, 'preliminary-assessment').due, '2025-05-26');
    assert.equal(clock(m, 'protection-assessment').law_ref, '11 kap. 1 a § första stycket SoL (2001:453)');
  });
});

describe('several children in one report', () => {
  test('each child gets its own matter; a child named twice is refused', async () => {
    const a = pnr('2018-02-01', 988);
    const b = pnr('2020-07-15', 989);
    const res = await server.api('POST', '/api/v1/reports', reportBody([a, b], '2026-05-04T08:00'), cw);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.subjects.length, 2);
    assert.notEqual(res.json.subjects[0].matter_id, res.json.subjects[1].matter_id);
    assert.notEqual(res.json.subjects[0].person_id, res.json.subjects[1].person_id);
    assert.ok(res.json.subjects.every((s) => s.disposition === 'new_matter'));

    // While the first matter still awaits its preliminary assessment, a new report is attached to it.
    const again = await server.api('POST', '/api/v1/reports', reportBody([a], '2026-05-05T08:00'), cw);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.subjects[0].matter_id, res.json.subjects[0].matter_id);
    assert.equal(again.json.subjects[0].disposition, 'attached_to_pending_assessment');

    const before = server.count('journal');
    const twice = await server.api('POST', '/api/v1/reports',
      reportBody([pnr('2019-03-03', 990), pnr('2019-03-03', 990)], '2026-05-04T08:00'), cw);
    assertError(assert, twice, 400, 'invalid_input');
    assert.equal(server.count('journal'), before);
  });
});

describe('reports arriving at the same time', () => {
  test('eight simultaneous reports about a new child make one person and one matter', async () => {
    const child = pnr('2017-11-30', 997);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      server.api('POST', '/api/v1/reports', reportBody([child], `2026-06-0${1 + (i % 3)}T10:0${i}`), cw)));
    for (const r of results) assert.equal(r.status, 201, r.text);
    const subjects = results.map((r) => r.json.subjects[0]);
    assert.equal(new Set(subjects.map((s) => s.person_id)).size, 1);
    assert.equal(new Set(subjects.map((s) => s.matter_id)).size, 1);
    assert.equal(subjects.filter((s) => s.disposition === 'new_matter').length, 1);
    assert.equal(subjects.filter((s) => s.disposition === 'attached_to_pending_assessment').length, 7);
    assert.equal(new Set(results.map((r) => r.json.report_id)).size, 8, 'every report has its own id');
    assert.equal(server.count('persons', `identity_number = '${child}'`), 1);
    const search = await server.api('GET', `/api/v1/reports?identity_number=${child}`, undefined, cw);
    assert.equal(search.json.reports.length, 8);
  });
});

describe('people without a personnummer', () => {
  test('a samordningsnummer (day + 60) is accepted and searchable', async () => {
    const number = pnr('2015-03-74', 983);  // born 2015-03-14
    const reg = await server.api('POST', '/api/v1/reports', reportBody([number], '2026-06-10T10:00'), cw);
    assert.equal(reg.status, 201, reg.text);
    const person = await server.api('GET', `/api/v1/persons/${reg.json.subjects[0].person_id}`, undefined, cw);
    assert.equal(person.json.identity_kind, 'samordningsnummer');
    assert.equal(person.json.birth_date, '2015-03-14');
    assert.equal(person.json.identity_number, number);
    const search = await server.api('GET', `/api/v1/reports?identity_number=${number}`, undefined, cw);
    assert.equal(search.json.reports.length, 1);
  });

  test('a child whose identity is unknown is registered by name and approximate birth year', async () => {
    const reg = await server.api('POST', '/api/v1/reports', {
      ...reportBody([], '2026-06-10T11:00'), children: [{ name: 'Okänt barn, ca 8 år', birth_year: 2018 }],
    }, cw);
    assert.equal(reg.status, 201, reg.text);
    const person = await server.api('GET', `/api/v1/persons/${reg.json.subjects[0].person_id}`, undefined, cw);
    assert.equal(person.json.identity_kind, 'unknown');
    assert.equal(person.json.identity_number, null);
    assert.equal(person.json.name, 'Okänt barn, ca 8 år');
    assert.equal(person.json.birth_year, 2018);
    assert.equal(person.json.reports[0].text, reportBody([], 'x').text, 'UTF-8 text is stored as sent');
  });
});

describe('the list of matters', () => {
  test('open=false lists all matters; limit/after pages without gaps or repeats', async () => {
    const all = await server.api('GET', '/api/v1/matters?open=false&limit=500', undefined, cw);
    assert.equal(all.status, 200, all.text);
    const ids = all.json.items.map((m) => m.id);
    assert.ok(ids.length >= 5);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b));
    assert.equal(all.json.next_after, null);
    assert.ok(all.json.items.filter((m) => m.phase === 'closed').length >= 2);

    const paged = [];
    let after = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = await server.api('GET', `/api/v1/matters?open=false&limit=2${after ? `&after=${after}` : ''}`,
        undefined, cw);
      assert.equal(page.status, 200, page.text);
      assert.ok(page.json.items.length <= 2);
      paged.push(...page.json.items.map((m) => m.id));
      after = page.json.next_after;
      if (after === null) break;
      assert.equal(after, page.json.items.at(-1).id);
    }
    assert.deepEqual(paged, ids);
  });

  test('open=true, and the default, leave out closed matters', async () => {
    const all = await server.api('GET', '/api/v1/matters?open=false&limit=500', undefined, cw);
    const openIds = all.json.items.filter((m) => m.phase !== 'closed').map((m) => m.id);
    const open = await server.api('GET', '/api/v1/matters?open=true&limit=500', undefined, cw);
    assert.deepEqual(open.json.items.map((m) => m.id), openIds);
    // The server defaults to open matters only (the OpenAPI document does not say so).
    const byDefault = await server.api('GET', '/api/v1/matters?limit=500', undefined, cw);
    assert.deepEqual(byDefault.json.items.map((m) => m.id), openIds);
    for (const m of open.json.items) assert.ok(Array.isArray(m.clocks) && Array.isArray(m.next_steps));
  });

  test('the list is of one\'s own unit; another unit\'s list is refused (inner confidentiality)', async () => {
    const mine = await server.api('GET', '/api/v1/matters?open=false&unit=utredning-barn', undefined, cw);
    assert.ok(mine.json.items.length >= 1);
    const byDefault = await server.api('GET', '/api/v1/matters?open=false', undefined, cw);
    assert.deepEqual(byDefault.json.items.map((m) => m.id), mine.json.items.map((m) => m.id));
    assert.ok(mine.json.items.every((m) => m.unit === 'utredning-barn'));
    const other = await server.api('GET', '/api/v1/matters?open=false&unit=ekonomiskt-bistand', undefined, cw);
    assert.equal(other.status, 403, other.text);
    assert.equal(other.json.error.code, 'forbidden');
  });
});

describe("an adult's application (no child-specific clocks)", () => {
  test('application → investigation → decision served → closure; child-only steps are refused', async () => {
    const adult = pnr('1985-09-30', 982);
    const reg = await server.api('POST', '/api/v1/applications', {
      received_at: '2026-04-14T13:00', channel: 'e_service', applicant: { identity_number: adult },
      text: 'Ansöker om försörjningsstöd för maj.',
    }, cw);
    assert.equal(reg.status, 201, reg.text);
    const id = reg.json.matter_id;
    assert.deepEqual(reg.json.events.map((e) => e.kind), ['person_registered', 'matter_opened', 'application_received']);

    let res = await server.api('GET', `/api/v1/matters/${id}`, undefined, cw);
    assert.equal(res.json.kind, 'adult');
    assert.deepEqual(res.json.clocks, []);
    assert.deepEqual(res.json.next_steps, ['investigation', 'closure']);
    assert.equal(res.json.preliminary_assessment.due, null);

    for (const [name, body] of [
      ['protection-assessment', { assessed_at: '2026-04-14T14:00', immediate_need: false, reasons: 'x' }],
      ['preliminary-assessment', { decision: 'open_investigation', decided_on: '2026-04-15', reasons: 'x', decided_by: 'x' }],
    ]) {
      const refused = await server.api('POST', `/api/v1/matters/${id}/${name}`, body, cw);
      assertError(assert, refused, 409, 'illegal_transition');
    }

    res = await server.api('POST', `/api/v1/matters/${id}/investigation`, { started_on: '2026-04-15' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phase, 'investigating');
    assert.equal(res.json.investigation.due, null, 'no statutory four months for adults');
    assert.deepEqual(res.json.clocks, []);
    assert.ok(!res.json.next_steps.includes('investigation/extension'));
    const ext = await server.api('POST', `/api/v1/matters/${id}/investigation/extension`,
      { new_due: '2026-09-01', special_reasons: 'x', decided_on: '2026-04-20', decided_by: 'x' }, cw);
    assertError(assert, ext, 409, 'illegal_transition');

    res = await server.api('POST', `/api/v1/matters/${id}/investigation/completion`,
      { completed_on: '2026-04-24', conclusion: 'Rätt till bistånd.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.timeline.at(-1).payload.within_time, null);
    res = await server.api('POST', `/api/v1/matters/${id}/decisions`, {
      outcome: 'granted', intervention: 'forsorjningsstod', legal_basis: 'sol-12-1', decided_by: 'Handläggare',
      decided_on: '2026-04-27', reasons: 'Norm uppfylld.', served_on: '2026-04-28',
    }, cw);
    assert.equal(res.status, 200, res.text);
    // 2026-04-28 + 3 weeks = Tuesday 2026-05-19, a working day.
    assert.equal(res.json.decisions[0].appeal_due, '2026-05-19');
    assert.deepEqual(res.json.clocks.map((c) => [c.rule, c.due]), [['appeal', '2026-05-19']]);
    res = await server.api('POST', `/api/v1/matters/${id}/closure`, { closed_on: '2026-05-20', reason: 'Beslut fattat.' }, cw);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.phase, 'closed');
  });
});
