// Follow-up through the API (GET /api/v1/kpi): counted from the journal by the server's snapshot, which
// catches up with every new registration; small cells withheld; CSV for Swedish Excel and XLSX; bad queries
// refused with a stable code; only analysts, team leads and the committee may ask.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, assertError, todayStockholm, addDays } from './server.mjs';

let server;
const today = todayStockholm();
const period = `from=${addDays(today, -30)}&to=${today}`;
const schoolRow = (kpi) => {
  const table = kpi.counts.find((t) => t.id === 'inflow_by_category' && t.split === 'gender');
  const row = table.rows.findIndex((r) => r.code === 'school');
  return { cells: table.cells[row], total: table.row_totals[row], columns: table.columns.map((c) => c.code) };
};

before(async () => {
  server = await startServer();
});
after(async () => server?.stop());

async function report(birthDate, birthNumber) {
  const res = await server.api('POST', '/api/v1/reports', reportBody([pnr(birthDate, birthNumber)], `${today}T08:00`),
    server.tokens.case_worker);
  assert.equal(res.status, 201, res.text);
}

test('the measures follow the journal at once, and small cells are withheld', async () => {
  // Three girls (the ninth digit of a girl's number is even) reported by their school.
  await report('2014-02-03', 982);
  await report('2015-03-04', 984);
  await report('2016-04-05', 986);
  let kpi = (await server.api('GET', `/api/v1/kpi?${period}`, undefined, server.tokens.analyst)).json;
  assert.deepEqual(schoolRow(kpi).columns, ['female', 'male', 'unknown']);
  assert.deepEqual(schoolRow(kpi).cells, [3, 0, 0]);
  assert.equal(kpi.suppression.threshold, 3);

  // A boy: his 1 is withheld, and so must something else in his row, or the row total would give him away.
  await report('2013-05-06', 991);
  kpi = (await server.api('GET', `/api/v1/kpi?${period}`, undefined, server.tokens.analyst)).json;
  const row = schoolRow(kpi);
  assert.equal(row.cells[1], null, 'one boy is withheld');
  assert.equal(row.cells.filter((v) => v === null).length >= 2, true, JSON.stringify(row));
  const funnel = kpi.counts.find((t) => t.id === 'funnel' && t.split === 'age_band');
  assert.equal(funnel.row_totals[0], 4, 'four reports in the funnel');
});

test('CSV for Swedish Excel and XLSX are downloads of the same report', async () => {
  const csv = await fetch(`${server.base}/api/v1/kpi?${period}&format=csv`,
    { headers: { authorization: `Bearer ${server.tokens.team_lead}` } });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.headers.get('content-disposition'), /attachment; filename="uppfoljning-.*\.csv"/);
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with BOM');
  const text = bytes.subarray(3).toString('utf8');
  assert.match(text, /\r\n/);
  assert.match(text, /^Rapport;/m);
  assert.match(text, /Skola;/);

  const xlsx = await fetch(`${server.base}/api/v1/kpi?${period}&format=xlsx`,
    { headers: { authorization: `Bearer ${server.tokens.committee}` } });
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  const zip = Buffer.from(await xlsx.arrayBuffer());
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'an XLSX file is a zip archive');
});

test('only analysts, team leads and the committee may read the measures', async () => {
  for (const role of ['analyst', 'team_lead', 'committee']) {
    const res = await server.api('GET', `/api/v1/kpi?${period}`, undefined, server.tokens[role]);
    assert.equal(res.status, 200, `${role}: ${res.text}`);
  }
  for (const role of ['case_worker', 'first_line', 'admin']) {
    assertError(assert, await server.api('GET', `/api/v1/kpi?${period}`, undefined, server.tokens[role]), 403,
      'forbidden');
  }
  assertError(assert, await server.api('GET', `/api/v1/kpi?${period}`), 401, 'unauthenticated');
});

test('bad queries are refused with a precise code', async () => {
  const analyst = server.tokens.analyst;
  const ask = (query) => server.api('GET', `/api/v1/kpi?${query}`, undefined, analyst);
  assertError(assert, await ask(`to=${today}`), 400, 'invalid_input');
  assertError(assert, await ask(`from=2026-02-30&to=${today}`), 422, 'invalid_date');
  assertError(assert, await ask('from=2026-03-01&to=2026-02-01'), 400, 'invalid_input');
  assertError(assert, await ask('from=1990-01-01&to=2026-01-01'), 400, 'invalid_input');
  assertError(assert, await ask(`${period}&unit=no-such-unit`), 404, 'not_found');
  assertError(assert, await ask(`${period}&format=pdf`), 400, 'invalid_input');
});
