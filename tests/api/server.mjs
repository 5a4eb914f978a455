// Black-box harness: starts the real `nysol serve` against a fresh temporary database, creates users of
// every role through the CLI, and offers a small `api()` helper. Node built-ins only.
//
// Environment: NYSOL_BIN (path to the nysol binary), NYSOL_ROOT (repository root, for the rulebook), and
// NYSOL_TEST_BACKEND and NYSOL_TEST_PG_SERVER to run on PostgreSQL instead of SQLite (tests/api/db.mjs).
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { dropDatabase, freshDatabase, runSql } from './db.mjs';

export const BIN = process.env.NYSOL_BIN;
export const ROOT = process.env.NYSOL_ROOT;
if (!BIN || !ROOT) {
  throw new Error('set NYSOL_BIN (the nysol binary) and NYSOL_ROOT (the repository root)');
}
export const RULEBOOK = path.join(ROOT, 'rulebook', 'rulebook.json');
export const UNIT = 'utredning-barn';
export const ROLES = ['case_worker', 'team_lead', 'first_line', 'analyst', 'committee', 'admin'];

// ---------------------------------------------------------------------------------------------------------
// Synthetic identity numbers (Skatteverket's test range: birth numbers 980–999) with a correct check digit.

// Luhn over the nine digits YYMMDDNNN, weights 2,1,2,1,… — computed here independently of the server.
export function luhn(nineDigits) {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += Math.floor(product / 10) + (product % 10);
  }
  return (10 - (sum % 10)) % 10;
}

// `birthDate` "YYYY-MM-DD", `birthNumber` 980–999 → 12 digits "YYYYMMDDNNNC".
export function pnr(birthDate, birthNumber) {
  if (birthNumber < 980 || birthNumber > 999) throw new Error('use test birth numbers 980–999');
  const date8 = birthDate.replaceAll('-', '');
  const nine = date8.slice(2) + String(birthNumber);
  return date8 + String(birthNumber) + String(luhn(nine));
}

// The same number with a wrong check digit.
export function wrongCheckDigit(twelveDigits) {
  const good = Number(twelveDigits[11]);
  return twelveDigits.slice(0, 11) + String((good + 1) % 10);
}

// ---------------------------------------------------------------------------------------------------------
// Dates. The server reads the real clock and works in Europe/Stockholm.

export function todayStockholm() {
  // sv-SE formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm' }).format(new Date());
}

export function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(fromIso, toIso) {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86400000);
}

export function weekday(isoDate) {
  return ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][new Date(`${isoDate}T00:00:00Z`).getUTCDay()];
}

// ---------------------------------------------------------------------------------------------------------
// The server.

