// Black-box, on PostgreSQL (NYSOL_TEST_BACKEND=postgresql, tests/api/db.mjs): `nysol migrate`, `backup`,
// `restore` and `replay` with a postgresql:// address. A backup is one SQLite file taken from one snapshot
// while the server writes; restored into another PostgreSQL database (and into a SQLite file) it replays and
// holds the same journal; refusals change nothing; a server whose database goes away answers 503 and
// recovers when it comes back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { BACKEND, dropDatabase, freshDatabase, runSql } from '../api/db.mjs';
import { addUser } from '../api/server.mjs';
import { run, serve, startWriter } from './ops_lib.mjs';

const BIN = process.env.NYSOL_BIN;
let dir;
let db;
const made = [];
const nysol = (...args) => spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const journalCount = (where) =>
  Number(where.startsWith('postgresql://')
    ? runSql(where, 'SELECT count(*) FROM journal')[0][0]
    : spawnSync('sqlite3', [where, 'SELECT count(*) FROM journal'], { encoding: 'utf8' }).stdout.trim());
const journalDigest = (where) => runSql(where, 'SELECT seq, kind, payload FROM journal ORDER BY seq').map((r) => r.join('|')).join('\n');
const fresh = () => {
  const name = freshDatabase(dir);
  made.push(name);
  return name;
};

function assertReplays(where) {
  const res = nysol('replay', '--db', where);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /^ok: \d+ events replayed/);
}

before(() => {
  assert.equal(BACKEND, 'postgresql', 'this file tests the PostgreSQL backend: NYSOL_TEST_BACKEND=postgresql');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-ops-pg-'));
  db = fresh();
  const res = nysol('demo', '--persons', '300', '--years', '1', '--seed', '1', '--db', db);
  assert.equal(res.status, 0, res.stderr);
});
after(() => {
  for (const name of made) dropDatabase(name);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('migrate creates the schema and then says it is up to date', () => {
  const empty = fresh();
  const first = nysol('migrate', '--db', empty);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /^migrated: 0 -> \d+ \(applied 1,2,/);
  const again = nysol('migrate', '--db', empty);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^up to date at \d+\n$/);
});

test('backup to a file, restore into a new PostgreSQL database and into a SQLite file: the same journal', () => {
  const backup = path.join(dir, 'demo.backup');
  const res = nysol('backup', '--db', db, '--to', backup);
  assert.equal(res.status, 0, res.stderr);
  const events = journalCount(db);
  assert.ok(events > 1000, `demo journal ${events}`);
  assert.equal(Number(res.stdout.match(/ (\d+) events replayed/)[1]), events);
  assert.equal(journalCount(backup), events);

  const target = fresh();
  const back = nysol('restore', '--from', backup, '--db', target);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, new RegExp(`^restore ok: .* ${events} events replayed`));
  assertReplays(target);
  assert.equal(journalDigest(target), journalDigest(db));
  // Ids go on after the restored ones: the restored database takes new writes.
  const token = addUser(target, 'after.restore', 'case_worker', 'utredning-barn');
  assert.match(token, /^[0-9a-f]{64}$/);

  const file = path.join(dir, 'restored.db');
  const toFile = nysol('restore', '--from', backup, '--db', file);
  assert.equal(toFile.status, 0, toFile.stderr);
  assert.equal(journalDigest(file), journalDigest(db));
});

test('a backup taken while the server registers reports is one snapshot and replays', async () => {
  const token = addUser(db, 'ops-writer', 'case_worker', 'utredning-barn');
  const { base, child: server } = await serve(db);
  try {
    const writer = await startWriter(base, token);
    for (let round = 0; round < 3; round++) {
      const backup = path.join(dir, `live-${round}.backup`);
      const first = journalCount(db);
      const writtenAtStart = writer.written();
      const res = await run(['backup', '--db', db, '--to', backup]);
      const last = journalCount(db);
      assert.equal(res.status, 0, res.stderr);
      assert.ok(writer.written() > writtenAtStart, 'the server wrote while the backup ran');
      const events = Number(res.stdout.match(/(\d+) events replayed/)[1]);
      assert.ok(first <= events && events <= last, `backup ${events} events, journal ${first}..${last}`);
      assert.equal(journalCount(backup), events);
      assertReplays(backup);
    }
    await writer.stop();
    assert.deepEqual(writer.failures, []);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  }
  assertReplays(db);
});

