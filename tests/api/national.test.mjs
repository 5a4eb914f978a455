// The files that leave the municipality with individuals in them: `nysol register barn-och-unga` (the
// placements of children and young people for Socialstyrelsen) and `nysol kpi --not-executed` (the decisions not
// carried out, for IVO). Both write every person they name to the access log before the file is written, and
// refuse bad arguments without writing anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dropDatabase, freshDatabase, runSql } from './db.mjs';
import { BIN, RULEBOOK } from './server.mjs';

let dir;
let db;
const nysol = (...args) => spawnSync(BIN, args, { encoding: 'utf8', env: { ...process.env, NYSOL_RULEBOOK: RULEBOOK } });
const sql = (query) => runSql(db, query).map((row) => row.join('|')).join('\n');

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nysol-national-'));
  db = freshDatabase(dir, 'demo.db');
  const made = nysol('demo', '--persons', '3000', '--years', '3', '--seed', '7', '--end', '2026-03-01', '--db', db);
  assert.equal(made.status, 0, made.stderr);
});
after(() => {
  dropDatabase(db);
  rmSync(dir, { recursive: true, force: true });
});

test('the register file lists the year\'s placements and logs every person in it', () => {
  const res = nysol('register', 'barn-och-unga', '--db', db, '--year', '2025', '--municipality', '0180', '--by', 'statistik');
  assert.equal(res.status, 0, res.stderr);
  const lines = res.stdout.split('\r\n').filter((l) => l.length > 0);
  assert.equal(lines[0], 'kommun;statistikar;id;kon;insats;lagrum;beslutsdatum;placeringsdatum;slutdatum;avslutsorsak');
  assert.ok(lines.length > 1, 'a three-year demo has placements in 2025');
  for (const line of lines.slice(1)) {
    const f = line.split(';');
    assert.equal(f.length, 10, line);
    assert.deepEqual(f.slice(0, 2), ['0180', '2025']);
    assert.match(f[2], /^(\d{12}|T\d+)$/);
    assert.ok(['familjehem', 'jourhem', 'hvb', 'stodboende'].includes(f[4]), line);
    assert.ok(f[7] <= '2025-12-31' && (f[8] === '' || f[8] >= '2025-01-01'), `ran in 2025: ${line}`);
  }
  const logged = sql("SELECT count(*), count(DISTINCT username) FROM access_log WHERE route = 'nysol register barn-och-unga' AND username = 'statistik' AND person_id IS NOT NULL");
  assert.equal(logged, `${lines.length - 1}|1`);
});

test('the list for IVO is logged person by person, and bad arguments change nothing', () => {
  const before = sql('SELECT count(*) FROM access_log');
  for (const args of [['--from', '2026-02-30', '--to', '2026-03-31'], ['--from', '2026-04-01', '--to', '2026-03-31'],
    ['--from', '2026-01-01', '--to', '2026-03-31', '--unit', 'ingen-enhet'], ['--from', '2026-01-01', '--to', '2026-03-31', '--format', 'xlsx']]) {
    const bad = nysol('kpi', '--db', db, '--not-executed', '--by', 'statistik', ...args);
    assert.equal(bad.status, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.match(bad.stderr, /^kpi: /);
  }
  const none = nysol('register', 'barn-och-unga', '--db', db, '--year', '2025', '--municipality', '180');
  assert.notEqual(none.status, 0);
  assert.equal(sql('SELECT count(*) FROM access_log'), before, 'refusals log nothing');

  // A year after the demo ends, decisions granted before it and never carried out are overdue.
  const res = nysol('kpi', '--db', db, '--from', '2027-01-01', '--to', '2027-03-31', '--format', 'json', '--not-executed', '--by', 'statistik');
  assert.equal(res.status, 0, res.stderr);
  const rows = JSON.parse(res.stdout).not_executed;
  assert.ok(rows.length > 0, 'some decision is overdue on 2027-03-31');
  const logged = sql("SELECT count(*) FROM access_log WHERE route = 'nysol kpi --not-executed' AND username = 'statistik' AND person_id IS NOT NULL");
  assert.equal(Number(logged), rows.length);
});