// A port nobody listens on right now (the server may still lose it to another process; callers retry).
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function addUser(db, username, role, unit = UNIT, flags = []) {
  const out = execFileSync(
    BIN,
    ['user', 'add', '--db', db, '--username', username, '--name', `Test ${role}`, '--unit', unit, '--role', role,
      ...flags],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const token = out.trim();
  if (!/^[0-9a-f]{64}$/.test(token)) throw new Error(`user add printed no token: ${JSON.stringify(out)}`);
  return token;
}

// Sets a user's password for logging in from a browser (`nysol user passwd`, the password on stdin).
export function setPassword(db, username, password) {
  execFileSync(BIN, ['user', 'passwd', '--db', db, '--username', username], {
    input: `${password}\n`,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

async function waitForHealth(base, child, stderr) {
  const deadline = Date.now() + 10000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.status === 200) return true;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  throw new Error(`nysol serve did not answer /api/v1/health within 10 s; stderr:\n${stderr()}`);
}

// Starts a server on a fresh database. Returns { base, db, tokens, api, sql, query, count, stop, stderr }.
// `tokens[role]` is a bearer token of a user with that role (username = role). `prepare(db)`, when given,
// fills the database before the users are added (e.g. with `nysol demo`). `serveArgs` go to `nysol serve`.
export async function startServer({ prepare, serveArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'nysol-api-'));
  const db = freshDatabase(dir);
  if (prepare) prepare(db);
  const tokens = {};
  for (const role of ROLES) tokens[role] = addUser(db, role, role);

  let child;
  let base;
  let log = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    log = '';
    child = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--rulebook', RULEBOOK, ...serveArgs], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (log.length < 1 << 20) log += chunk;
    });
    base = `http://127.0.0.1:${port}`;
    if (await waitForHealth(base, child, () => log)) {
      // Our server, not another one that took the port: it knows our database's tokens.
      const rules = await fetch(`${base}/api/v1/rulebook`, { headers: { authorization: `Bearer ${tokens.admin}` } });
      await rules.arrayBuffer();
      if (rules.status === 200 && child.exitCode === null) break;
      child.kill('SIGKILL');
    }
    child = undefined;  // exited or not ours (port taken between probe and bind): try another port
  }
  if (!child) throw new Error(`nysol serve would not start; stderr:\n${log}`);

  // One request. `body`: an object (sent as JSON), a string or Buffer (sent as is), or undefined.
  async function api(method, urlPath, body, token, extraHeaders = {}) {
    const headers = { ...extraHeaders };
    if (token !== undefined && token !== null) headers.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      if (!('content-type' in headers)) headers['content-type'] = 'application/json';
    }
    const res = await fetch(base + urlPath, { method, headers, body: payload });
    const text = await res.text();
    let json;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  }

  // Reads the database while the server runs (tests/api/db.mjs). Rows as arrays of strings.
  const sql = (query) => runSql(db, query);

  // The same through one long-lived sqlite3 process: much faster when a test reads the database often.
  let shell;
  let queue = Promise.resolve();
  function query(text) {
    if (db.startsWith('postgresql://')) return Promise.resolve(sql(text));
    if (!shell) {
      shell = spawn('sqlite3', ['-batch', '-separator', '\t', '-cmd', '.timeout 5000', db], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      shell.stdout.setEncoding('utf8');
      shell.stderr.setEncoding('utf8');
    }
    const run = () => new Promise((resolve, reject) => {
      let out = '';
      let err = '';
      const onErr = (chunk) => { err += chunk; };
      const onOut = (chunk) => {
        out += chunk;
        const end = out.indexOf('<<end>>\n');
        if (end < 0) return;
        shell.stdout.off('data', onOut);
        shell.stderr.off('data', onErr);
        if (err) reject(new Error(`sqlite3: ${err}`));
        else resolve(out.slice(0, end).split('\n').filter((l) => l.length > 0).map((l) => l.split('\t')));
      };
      shell.stdout.on('data', onOut);
      shell.stderr.on('data', onErr);
      shell.stdin.write(`${text};\nSELECT '<<end>>';\n`);
    });
    queue = queue.then(run, run);
    return queue;
  }

  function count(table, where = '1=1') {
    return Number(sql(`SELECT count(*) FROM ${table} WHERE ${where}`)[0][0]);
  }

  async function stop() {
    // NYSOL_TEST_LOG_DIR keeps every server's stderr (its error lines name the failing SQL), e.g. in CI.
    if (process.env.NYSOL_TEST_LOG_DIR) {
      writeFileSync(path.join(process.env.NYSOL_TEST_LOG_DIR, `${path.basename(dir)}.log`), log);
    }
    if (shell) {
      shell.stdin.end();
      shell = undefined;
    }
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    dropDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }

  // Another user while the server runs, e.g. of another unit. Returns the bearer token.
  const addAnotherUser = (username, role, unit, flags = []) => addUser(db, username, role, unit, flags);

  return { base, db, tokens, api, sql, query, count, stop, addUser: addAnotherUser, stderr: () => log };
}

// ---------------------------------------------------------------------------------------------------------
// Request bodies used by several files.

export function reportBody(identityNumbers, receivedAt, overrides = {}) {
  return {
    received_at: receivedAt,
    reporter_category: 'school',
    channel: 'phone',
    reporter_name: 'Mentor på skolan',
    text: 'Barnet har vid flera tillfällen kommit till skolan hungrigt och berättar om bråk hemma.',
    children: identityNumbers.map((n) => ({ identity_number: n })),
    ...overrides,
  };
}

// Asserts the documented error shape: {"error": {"code", "message"}} and nothing else; the message in English.
export function assertError(assert, res, status, code) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${res.status}: ${res.text.slice(0, 300)}`);
  assert.ok(res.json && typeof res.json === 'object', `error body is not JSON: ${res.text}`);
  assert.deepEqual(Object.keys(res.json), ['error']);
  assert.deepEqual(Object.keys(res.json.error).sort(), ['code', 'message']);
  assert.equal(res.json.error.code, code, `code: ${res.text}`);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.message.length > 5, `message too short: ${res.text}`);
  // English, not the UI's Swedish: no Swedish letters (law references use only '§').
  assert.doesNotMatch(res.json.error.message, /[åäöÅÄÖ]/, `message is not English: ${res.text}`);
  assert.match(res.json.error.message, /[a-z]{3,}/);
}
