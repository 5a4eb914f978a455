// Logging in from a browser: `nysol user passwd` sets a password; POST /api/v1/session sets an HttpOnly,
// SameSite=Strict session cookie and answers with the CSRF token; a wrong password and an unknown user get the
// same answer; five failures in a row lock the username (429 with Retry-After); a change made with the cookie
// needs X-CSRF-Token and without it writes nothing; logout ends the session; bearer tokens work as before.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import {
  startServer, BIN, RULEBOOK, UNIT, pnr, reportBody, assertError,
} from './server.mjs';

const PASSWORD = 'ett långt lösenord för testet';
const COOKIE = /^nysol_session=([0-9a-f]{64}); Path=\/; Max-Age=36000; HttpOnly; SameSite=Strict$/;

let server;

function passwd(username, password) {
  return spawnSync(BIN, ['user', 'passwd', '--db', server.db, '--username', username], {
    input: `${password}\n`, encoding: 'utf8',
  });
}

function login(username, password, base) {
  if (!base) return server.api('POST', '/api/v1/session', { username, password });
  return fetch(`${base}/api/v1/session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
}

// Logs in as `username` and returns { token, csrf, cookie } (cookie: the Cookie request header).
async function session(username = 'case_worker') {
  const res = await login(username, PASSWORD);
  assert.equal(res.status, 201, res.text);
  const token = COOKIE.exec(res.headers.get('set-cookie'))?.[1];
  assert.ok(token, `set-cookie: ${res.headers.get('set-cookie')}`);
  return { token, csrf: res.json.csrf_token, cookie: `nysol_session=${token}` };
}

const journalLength = () => server.count('journal');
const lastAccessId = () => Number(server.sql('SELECT coalesce(max(id), 0) FROM access_log')[0][0]);

before(async () => {
  server = await startServer();
  for (const username of ['case_worker', 'team_lead', 'analyst', 'admin']) {
    const set = passwd(username, PASSWORD);
    assert.equal(set.status, 0, set.stderr);
  }
});
after(async () => {
  await server?.stop();
});

describe('nysol user passwd', () => {
  test('refuses a password shorter than 12 characters and changes nothing', async () => {
    const set = passwd('case_worker', 'elva tecken');
    assert.equal(set.status, 2);
    assert.match(set.stderr, /at least 12 characters/);
    assertError(assert, await login('case_worker', 'elva tecken'), 401, 'unauthenticated');
    assert.equal((await login('case_worker', PASSWORD)).status, 201, 'the old password still works');
  });

  test('refuses an unknown user', () => {
    const set = passwd('nobody', PASSWORD);
    assert.equal(set.status, 2);
    assert.match(set.stderr, /no user 'nobody'/);
  });

  test('stores only an Argon2id hash', () => {
    const [[hash]] = server.sql("SELECT password_hash FROM users WHERE username = 'case_worker'");
    assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
    assert.equal(hash.includes(PASSWORD), false);
  });
});

describe('logging in', () => {
  test('sets an HttpOnly, SameSite=Strict cookie and answers with the user and the CSRF token', async () => {
    const res = await login('case_worker', PASSWORD);
    assert.equal(res.status, 201, res.text);
    const cookie = res.headers.get('set-cookie');
    assert.match(cookie, COOKIE);
    assert.doesNotMatch(cookie, /Secure/, 'Secure only with --secure-cookies');
    const token = COOKIE.exec(cookie)[1];
    assert.deepEqual(res.json.user, { username: 'case_worker', display_name: 'Test case_worker', unit: UNIT,
      role: 'case_worker' });
    assert.equal(res.json.authenticated_by, 'session');
    assert.match(res.json.csrf_token, /^[0-9a-f]{64}$/);
    assert.notEqual(res.json.csrf_token, token);
    assert.equal(res.text.includes(token), false, 'the session token is in the cookie only');
    const hour = (iso) => Date.parse(iso) / 3600000;
    assert.ok(Math.abs(hour(res.json.expires_at) - (Date.now() / 3600000 + 10)) < 0.1, res.json.expires_at);
    // The database holds a hash of the token, never the token.
    assert.equal(server.count('sessions', `token_hash = '${token}'`), 0);
    assert.equal(server.count('sessions', `csrf_token = '${res.json.csrf_token}' AND ended_at IS NULL`), 1);
  });

  test('a wrong password and an unknown username get the same answer', async () => {
    const wrong = await login('case_worker', 'inte rätt lösenord alls');
    const unknown = await login('no_such_user', 'inte rätt lösenord alls');
    const noPassword = await login('committee', 'inte rätt lösenord alls');  // a user without a password
    assertError(assert, wrong, 401, 'unauthenticated');
    for (const res of [unknown, noPassword]) {
      assert.equal(res.status, wrong.status);
      assert.deepEqual(res.json, wrong.json);
      assert.equal(res.headers.get('set-cookie'), null);
    }
  });

  test('input is checked with precise messages', async () => {
    let res = await server.api('POST', '/api/v1/session', { username: 'case_worker' });
    assertError(assert, res, 400, 'invalid_input');
    assert.match(res.json.error.message, /'password'/);
    res = await server.api('POST', '/api/v1/session', { username: 'case_worker', password: PASSWORD, extra: 1 });
    assertError(assert, res, 400, 'invalid_input');
    assert.match(res.json.error.message, /'extra'/);
    res = await server.api('POST', '/api/v1/session', JSON.stringify({ username: 'case_worker', password: PASSWORD }),
      undefined, { 'content-type': 'text/plain' });
    assertError(assert, res, 400, 'invalid_input');
    assert.match(res.json.error.message, /application\/json/);
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('five failures in a row lock the username: 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      assertError(assert, await login('team_lead', 'inte rätt lösenord alls'), 401, 'unauthenticated');
    }
    const locked = await login('team_lead', PASSWORD);
    assertError(assert, locked, 429, 'too_many_attempts');
    const retry = Number(locked.headers.get('retry-after'));
    assert.ok(Number.isInteger(retry) && retry >= 58 && retry <= 60, `retry-after ${locked.headers.get('retry-after')}`);
    assert.equal(locked.headers.get('set-cookie'), null);
    // Another username is not affected.
    assert.equal((await login('analyst', PASSWORD)).status, 201);
  });

  test('an unknown username is locked just like a real one', async () => {
    for (let i = 0; i < 5; i++) {
      assertError(assert, await login('admin', 'inte rätt lösenord alls'), 401, 'unauthenticated');
      assertError(assert, await login('no_such_admin', 'inte rätt lösenord alls'), 401, 'unauthenticated');
    }
    const real = await login('admin', 'inte rätt lösenord alls');
    const unknown = await login('no_such_admin', 'inte rätt lösenord alls');
    assertError(assert, real, 429, 'too_many_attempts');
    assertError(assert, unknown, 429, 'too_many_attempts');
    const plain = (res) => res.json.error.message.replace(/\d+ (second|minute)s?/, 'N');
    assert.equal(plain(unknown), plain(real));
    assert.ok(Math.abs(Number(unknown.headers.get('retry-after')) - Number(real.headers.get('retry-after'))) <= 1);
  });

  test('a new password lifts the lock', async () => {
    assert.equal(passwd('team_lead', `${PASSWORD} nytt`).status, 0);
    assert.equal((await login('team_lead', `${PASSWORD} nytt`)).status, 201);
  });
});

describe('using the session', () => {
  test('GET /api/v1/session says who is logged in', async () => {
    const s = await session();
    const res = await server.api('GET', '/api/v1/session', undefined, undefined, { cookie: s.cookie });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.user.username, 'case_worker');
    assert.equal(res.json.csrf_token, s.csrf);
    assertError(assert, await server.api('GET', '/api/v1/session'), 401, 'unauthenticated');
  });

  test('a POST with the cookie but without the CSRF token is refused and writes nothing', async () => {
    const s = await session();
    const body = reportBody([pnr('2015-05-05', 997)], '2026-03-02T09:15');
    const journal = journalLength();
    const access = lastAccessId();
    let res = await server.api('POST', '/api/v1/reports', body, undefined, { cookie: s.cookie });
    assertError(assert, res, 403, 'csrf_token_invalid');
    assert.match(res.json.error.message, /X-CSRF-Token/);
    const wrong = (s.csrf[0] === 'a' ? 'b' : 'a') + s.csrf.slice(1);
    res = await server.api('POST', '/api/v1/reports', body, undefined, { cookie: s.cookie, 'x-csrf-token': wrong });
    assertError(assert, res, 403, 'csrf_token_invalid');
    res = await server.api('POST', '/api/v1/reports', body, undefined, { cookie: s.cookie, 'x-csrf-token': s.token });
    assertError(assert, res, 403, 'csrf_token_invalid');
    assert.equal(journalLength(), journal, 'a refused request wrote to the journal');
    assert.equal(lastAccessId(), access, 'a refused request was logged as an access');

    res = await server.api('POST', '/api/v1/reports', body, undefined, { cookie: s.cookie, 'x-csrf-token': s.csrf });
    assert.equal(res.status, 201, res.text);
    assert.ok(journalLength() > journal);
    const matter = res.json.subjects[0].matter_id;
    const [[actor]] = server.sql(`SELECT actor FROM journal WHERE matter_id = ${matter} ORDER BY seq LIMIT 1`);
    assert.equal(actor, 'case_worker');
    // Reading needs no CSRF token, and is logged as the session's user.
    const before = lastAccessId();
    const read = await server.api('GET', `/api/v1/matters/${matter}`, undefined, undefined, { cookie: s.cookie });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual(server.sql(`SELECT username, matter_id FROM access_log WHERE id > ${before}`),
      [['case_worker', String(matter)]]);
  });

  test('the CSRF token of one session does not work with another', async () => {
    const first = await session();
    const second = await session();
    const res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2015-06-06', 996)], '2026-03-02T09:15'),
      undefined, { cookie: second.cookie, 'x-csrf-token': first.csrf });
    assertError(assert, res, 403, 'csrf_token_invalid');
  });

  test('logout needs the CSRF token, then ends the session server-side and clears the cookie', async () => {
    const s = await session();
    assertError(assert, await server.api('DELETE', '/api/v1/session', undefined, undefined, { cookie: s.cookie }),
      403, 'csrf_token_invalid');
    assert.equal((await server.api('GET', '/api/v1/session', undefined, undefined, { cookie: s.cookie })).status, 200);

    const res = await server.api('DELETE', '/api/v1/session', undefined, undefined,
      { cookie: s.cookie, 'x-csrf-token': s.csrf });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.headers.get('set-cookie'), 'nysol_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict');
    const after = await server.api('GET', '/api/v1/session', undefined, undefined, { cookie: s.cookie });
    assertError(assert, after, 401, 'unauthenticated');
    assert.match(after.json.error.message, /ended/);
    assert.equal(server.count('sessions', `csrf_token = '${s.csrf}' AND end_reason = 'logout' AND ended_at IS NOT NULL`), 1);
  });

  test('bearer tokens still work, need no CSRF token and have no session to end', async () => {
    const cw = server.tokens.case_worker;
    const res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2015-07-07', 995)], '2026-03-02T09:15'), cw);
    assert.equal(res.status, 201, res.text);
    const who = await server.api('GET', '/api/v1/session', undefined, cw);
    assert.equal(who.status, 200, who.text);
    assert.equal(who.json.authenticated_by, 'bearer');
    assert.equal(who.json.csrf_token, null);
    assertError(assert, await server.api('DELETE', '/api/v1/session', undefined, cw), 409, 'conflict');
  });
});

describe('nysol serve --secure-cookies', () => {
  let child;
  let base;
  before(async () => {
    const port = await new Promise((resolve, reject) => {
      const probe = createServer();
      probe.on('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address();
        probe.close(() => resolve(free));
      });
    });
    child = spawn(BIN, ['serve', '--db', server.db, '--port', String(port), '--rulebook', RULEBOOK, '--secure-cookies'],
      { stdio: 'ignore' });
    base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/api/v1/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('nysol serve --secure-cookies did not start');
  });
  after(() => {
    child?.kill('SIGTERM');
  });

  test('marks the cookie Secure and asks for HTTPS only', async () => {
    const res = await login('analyst', PASSWORD, base);
    assert.equal(res.status, 201);
    assert.match(res.headers.get('set-cookie'),
      /^nysol_session=[0-9a-f]{64}; Path=\/; Max-Age=36000; HttpOnly; SameSite=Strict; Secure$/);
    assert.equal(res.headers.get('strict-transport-security'), 'max-age=31536000');
    const health = await fetch(`${base}/api/v1/health`);
    assert.equal(health.headers.get('strict-transport-security'), 'max-age=31536000');
  });
});
