// Black-box: `nysol backup`, `nysol restore` and `nysol migrate` on a small demo database. A backup restored
// to a new file replays and holds the same journal; a backup taken while the server registers reports is
// one consistent snapshot that replays; bad input is refused with a message on stderr, exit code 2, nothing
// on stdout and no file written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addUser } from '../api/server.mjs';
import { run, serve, startWriter } from './ops_lib.mjs';

const BIN = process.env.NYSOL_BIN;
let dir, db;
const nysol = (...args) => spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
const sql = (file, query) =>
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, query], { encoding: 'utf8' }).trim();
const journalCount = (file) => Number(sql(file, 'SELECT count(*) FROM journal'));
const listing = () => fs.readdirSync(dir).sort();

function demo(file) {
  const res = nysol('demo', '--persons', '300', '--years', '1', '--seed', '1', '--db', file);
  assert.equal(res.status, 0, res.stderr);
}

function assertReplays(file) {
  const res = nysol('replay', '--db', file);
  assert.equal(res.status, 0, res.stderr);
  assert.match(res.stdout, /^ok: \d+ events replayed/);
}

before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-ops-'));
  db = path.join(dir, 'demo.db');
  demo(db);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('backup, restore to a new file, replay: the same journal', () => {
  const backup = path.join(dir, 'demo.backup');
  const res = nysol('backup', '--db', db, '--to', backup);
  assert.equal(res.status, 0, res.stderr);
  const events = journalCount(db);
  assert.ok(events > 1000, `demo journal ${events}`);
  const line = res.stdout.match(/^backup ok: .* (\d+) events replayed, (\d+) bytes\n$/);
  assert.ok(line, res.stdout);
  assert.equal(Number(line[1]), events);
  assert.equal(Number(line[2]), fs.statSync(backup).size);
  assert.ok(!listing().some((name) => name.includes('.tmp-')), `temporary file left: ${listing()}`);
  assert.ok(!fs.existsSync(`${backup}-wal`), 'the backup is one file');
  const backupBytes = fs.readFileSync(backup);

  const restored = path.join(dir, 'restored.db');
  const back = nysol('restore', '--from', backup, '--db', restored);
  assert.equal(back.status, 0, back.stderr);
  assert.match(back.stdout, new RegExp(`^restore ok: .* ${events} events replayed, \\d+ bytes, up to date at \\d+\\n$`));
  assertReplays(restored);
  assert.equal(journalCount(restored), events);
  for (const table of ['persons', 'matters', 'decisions', 'access_log', 'users']) {
    assert.equal(sql(restored, `SELECT count(*) FROM ${table}`), sql(db, `SELECT count(*) FROM ${table}`), table);
  }
  assert.ok(backupBytes.equals(fs.readFileSync(backup)), 'restore left the backup as it was');

  // Existing targets only with --force; with it the file is replaced and a stale WAL removed.
  const again = nysol('backup', '--db', db, '--to', backup);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already exists; add --force/);
  assert.equal(nysol('backup', '--db', db, '--to', backup, '--force').status, 0);
  const over = nysol('restore', '--from', backup, '--db', restored);
  assert.equal(over.status, 2);
  assert.match(over.stderr, /already exists; add --force/);
  fs.writeFileSync(`${restored}-wal`, 'stale write-ahead log of the replaced database');
  const forced = nysol('restore', '--from', backup, '--db', restored, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.ok(!fs.existsSync(`${restored}-wal`) || fs.statSync(`${restored}-wal`).size === 0);
  assertReplays(restored);
});

