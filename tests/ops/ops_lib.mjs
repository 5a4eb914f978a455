// What the ops tests share: `nysol serve` on a database they prepared, and a command run without blocking
// the event loop (so a server in the same test keeps answering). Node built-ins only.
import { spawn } from 'node:child_process';

import { BIN, RULEBOOK, addDays, freePort, pnr, reportBody } from '../api/server.mjs';

// `nysol serve` on `db` (the database's own users stay). Returns { base, child }.
export async function serve(db) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--rulebook', RULEBOOK],
      { stdio: ['ignore', 'ignore', 'ignore'] });
    const base = `http://127.0.0.1:${port}`;
    for (const deadline = Date.now() + 10000; Date.now() < deadline && child.exitCode === null;) {
      try {
        if ((await fetch(`${base}/api/v1/health`)).status === 200) return { base, child };
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
  }
  throw new Error('nysol serve would not start');
}

// Runs `nysol ARGS…`; resolves with { status, stdout, stderr }.
export function run(args) {
  return new Promise((resolve) => {
    const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

// A case worker registering reports of concern through the API as fast as the server takes them, until
// stop(). `written()` counts the answered ones; `failures` lists any other answer. Resolves once it is going.
export async function startWriter(base, token) {
  let stop = false;
  let written = 0;
  const failures = [];
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      const body = reportBody([pnr(addDays('2014-01-01', i % 3000), 980 + (i % 20))], '2026-11-02T09:15');
      const res = await fetch(`${base}/api/v1/reports`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 201) written++;
      else failures.push(`${res.status} ${text.slice(0, 200)}`);
    }
  })();
  while (written < 5 && failures.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  return {
    written: () => written,
    failures,
    stop: async () => {
      stop = true;
      await loop;
    },
  };
}
