// `nysol gallra` as an administrator runs it: argument checks with clear errors and nothing changed, the dry
// run's JSON, and a real run that is recorded and still replays. The rules themselves are tested in
// tests/retention/ (golden files in tests/golden/retention/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropDatabase, freshDatabase, runSql } from './db.mjs';
import { BIN, RULEBOOK, UNIT } from './server.mjs';

let dir;
let db;

function nysol(...args) {
  const env = { ...process.env, NYSOL_RULEBOOK: RULEBOOK };
  return spawnSync(BIN, args, { encoding: 'utf8', env });
}

function sql(query) {
  return runSql(db, query).map((row) => row.join('|')).join('\n');
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nysol-gallra-'));
  db = freshDatabase(dir, 'gallra.db');
  // `user add` creates and migrates the database.
  const made = nysol('user', 'add', '--db', db, '--username', 'admin', '--name', 'Admin', '--unit', UNIT,
    '--role', 'admin');
  assert.equal(made.status, 0, made.stderr);
});

after(() => {
  dropDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

test('a bad --on date is refused with a clear message and nothing changes', () => {
  for (const bad of ['2026-02-30', '23/11/2026', 'today', '']) {
    const res = nysol('gallra', '--db', db, '--on', bad, '--by', 'admin');
    assert.equal(res.status, 2, `${bad}: ${res.stderr}`);
    assert.match(res.stderr, /^gallra: --on: /);
  }
  assert.equal(sql('SELECT count(*) FROM retention_runs'), '0');
});

test('records are not removed ahead of time: a later day is for --dry-run only', () => {
  const res = nysol('gallra', '--db', db, '--on', '2999-01-01', '--by', 'admin');
  assert.equal(res.status, 2);
  assert.match(res.stderr, /after today/);
  assert.equal(sql('SELECT count(*) FROM retention_runs'), '0');
  const dry = nysol('gallra', '--db', db, '--on', '2999-01-01', '--dry-run');
  assert.equal(dry.status, 0, dry.stderr);
});

test('before SoL (2025:400) there is no rule to apply', () => {
  const res = nysol('gallra', '--db', db, '--on', '2025-06-30', '--dry-run');
  assert.equal(res.status, 2);
  assert.match(res.stderr, /16 kap\. 1 § SoL.*2025-06-30/);
});

test('a broken settings file stops the run', () => {
  const config = path.join(dir, 'retention.json');
  writeFileSync(config, '{"research_municipalty": true}');
  const res = nysol('gallra', '--db', db, '--dry-run', '--config', config);
  assert.equal(res.status, 1);
  assert.match(res.stderr, /unknown key "research_municipalty"/);
});

test('the dry run as JSON', () => {
  const res = nysol('gallra', '--db', db, '--dry-run', '--on', '2026-11-23', '--format', 'json');
  assert.equal(res.status, 0, res.stderr);
  const out = JSON.parse(res.stdout);
  assert.equal(out.dry_run, true);
  assert.equal(out.on, '2026-11-23');
  assert.deepEqual(out.settings, { research_municipality: false, research_sample_birth_days: [5, 15, 25] });
  assert.deepEqual(out.due, []);
  assert.equal(out.persons_evaluated, 0);
});

test('a real run is recorded, and the journal still replays', () => {
  const res = nysol('gallra', '--db', db, '--by', 'admin');
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /run 1 by admin/);
  assert.equal(sql('SELECT actor, persons_removed, CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END FROM retention_runs'), 'admin|0|1');
  const replay = nysol('replay', '--db', db);
  assert.equal(replay.status, 0, replay.stderr);
});
