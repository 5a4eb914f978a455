// Behind nginx (`serve --trusted-proxy`): the access log records the client X-Forwarded-For names, but only
// when the connection comes from a proxy the operator named; anyone else's header is ignored.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startServer, pnr, reportBody, BIN, RULEBOOK } from './server.mjs';

async function readLoggedFrom(server, headers) {
  const cw = server.tokens.case_worker;
  const created = await server.api('POST', '/api/v1/reports', reportBody([pnr('2014-02-14', 998)], '2026-03-02T09:15'), cw);
  assert.ok(created.status === 201 || created.status === 200, created.text);
  const matter = created.json.subjects[0].matter_id;
  const before = Number(server.sql('SELECT coalesce(max(id), 0) FROM access_log')[0][0]);
  const res = await server.api('GET', `/api/v1/matters/${matter}`, undefined, cw, headers);
  assert.equal(res.status, 200, res.text);
  const rows = server.sql(`SELECT remote_address FROM access_log WHERE id > ${before} ORDER BY id`);
  assert.equal(rows.length, 1, JSON.stringify(rows));
  return rows[0][0];
}

describe('with --trusted-proxy 127.0.0.1', () => {
  let server;
  before(async () => { server = await startServer({ serveArgs: ['--trusted-proxy', '127.0.0.1'] }); });
  after(async () => { await server?.stop(); });

  test('the client nginx appended is logged, not what the client wrote before it', async () => {
    assert.equal(await readLoggedFrom(server, { 'x-forwarded-for': '203.0.113.9, 192.0.2.7' }), '192.0.2.7');
  });
  test('without the header, the proxy itself', async () => {
    assert.equal(await readLoggedFrom(server, {}), '127.0.0.1');
  });
  test('a header that names no address: the proxy itself', async () => {
    assert.equal(await readLoggedFrom(server, { 'x-forwarded-for': 'unknown' }), '127.0.0.1');
  });
});

describe('without --trusted-proxy', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('X-Forwarded-For is ignored: anyone can send it', async () => {
    assert.equal(await readLoggedFrom(server, { 'x-forwarded-for': '192.0.2.7' }), '127.0.0.1');
  });
});

test('serve refuses a --trusted-proxy that is no IP address, with exit 2', () => {
  const run = spawnSync(BIN, ['serve', '--db', '/nonexistent/never-created.db', '--port', '1', '--rulebook', RULEBOOK,
    '--trusted-proxy', 'nginx.local'], { encoding: 'utf8' });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /--trusted-proxy 'nginx\.local' is not an IP address/);
  assert.equal(run.stdout, '');
});