test('migrate: up to date on a current database, all versions on a new one, a newer schema refused', () => {
  const current = nysol('migrate', '--db', db);
  assert.equal(current.status, 0, current.stderr);
  const latest = Number(current.stdout.match(/^up to date at (\d+)\n$/)?.[1]);
  assert.ok(latest > 1, current.stdout);

  const fresh = path.join(dir, 'fresh.db');
  const created = nysol('migrate', '--db', fresh);
  assert.equal(created.status, 0, created.stderr);
  assert.match(created.stdout, new RegExp(`^migrated: 0 -> ${latest} \\(applied 1,.*,${latest}\\)\\n$`));
  assert.equal(sql(fresh, 'SELECT max(version) FROM schema_migrations'), String(latest));

  // A database as version 9 left it (migration 10 dropped matters.last_seq, 11 to 13 added indexes and
  // matters.next_due, 14 persons.name_folded, 15 and 16 indexes, 17 persons.name_order, 18 indexes): migrate
  // applies 10 onwards, and so does restore from such a backup; both then replay.
  const older = path.join(dir, 'older.db');
  assert.equal(nysol('backup', '--db', db, '--to', older).status, 0);
  sql(older, 'ALTER TABLE matters ADD COLUMN last_seq INTEGER; DROP INDEX matters_unit_open; ' +
    'DROP INDEX matters_unit_open_assigned; DROP INDEX matters_unit_urgency; DROP INDEX matters_unit_assigned_urgency; ' +
    'DROP INDEX matters_unit_unassigned_urgency; DROP INDEX matters_unit_person; DROP INDEX sessions_expires; ' +
    'DROP INDEX matters_unit_id; DROP INDEX matters_unit_assigned_id; ' +
    'ALTER TABLE matters DROP COLUMN next_due; ALTER TABLE persons DROP COLUMN name_folded; ' +
    'ALTER TABLE persons DROP COLUMN name_order; ' +
    'DELETE FROM schema_migrations WHERE version >= 10');
  const pending = Array.from({ length: latest - 9 }, (_, i) => 10 + i).join(',');
  const restoredOlder = path.join(dir, 'restored-older.db');
  const viaRestore = nysol('restore', '--from', older, '--db', restoredOlder);
  assert.equal(viaRestore.status, 0, viaRestore.stderr);
  assert.match(viaRestore.stdout, new RegExp(`, migrated: 9 -> ${latest} \\(applied ${pending}\\)\\n$`));
  assertReplays(restoredOlder);
  // A backup before the upgrade stays at version 9 and is still verified (a migrated scratch copy replays).
  const olderBackup = path.join(dir, 'older.backup');
  const before9 = nysol('backup', '--db', older, '--to', olderBackup);
  assert.equal(before9.status, 0, before9.stderr);
  assert.equal(sql(olderBackup, 'SELECT max(version) FROM schema_migrations'), '9');
  assert.ok(!listing().some((name) => name.includes('.tmp-')), `temporary file left: ${listing()}`);
  fs.rmSync(olderBackup);
  const step = nysol('migrate', '--db', older);
  assert.equal(step.status, 0, step.stderr);
  assert.equal(step.stdout, `migrated: 9 -> ${latest} (applied ${pending})\n`);
  assert.equal(nysol('migrate', '--db', older).stdout, `up to date at ${latest}\n`);
  assertReplays(older);

  const future = path.join(dir, 'future.db');
  assert.equal(nysol('backup', '--db', db, '--to', future).status, 0);
  sql(future, `INSERT INTO schema_migrations (version, name) VALUES (${latest + 1}, 'from a newer nysol')`);
  const before = sql(future, 'SELECT version, name FROM schema_migrations ORDER BY version');
  const refused = nysol('migrate', '--db', future);
  assert.equal(refused.status, 2);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, new RegExp(`schema version ${latest + 1}, newer than this nysol knows \\(${latest}\\)`));
  assert.equal(sql(future, 'SELECT version, name FROM schema_migrations ORDER BY version'), before);
  const restoreFuture = nysol('restore', '--from', future, '--db', path.join(dir, 'never.db'));
  assert.equal(restoreFuture.status, 2);
  assert.match(restoreFuture.stderr, /newer than this nysol knows/);
  assert.ok(!fs.existsSync(path.join(dir, 'never.db')));
  for (const name of ['fresh.db', 'older.db', 'restored-older.db', 'future.db']) {
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, name + suffix), { force: true });
  }
});

test('a backup taken while the server registers reports is consistent and replays', async () => {
  const live = path.join(dir, 'live.db');
  demo(live);
  const token = addUser(live, 'ops-writer', 'case_worker', 'utredning-barn');
  const { base, child: server } = await serve(live);
  try {
    const writer = await startWriter(base, token);
    for (let round = 0; round < 3; round++) {
      const backup = path.join(dir, `live-${round}.backup`);
      const first = journalCount(live);
      const writtenAtStart = writer.written();
      const res = await run(['backup', '--db', live, '--to', backup]);
      const writtenDuring = writer.written() - writtenAtStart;
      const last = journalCount(live);
      assert.equal(res.status, 0, res.stderr);
      assert.ok(writtenDuring > 0, 'the server wrote while the backup ran');
      const events = Number(res.stdout.match(/(\d+) events replayed/)[1]);
      assert.ok(first <= events && events <= last, `backup ${events} events, journal ${first}..${last}`);
      assert.equal(journalCount(backup), events);
      assertReplays(backup);
      fs.rmSync(backup);
    }
    await writer.stop();
    assert.deepEqual(writer.failures, []);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(live + suffix, { force: true });
  }
  assertReplays(db);
});

