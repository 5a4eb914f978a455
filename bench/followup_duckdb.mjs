// The follow-up measures in DuckDB: the same questions bench/followup_bench.cpp asks SQLite, over the same
// facts (the CSV files it writes to DIR), checked against the figures our snapshot gave (DIR/expected.json).
//
//   node bench/followup_duckdb.mjs DIR [--runs 5]
//
// Loads the CSV files into in-memory tables (timed: load_seconds), then for the one-year period and for all
// years runs every question once to warm up and --runs times more, and prints one JSON object to stdout with
// the medians in milliseconds: first with DuckDB's default settings, so on as many threads as the machine has
// cores (reported), then again on one thread (single_thread), as ours runs. Every non-zero figure must equal
// ours; a mismatch is printed to stderr and the exit status is 1.
//
// The SQL is followup_bench.cpp's (see there for what each question is and how it follows measures.cpp), in
// DuckDB's dialect: GROUPING SETS instead of a UNION ALL per split, // for integer division, and calendar
// months as date + INTERVAL, which DuckDB clamps to the month's last day as our AddMonths does. The columns
// have the widths of the snapshot's (UTINYINT, USMALLINT, INTEGER, UINTEGER).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance, version } from '@duckdb/node-api';

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith('--'));
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
if (!dir || !(runs >= 1)) {
  console.error('usage: node bench/followup_duckdb.mjs DIR [--runs N]');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
const { no_day: noDay, rule_from_day: ruleFrom, rule_months: ruleMonths } = expected.params;

const tables = {
  facts: {
    day: 'INTEGER', kind: 'UTINYINT', unit: 'USMALLINT', gender: 'UTINYINT', age: 'UTINYINT',
    code: 'USMALLINT', channel: 'USMALLINT', lead_days: 'INTEGER', end_day: 'INTEGER', flags: 'UTINYINT',
    person: 'UINTEGER', people: 'UINTEGER',
  },
  matters: {
    opened: 'INTEGER', closed: 'INTEGER', decided: 'INTEGER', unit: 'USMALLINT', unit_before: 'USMALLINT',
    transferred: 'INTEGER', gender: 'UTINYINT', age: 'UTINYINT', child: 'UTINYINT',
  },
  codes: { id: 'USMALLINT', text: 'VARCHAR' },
  units: { id: 'USMALLINT', code: 'VARCHAR' },
  items: { code: 'USMALLINT', item: 'VARCHAR', basis: 'VARCHAR', cost: 'BIGINT' },
  interventions: { code: 'USMALLINT' },
};

// The age band's index (0-12, 13-17, 18-29, 30-49, 50-64, 65-79, 80+; 7 unknown).
const band = (age) =>
  `CASE WHEN ${age} = 255 THEN 7 WHEN ${age} >= 80 THEN 6 WHEN ${age} >= 65 THEN 5 ` +
  `WHEN ${age} >= 50 THEN 4 WHEN ${age} >= 30 THEN 3 WHEN ${age} >= 18 THEN 2 ` +
  `WHEN ${age} >= 13 THEN 1 ELSE 0 END`;
// AddMonths on a day number: DuckDB's date + INTERVAL clamps 31 January + 1 month to the last of February.
const addMonths = (day, months) =>
  `(CAST(DATE '1970-01-01' + ${day} + INTERVAL '${months} months' AS DATE) - DATE '1970-01-01')`;
const split = (...columns) =>
  `CASE ${columns.map(([c, name]) => `WHEN GROUPING(${c}) = 0 THEN '${name}'`).join(' ')} ELSE 'all' END`;

function countsSql(from, to) {
  return `
WITH base AS MATERIALIZED (
  SELECT kind, code, channel, flags, gender, ${band('age')} AS band, unit,
         CASE WHEN kind = 0 AND end_day <> ${noDay} AND end_day >= ${addMonths('day', -12)} THEN 1 ELSE 0 END
           AS rep,
         count(*) AS facts, sum(people) AS people
  FROM facts WHERE day BETWEEN ${from} AND ${to}
  GROUP BY kind, code, channel, flags, gender, band, unit, rep),
e AS (
  SELECT base.*, c.text AS code_text, ch.text AS channel_text, i.item, i.basis, i.cost,
         CASE WHEN kind = 2 THEN people ELSE facts END AS n
  FROM base JOIN codes c ON c.id = base.code JOIN codes ch ON ch.id = base.channel
       LEFT JOIN items i ON i.code = base.code),
slots (slot, measure) AS (VALUES
  (1, 'inflow_by_category'), (2, 'inflow_by_channel'), (3, 'inflow_initiative'), (4, 'funnel'),
  (5, 'deadline_compliance'), (6, 'deadline_compliance'), (7, 'deadline_compliance'), (8, 'repeat_reports'),
  (9, 'repeat_reports'), (10, 'first_line_by_item'), (11, 'interventions_by_knowledge_basis'),
  (12, 'volumes_by_item'), (13, 'costs_by_item')),
measured AS (
  SELECT * FROM (
    SELECT measure, gender, band, unit, CASE WHEN slot = 13 THEN n * cost ELSE n END AS val,
      CASE slot
        WHEN 1 THEN CASE WHEN kind = 0 AND code <> 0 THEN code_text WHEN kind = 1 THEN 'application'
                         WHEN kind = 2 THEN 'first_line' END
        WHEN 2 THEN CASE WHEN kind IN (0, 1) AND channel <> 0 THEN channel_text END
        WHEN 3 THEN CASE WHEN kind = 0 AND code_text <> 'child' THEN 'reported_by_others'
                         WHEN kind IN (0, 1, 2) THEN 'own_initiative' END
        WHEN 4 THEN CASE kind WHEN 0 THEN 'reports' WHEN 3 THEN 'preliminary_assessments'
                              WHEN 4 THEN 'investigations_started' WHEN 6 THEN 'decisions'
                              WHEN 7 THEN 'interventions_started' END
        WHEN 5 THEN CASE WHEN kind = 3 THEN 'preliminary_assessments'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_completed' END
        WHEN 6 THEN CASE WHEN (flags & 1) = 0 THEN NULL WHEN kind = 3 THEN 'preliminary_within_limit'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_within_limit' END
        WHEN 7 THEN CASE WHEN (flags & 2) = 0 THEN NULL WHEN kind = 3 THEN 'preliminary_extended'
                         WHEN kind = 5 AND (flags & 32) = 0 THEN 'investigations_extended' END
        WHEN 8 THEN CASE WHEN kind = 0 THEN 'reports' END
        WHEN 9 THEN CASE WHEN kind = 0 AND rep = 1 THEN 'repeat_within_12_months' END
        WHEN 10 THEN CASE WHEN kind = 2 THEN item END
        WHEN 11 THEN CASE WHEN kind NOT IN (2, 7) THEN NULL
                          WHEN basis IN ('evidence_based', 'proven_experience', 'local_untested') THEN basis
                          ELSE 'not_in_catalog' END
        ELSE CASE WHEN kind IN (2, 7) THEN item END
      END AS row_code
    FROM e CROSS JOIN slots)
  WHERE row_code IS NOT NULL)
SELECT measure, ${split(['gender', 'gender'], ['band', 'age_band'], ['unit', 'unit'])} AS split_by, row_code,
       coalesce(gender, band, unit) AS col, sum(val) AS val
FROM measured
GROUP BY GROUPING SETS ((measure, row_code, gender), (measure, row_code, band), (measure, row_code, unit))`;
}

// Lead times from a histogram of the day counts per group with running sums, as for SQLite. The same figures
// as median(lead_days) and quantile_disc(lead_days, 0.9) over GROUPING SETS of the facts themselves (nearest
// rank too), which we tried first: those took about twice as long for all years.
function leadTimesSql(from, to) {
  return `
WITH h AS MATERIALIZED (
  SELECT CASE kind WHEN 3 THEN 'report_to_preliminary_decision' WHEN 5 THEN 'investigation'
                   WHEN 6 THEN 'received_to_decision' ELSE 'decision_to_intervention' END AS step,
         gender, ${band('age')} AS band, unit, lead_days, count(*) AS n
  FROM facts
  WHERE day BETWEEN ${from} AND ${to} AND (kind IN (3, 6) OR (kind IN (5, 7) AND lead_days >= 0))
  GROUP BY step, gender, band, unit, lead_days),
g AS (
  SELECT step, ${split(['gender', 'gender'], ['band', 'age_band'], ['unit', 'unit'])} AS split_by,
         coalesce(gender, band, unit, 0) AS col, lead_days, sum(n) AS n
  FROM h GROUP BY GROUPING SETS ((step, gender, lead_days), (step, band, lead_days), (step, unit, lead_days),
                                 (step, lead_days))),
c AS (
  SELECT step, split_by, col, lead_days,
         sum(n) OVER (PARTITION BY step, split_by, col ORDER BY lead_days ROWS UNBOUNDED PRECEDING) AS below,
         sum(n) OVER (PARTITION BY step, split_by, col) AS total
  FROM g)
SELECT step, split_by, col, max(total) AS n,
       (min(CASE WHEN below >= (total + 1) // 2 THEN lead_days END) +
        min(CASE WHEN below >= total // 2 + 1 THEN lead_days END)) / 2.0 AS median,
       min(CASE WHEN below >= (9 * total + 9) // 10 THEN lead_days END) AS p90
FROM c GROUP BY step, split_by, col`;
}

function queueSql(to) {
  return `
WITH q AS (
  SELECT CASE WHEN waited <= 14 THEN '0-14' WHEN waited <= 30 THEN '15-30' WHEN waited <= 60 THEN '31-60'
              WHEN waited <= 120 THEN '61-120' WHEN waited <= 180 THEN '121-180' ELSE '181+' END AS row_code,
         gender, ${band('age')} AS band, CASE WHEN transferred <= ${to} THEN unit ELSE unit_before END AS unit
  FROM (SELECT ${to} - opened AS waited, * FROM matters
        WHERE opened <= ${to} AND closed > ${to} AND decided > ${to}))
SELECT 'open_queue_by_age' AS measure,
       ${split(['gender', 'gender'], ['band', 'age_band'], ['unit', 'unit'])} AS split_by,
       row_code, coalesce(gender, band, unit) AS col, count(*) AS val
FROM q GROUP BY GROUPING SETS ((row_code, gender), (row_code, band), (row_code, unit))`;
}

function notExecutedSql(to) {
  return `
WITH d AS MATERIALIZED (
  SELECT code, gender, ${band('age')} AS band, unit, day FROM facts
  WHERE kind = 6 AND day BETWEEN ${ruleFrom} AND ${to} AND (flags & 24) = 24 AND end_day > ${to}
    AND ${addMonths('day', ruleMonths)} < ${to}),
m AS (
  SELECT 'not_executed_by_intervention' AS measure, c.text AS row_code, gender, band, unit
    FROM d JOIN interventions i ON i.code = d.code JOIN codes c ON c.id = d.code
  UNION ALL SELECT 'not_executed_by_time',
           CASE WHEN ${to} < ${addMonths('day', 6)} THEN '3-6_months'
                WHEN ${to} < ${addMonths('day', 12)} THEN '6-12_months' ELSE '12+_months' END,
           gender, band, unit
    FROM d)
SELECT measure, ${split(['gender', 'gender'], ['band', 'age_band'], ['unit', 'unit'])} AS split_by, row_code,
       coalesce(gender, band, unit) AS col, count(*) AS val
FROM m
GROUP BY GROUPING SETS ((measure, row_code, gender), (measure, row_code, band), (measure, row_code, unit))`;
}

const key = (measure, splitBy, row, col) => `${measure}|${splitBy}|${row}|${col}`;

// Every question for one period; the figures keyed as in expected.json.
async function ask(connection, from, to) {
  const cells = {};
  for (const sql of [countsSql(from, to), queueSql(to), notExecutedSql(to)]) {
    for (const r of (await connection.runAndReadAll(sql)).getRowObjectsJson()) {
      const value = Number(r.val);
      if (value !== 0) cells[key(r.measure, r.split_by, r.row_code, Number(r.col))] = value;
    }
  }
  for (const r of (await connection.runAndReadAll(leadTimesSql(from, to))).getRowObjectsJson()) {
    const col = Number(r.col);
    if (r.split_by !== 'all') cells[key('lead_times', r.split_by, r.step, col)] = Number(r.n);
    if (r.median !== null) cells[key('lead_times.median', r.split_by, r.step, col)] = Number(r.median);
    if (r.p90 !== null) cells[key('lead_times.p90', r.split_by, r.step, col)] = Number(r.p90);
  }
  return cells;
}

// Prints up to 20 differences to stderr; true when there are none.
function compare(ours, theirs, period) {
  const differences = [];
  for (const [k, v] of Object.entries(ours)) {
    if (!(k in theirs)) differences.push(`${k}: ours ${v}, duckdb nothing`);
    else if (Math.abs(theirs[k] - v) > 1e-9) differences.push(`${k}: ours ${v}, duckdb ${theirs[k]}`);
  }
  for (const [k, v] of Object.entries(theirs)) {
    if (!(k in ours)) differences.push(`${k}: ours nothing, duckdb ${v}`);
  }
  for (const d of differences.slice(0, 20)) console.error(`followup_duckdb: MISMATCH ${period} ${d}`);
  if (differences.length > 0) {
    const of = Object.keys(ours).length;
    console.error(`followup_duckdb: ${period}: ${differences.length} of ${of} cells differ`);
  }
  return differences.length === 0;
}

const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const one = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJson()[0];
const threads = Number((await one("SELECT current_setting('threads') AS t")).t);

console.error(`followup_duckdb: loading ${dir}`);
let start = performance.now();
for (const [table, columns] of Object.entries(tables)) {
  const file = resolve(dir, `${table}.csv`).replaceAll("'", "''");
  const definitions = Object.entries(columns).map(([column, type]) => `${column} ${type}`);
  await connection.run(`CREATE TABLE ${table} (${definitions.join(', ')})`);
  await connection.run(`COPY ${table} FROM '${file}' (HEADER)`);
}
const loadSeconds = (performance.now() - start) / 1000;
const facts = Number((await one('SELECT count(*) AS n FROM facts')).n);

const result = {
  duckdb_version: version(),
  threads,
  facts,
  runs,
  load_seconds: Math.round(loadSeconds * 100) / 100,
};
let checksPassed = true;
// Each period: one warm-up, then the median of `runs`; the figures checked against ours.
async function time(label, out) {
  for (const period of expected.periods) {
    console.error(`followup_duckdb: ${period.name} (${period.from} to ${period.to}), ${label}, ${runs} runs`);
    let cells = await ask(connection, period.from_day, period.to_day);
    const ms = [];
    for (let i = 0; i < runs; ++i) {
      start = performance.now();
      cells = await ask(connection, period.from_day, period.to_day);
      ms.push(performance.now() - start);
    }
    out[`${period.name}_ms`] = Math.round(median(ms) * 100) / 100;
    checksPassed = compare(period.cells, cells, `${period.name}, ${label}`) && checksPassed;
  }
}
await time(`${threads} threads`, result);
// Ours runs on one thread; so does this, for the comparison per core.
result.single_thread = {};
await connection.run('SET threads = 1');
await time('1 thread', result.single_thread);
result.cells_compared = expected.periods.reduce((n, period) => n + Object.keys(period.cells).length, 0);
result.checks_passed = checksPassed;
console.log(JSON.stringify(result, null, 2));
if (!checksPassed) {
  console.error("followup_duckdb: DuckDB's figures differ from ours (see above)");
  process.exitCode = 1;
}
