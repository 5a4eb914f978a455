// Which database the black-box tests run on, and a fresh one per test server. Node built-ins only.
//
// NYSOL_TEST_BACKEND=sqlite (or unset): SQLite, a file in a temporary directory (the embedded default).
// NYSOL_TEST_BACKEND=postgresql: the PostgreSQL server at NYSOL_TEST_PG_SERVER (postgresql://user@host:port/
// postgres; the throwaway PostgreSQL 15 that scripts/test starts with scripts/pg-throwaway). Every fresh
// database is a new database on that server, dropped again by dropDatabase().
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

export const BACKEND = process.env.NYSOL_TEST_BACKEND || 'sqlite';
if (BACKEND !== 'sqlite' && BACKEND !== 'postgresql') throw new Error(`NYSOL_TEST_BACKEND=${BACKEND}: sqlite or postgresql`);
export const PG_BASE = BACKEND === 'postgresql' ? process.env.NYSOL_TEST_PG_SERVER || '' : '';
if (BACKEND === 'postgresql' && !PG_BASE) {
  throw new Error('NYSOL_TEST_BACKEND=postgresql needs NYSOL_TEST_PG_SERVER, e.g. from scripts/pg-throwaway start DIR');
}

function psql(url, query) {
  return execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', query], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// A `--db` value for a database nobody has used: a file in `dir` (SQLite) or a new database (PostgreSQL).
export function freshDatabase(dir, name = 'nysol.db') {
  if (!PG_BASE) return path.join(dir, name);
  const database = `nysol_test_${randomBytes(6).toString('hex')}`;
  psql(PG_BASE, `CREATE DATABASE ${database}`);
  const url = new URL(PG_BASE);
  url.pathname = `/${database}`;
  return url.toString();
}

// Removes a database made by freshDatabase (files go with their directory).
export function dropDatabase(db) {
  if (!db.startsWith('postgresql://')) return;
  const name = new URL(db).pathname.slice(1);
  psql(PG_BASE, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

// Runs one SQL statement (the dialect both backends understand) and returns the rows as arrays of strings;
// NULL reads as ''. SQLite through the sqlite3 CLI (safe beside a running server in WAL mode), PostgreSQL
// through psql.
export function runSql(db, query) {
  const out = db.startsWith('postgresql://')
    ? psql(db, query)
    : execFileSync('sqlite3', ['-cmd', '.timeout 5000', '-separator', '\t', db, query], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => line.split('\t'));
}
