// Black-box: `nysol simulate mmc` prints one JSON object close to the exact M/M/c values, the same for the
// same seed, and refuses bad options with a message on stderr, exit code 2 and nothing on stdout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const BIN = process.env.NYSOL_BIN;
const run = (...args) => spawnSync(BIN, ['simulate', 'mmc', ...args], { encoding: 'utf8' });
const ok = ['--arrival-rate', '2', '--service-rate', '1', '--servers', '3', '--customers', '400000', '--seed', '7'];

test('one JSON object with the simulated and the exact figures', () => {
  const res = run(...ok);
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  for (const field of ['mean_wait', 'p_wait', 'utilisation', 'events_per_second']) {
    assert.equal(typeof out[field], 'number', field);
  }
  // Erlang C for c = 3, λ/μ = 2: P(wait) = 4/9, Wq = 4/9; utilisation 2/3.
  assert.ok(Math.abs(out.exact.p_wait - 4 / 9) < 1e-12);
  assert.ok(Math.abs(out.mean_wait / (4 / 9) - 1) < 0.03, `mean_wait ${out.mean_wait}`);
  assert.ok(Math.abs(out.p_wait / (4 / 9) - 1) < 0.03, `p_wait ${out.p_wait}`);
  assert.ok(Math.abs(out.utilisation / (2 / 3) - 1) < 0.01, `utilisation ${out.utilisation}`);
  assert.equal(out.events, 800000);
  assert.ok(out.events_per_second > 0);
  // Little's law inside the run.
  assert.ok(Math.abs(out.littles_law.throughput_times_mean_sojourn / out.littles_law.time_average_in_system - 1) < 0.01);
});

test('the same seed gives the same figures', () => {
  const strip = (o) => { delete o.seconds; delete o.events_per_second; return o; };
  const a = strip(JSON.parse(run(...ok).stdout));
  const b = strip(JSON.parse(run(...ok).stdout));
  assert.deepEqual(a, b);
  const other = JSON.parse(run(...ok.slice(0, -1), '8').stdout);
  assert.notEqual(other.mean_wait, a.mean_wait);
});

test('bad options: a message on stderr, exit code 2, nothing on stdout', () => {
  const cases = [
    [['--arrival-rate', '0', '--service-rate', '1', '--servers', '3', '--customers', '10'], /--arrival-rate/],
    [['--arrival-rate', '-1', '--service-rate', '1', '--servers', '3', '--customers', '10'], /--arrival-rate/],
    [['--arrival-rate', '1', '--service-rate', '0', '--servers', '3', '--customers', '10'], /--service-rate/],
    [['--arrival-rate', '1', '--service-rate', '1', '--servers', '2.5', '--customers', '10'], /--servers/],
    [['--arrival-rate', '1', '--service-rate', '1', '--servers', '0', '--customers', '10'], /--servers/],
    [['--arrival-rate', '1', '--service-rate', '1', '--servers', '2', '--customers', '0'], /--customers/],
    [['--arrival-rate', '3', '--service-rate', '1', '--servers', '3', '--customers', '10'], /not stable/],
    [['--arrival-rate', 'abc', '--service-rate', '1', '--servers', '3', '--customers', '10'], /not a number/],
    [['--service-rate', '1', '--servers', '3', '--customers', '10'], /--arrival-rate is required/],
    [[...ok, '--unknown'], /unexpected argument/],
  ];
  for (const [args, message] of cases) {
    const res = run(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stdout, '', args.join(' '));
    assert.match(res.stderr, message, args.join(' '));
  }
});
