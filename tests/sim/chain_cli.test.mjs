// Black-box: a small demo municipality, `nysol simulate calibrate` on it, then `nysol simulate run` with a
// scenario from config/scenarios/; bad models and scenarios are refused with exit code 2 and nothing on stdout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN = process.env.NYSOL_BIN;
const ROOT = process.env.NYSOL_ROOT;
let dir, db, model;
const nysol = (...args) => spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-sim-'));
  db = path.join(dir, 'demo.db');
  const demo = nysol('demo', '--persons', '1500', '--years', '3', '--seed', '1', '--end', '2026-03-01', '--db', db);
  assert.equal(demo.status, 0, demo.stderr);
  model = path.join(dir, 'model.toml');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('calibrate writes a readable model with how well each figure fits', () => {
  const res = nysol('simulate', 'calibrate', '--db', db);
  assert.equal(res.status, 0, res.stderr);
  fs.writeFileSync(model, res.stdout);
  for (const table of ['[arrivals.report]', '[arrivals.application]', '[arrivals.first_line]', '[routing]',
    '[steps.preliminary_assessment]', '[steps.investigation_child]', '[units.utredning-barn]']) {
    assert.ok(res.stdout.includes(table), table);
  }
  assert.match(res.stdout, /month_mape = /);
  assert.match(res.stdout, /daily_dispersion = /);
  assert.match(res.stdout, /ks_distance_quantiles = /);
  assert.match(res.stdout, /calibrated_to = "2026-02-28"/);
});

test('run: a scenario against the baseline, JSON and table, the same for the same seed', () => {
  const scenario = path.join(ROOT, 'config', 'scenarios', 'inflow-plus-10.toml');
  const args = ['simulate', 'run', model, '--scenario', scenario, '--replications', '8', '--seed', '3'];
  const res = nysol(...args, '--format', 'json');
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  assert.equal(out.scenario.name, 'Inflow +10 %');
  assert.equal(out.replications, 8);
  assert.deepEqual(out.limits.map((l) => [l.id, l.limit]), [['preliminary-assessment', '14 days'], ['investigation', '4 months']]);
  const m = out.metrics;
  for (const figure of [m.steps.preliminary_assessment.mean_queue_length, m.steps.investigation_child.mean_wait_days,
    m.compliance.preliminary_assessment_within_14_days, m.compliance.investigation_child_within_4_months,
    m.units['utredning-barn'].utilisation, m.freed_hours.all, m.costs.total_sek]) {
    for (const side of ['baseline', 'scenario', 'change']) {
      assert.ok(figure[side].ci_low <= figure[side].mean && figure[side].mean <= figure[side].ci_high);
      assert.equal(figure[side].n, 8);
    }
  }
  const reports = m.arrivals.reports;
  assert.ok(reports.change.ci_low > 0, 'more reports');
  assert.ok(Math.abs(reports.scenario.mean / reports.baseline.mean - 1.1) < 0.03, JSON.stringify(reports));
  const again = JSON.parse(nysol(...args, '--format', 'json').stdout);
  assert.deepEqual(again.metrics, out.metrics);
  const table = nysol(...args, '--format', 'table');
  assert.equal(table.status, 0, table.stderr);
  assert.match(table.stdout, /^compliance\.investigation_child_within_4_months +share/m);
});

test('moving items to the first line: a catalog item the law allows runs, 11 kap. 5 § p. 1–7 items are refused', () => {
  const allowed = path.join(ROOT, 'config', 'scenarios', 'admin-cut-first-line.toml');
  const res = nysol('simulate', 'run', model, '--scenario', allowed, '--replications', '4', '--seed', '2');
  assert.equal(res.status, 0, res.stderr);
  const moved = JSON.parse(res.stdout).metrics.decisions.moved_to_first_line;
  assert.equal(moved.baseline.mean, 0);
  assert.ok(moved.scenario.mean > 0, JSON.stringify(moved));
  const barred = path.join(dir, 'contact-person.toml');
  fs.writeFileSync(barred, '[first_line]\nmove_items = ["kontaktperson"]\n');
  const refused = nysol('simulate', 'run', model, '--scenario', barred, '--replications', '4');
  assert.equal(refused.status, 2, refused.stderr);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /'kontaktperson' is .*always needs an individual needs assessment \(11 kap\. 5 § 1 SoL\)/);
});

test('bad models, scenarios and options: a message on stderr, exit code 2, nothing on stdout', () => {
  const good = fs.readFileSync(model, 'utf8');
  const write = (name, text) => { const p = path.join(dir, name); fs.writeFileSync(p, text); return p; };
  const badKey = write('bad-key.toml', good.replace('[model]\n', '[model]\nbogus = 1\n'));
  const negative = write('negative.toml', good.replace(/\[arrivals\.report\]\nper_day = [0-9.]+/, '[arrivals.report]\nper_day = -3.0'));
  const badScenario = write('bad-scenario.toml', '[units.nowhere]\nvacancies = 1\n');
  const unknownScenarioKey = write('unknown-scenario.toml', '[inflow]\nreport = 1.1\nreprots = 2\n');
  const cases = [
    [['simulate', 'run', badKey], /unknown key model\.bogus/],
    [['simulate', 'run', negative], /arrivals\.report\.per_day/],
    [['simulate', 'run', path.join(dir, 'missing.toml')], /cannot read the model file/],
    [['simulate', 'run', model, '--scenario', badScenario], /no unit 'nowhere'/],
    [['simulate', 'run', model, '--scenario', unknownScenarioKey], /unknown key inflow\.reprots/],
    [['simulate', 'run', model, '--scenario', path.join(dir, 'missing-scenario.toml')], /cannot read the scenario/],
    [['simulate', 'run', model, '--replications', '0'], /--replications/],
    [['simulate', 'run', model, '--format', 'xml'], /--format/],
    [['simulate', 'run'], /model file is required/],
    [['simulate', 'calibrate', '--db', path.join(dir, 'none.db')], /no database/],
    [['simulate', 'calibrate'], /--db is required/],
    [['simulate', 'calibrate', '--db', db, '--from', '2026-02-30'], /--from/],
    [['simulate', 'calibrate', '--db', db, '--utilisation', '1.5'], /--utilisation/],
  ];
  for (const [args, message] of cases) {
    const res = nysol(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stdout, '', args.join(' '));
    assert.match(res.stderr, message, args.join(' '));
  }
});