test('refusals: a precise message, exit code 2, nothing on stdout, the databases unchanged', () => {
  const backup = path.join(dir, 'refusals.backup');
  assert.equal(nysol('backup', '--db', db, '--to', backup).status, 0);
  const taken = fresh();
  assert.equal(nysol('restore', '--from', backup, '--db', taken).status, 0);
  const before = journalDigest(taken);
  const empty = fresh();
  const url = new URL(db);
  url.port = '1';  // nothing listens there
  const unreachable = url.toString();
  url.port = new URL(db).port;
  url.password = 'hemligt';
  const withPassword = url.toString();
  const cases = [
    [['restore', '--from', backup, '--db', taken], /is not empty; add --force/],
    [['backup', '--db', empty, '--to', path.join(dir, 'never.backup')], /is an empty database, not a NySoL database/],
    [['backup', '--db', unreachable, '--to', path.join(dir, 'never.backup')], /cannot connect to PostgreSQL at/],
    [['restore', '--from', backup, '--db', unreachable], /cannot connect to PostgreSQL at/],
    [['migrate', '--db', unreachable], /cannot connect to PostgreSQL at/],
    [['backup', '--db', db, '--to', db], /is a PostgreSQL address; a backup is a SQLite file/],
    [['restore', '--from', path.join(dir, 'missing.backup'), '--db', empty], /backup '.*missing\.backup' does not exist/],
    [['demo', '--persons', '10', '--years', '1', '--db', taken], /is not empty; the demo writes a new database only/],
    [['replay', '--db', empty], /is an empty database, not a NySoL database/],
  ];
  for (const [args, message] of cases) {
    const res = nysol(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: exit ${res.status}, ${res.stderr}`);
    assert.match(res.stderr, message, args.join(' '));
    assert.equal(res.stdout, '', args.join(' '));
  }
  assert.ok(!fs.existsSync(path.join(dir, 'never.backup')));
  assert.equal(journalDigest(taken), before);
  assert.equal(runSql(empty, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")[0][0], '0');
  // A password in the address never reaches a message.
  const secret = nysol('backup', '--db', withPassword.replace(`:${url.port}/`, ':1/'), '--to', path.join(dir, 'x.backup'));
  assert.equal(secret.status, 2);
  assert.doesNotMatch(secret.stderr, /hemligt/);
  assert.match(secret.stderr, /:\*\*\*@/);
  // --force replaces what is there.
  const forced = nysol('restore', '--from', backup, '--db', taken, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assertReplays(taken);
});

test('restore --force refuses a database a server is still connected to, and replaces it once it is stopped', async () => {
  const backup = path.join(dir, 'connected.backup');
  assert.equal(nysol('backup', '--db', db, '--to', backup).status, 0);
  const taken = fresh();
  assert.equal(nysol('restore', '--from', backup, '--db', taken).status, 0);
  const before = journalDigest(taken);
  const { child } = await serve(taken);
  try {
    const res = nysol('restore', '--from', backup, '--db', taken, '--force');
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /has \d+ other connections? \(a running nysol serve\?\); stop them before replacing it/);
    assert.equal(res.stdout, '');
    assert.equal(journalDigest(taken), before);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve()));
  }
  // PostgreSQL ends a closed connection's backend a moment after the client is gone.
  let forced;
  for (let attempt = 0; attempt < 50; attempt++) {
    forced = nysol('restore', '--from', backup, '--db', taken, '--force');
    if (forced.status === 0 || !/other connection/.test(forced.stderr)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(forced.status, 0, forced.stderr);
  assertReplays(taken);
});

test('the database goes away: 503 with a clear message, and the server recovers when it is back', async () => {
  // A PostgreSQL of this test's own, so that stopping it disturbs no other test.
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-pg-halt-'));
  const script = path.join(process.env.NYSOL_ROOT, 'scripts', 'pg-throwaway');
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const server = spawnSync(script, ['start', own, port], { encoding: 'utf8' });
  assert.equal(server.status, 0, server.stderr);
  const address = server.stdout.trim().replace(/\/postgres$/, '/nysol_halt');
  let child;
  try {
    runSql(server.stdout.trim(), 'CREATE DATABASE nysol_halt');
    const token = addUser(address, 'halt.reader', 'case_worker', 'utredning-barn');
    const served = await serve(address);
    child = served.child;
    const get = async () => {
      const res = await fetch(`${served.base}/api/v1/matters`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: await res.json() };
    };
    assert.equal((await get()).status, 200);
    assert.equal(spawnSync(script, ['halt', own]).status, 0);
    for (let i = 0; i < 2; i++) {
      const down = await get();
      assert.equal(down.status, 503, JSON.stringify(down.body));
      assert.equal(down.body.error.code, 'unavailable');
      assert.match(down.body.error.message, /database cannot be reached/);
    }
    assert.equal((await fetch(`${served.base}/api/v1/health`)).status, 200, 'the server itself stays up');
    assert.equal(spawnSync(script, ['resume', own, port]).status, 0);
    assert.equal((await get()).status, 200);
  } finally {
    if (child) child.kill('SIGTERM');
    spawnSync(script, ['stop', own]);
  }
});
