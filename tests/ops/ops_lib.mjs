// What the ops tests share: `nysol serve` on a database they prepared, and a command run without blocking
// the event loop (so a server in the same test keeps answering). Node built-ins only.
import { spawn } from 'node:child_process';

import { BIN, RULEBOOK, freePort } from '../api/server.mjs';

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