test('restore --force refuses a file a server is running on, and replaces it once the server is stopped', async () => {
  const backup = path.join(dir, 'serving.backup');
  assert.equal(nysol('backup', '--db', db, '--to', backup).status, 0);
  const target = path.join(dir, 'serving.db');
  assert.equal(nysol('restore', '--from', backup, '--db', target).status, 0);
  const token = addUser(target, 'ops-serving', 'case_worker', 'utredning-barn');
  const inode = fs.statSync(target).ino;
  const events = journalCount(target);
  const { base, child: server } = await serve(target);
  try {
    // The server would go on writing to the file renamed away: refused, and the file is the same one.
    const res = nysol('restore', '--from', backup, '--db', target, '--force');
    assert.equal(res.status, 2, res.stderr);
    assert.match(res.stderr, /a nysol serve is running on '.*serving\.db'; stop it before replacing the database/);
    assert.equal(res.stdout, '');
    assert.equal(fs.statSync(target).ino, inode);
    assert.equal(journalCount(target), events);
    const read = await fetch(`${base}/api/v1/matters?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(read.status, 200);
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve()));
  }
  const forced = nysol('restore', '--from', backup, '--db', target, '--force');
  assert.equal(forced.status, 0, forced.stderr);
  assert.notEqual(fs.statSync(target).ino, inode);
  assertReplays(target);
});

test('bad input: a precise message, exit code 2, nothing on stdout, nothing written', () => {
  const text = path.join(dir, 'notes.txt');
  fs.writeFileSync(text, 'These are notes, not a database. They are long enough to have a header.\n');
  const other = path.join(dir, 'other.sqlite');
  sql(other, 'CREATE TABLE inventory (item TEXT); INSERT INTO inventory VALUES (\'chair\')');
  const empty = path.join(dir, 'empty.db');
  fs.writeFileSync(empty, '');
  const missing = path.join(dir, 'missing.db');
  const noFolder = path.join(dir, 'no-such-folder', 'x.db');
  const target = path.join(dir, 'target.db');
  const cases = [
    [['backup', '--db', missing, '--to', target], /database '.*missing\.db' does not exist/],
    [['backup', '--db', text, '--to', target], /database '.*notes\.txt' is not a SQLite database/],
    [['backup', '--db', empty, '--to', target], /database '.*empty\.db' is empty, not a NySoL database/],
    [['backup', '--db', other, '--to', target], /'.*other\.sqlite' is a SQLite database but not a NySoL database/],
    [['backup', '--db', dir, '--to', target], /is not a regular file/],
    [['backup', '--db', db, '--to', noFolder], /the folder of backup '.*no-such-folder\/x\.db' does not exist/],
    [['backup', '--db', db, '--to', db, '--force'], /the backup cannot be the database itself/],
    [['restore', '--from', missing, '--db', target], /backup '.*missing\.db' does not exist/],
    [['restore', '--from', text, '--db', target], /backup '.*notes\.txt' is not a SQLite database/],
    [['restore', '--from', other, '--db', target], /is a SQLite database but not a NySoL database/],
    [['restore', '--from', db, '--db', noFolder], /the folder of database '.*no-such-folder\/x\.db' does not exist/],
    [['migrate', '--db', text], /database '.*notes\.txt' is not a SQLite database/],
    [['migrate', '--db', other], /is a SQLite database but not a NySoL database/],
    [['migrate', '--db', noFolder], /the folder of database '.*no-such-folder\/x\.db' does not exist/],
    [['migrate', '--db', 'postgresql://nysol@127.0.0.1:1/nysol'], /^migrate: cannot connect to PostgreSQL at postgresql:\/\/nysol@127\.0\.0\.1:1\/nysol: /],
    [['backup', '--db', db, '--to', 'postgresql://nysol@127.0.0.1:1/nysol'], /is a PostgreSQL address; a backup is a SQLite file/],
    [['restore', '--from', 'postgres://127.0.0.1:1/nysol', '--db', target], /is a PostgreSQL address; a backup is a SQLite file/],
  ];
  const hashes = () => Object.fromEntries(listing().filter((n) => fs.statSync(path.join(dir, n)).isFile())
    .map((n) => [n, crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, n))).digest('hex')]));
  // The demo database is opened by some cases (its -wal and -shm may come and go): compare the others.
  const others = () => Object.fromEntries(Object.entries(hashes()).filter(([n]) => !n.startsWith('demo.db')));
  const snapshot = others();
  for (const [args, message] of cases) {
    const res = nysol(...args);
    assert.equal(res.status, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(res.stdout, '', args.join(' '));
    assert.match(res.stderr, message, args.join(' '));
    assert.deepEqual(others(), snapshot, `${args.join(' ')} wrote a file`);
  }
  assert.ok(!fs.existsSync(path.dirname(noFolder)));
  assert.equal(journalCount(db) > 0, true);
  assertReplays(db);
});
