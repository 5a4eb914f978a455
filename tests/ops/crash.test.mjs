// Black-box crash test (issue 8): many concurrent writers through the API, the server killed with kill -9 at
// a random moment while they write, restarted on the same database. Every write the API acknowledged (a 2xx
// answer, read to the end) must be there after the restart, with the ids the answer gave; no write may be
// half there (a report without one of its children, a matter without its report, a note without its journal
// event, a write without its access-log row); and the journal of the crashed database must replay to its
// stored current state (`nysol replay`). A write that got no answer may or may not be there, but whole.
//
// Backend: the `--db` of tests/api/db.mjs — a SQLite file, or a fresh PostgreSQL database when
// NYSOL_TEST_BACKEND=postgresql. The checks read the database only through runSql() with SQL both understand, and through the API.
//
// CRASH_KILL=database (PostgreSQL only) kills PostgreSQL instead — the postmaster and all its processes, kill -9
// — while `nysol serve` stays up: the test runs its own PostgreSQL with production durability (PG_DURABLE=1
// scripts/pg-throwaway), starts it again after each kill (WAL recovery), and the same server must answer
// again. Requests during the outage must get 503 `unavailable`, nothing else.
//
// CRASH_KILL=failover (PostgreSQL only) runs a primary and a synchronous streaming standby of the test's own
// (synchronous_standby_names, as docs/OPERATIONS.md describes for "no acknowledged write may be lost"), kills
// the primary, and fails over as the operations guide says: the standby promoted, the server started again on
// its address. Each round then makes a new standby of the new primary. Every write acknowledged before the
// primary died must be on the promoted standby.
//
// Environment: NYSOL_BIN, NYSOL_ROOT (as every black-box test); CRASH_SEED to repeat a run (the seed is
// printed), CRASH_ROUNDS (default 6), CRASH_WRITERS (default 16), CRASH_KILL (server, database or failover).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, RULEBOOK, UNIT, addUser, freePort, pnr, reportBody, todayStockholm, addDays } from '../api/server.mjs';
import { BACKEND, freshDatabase, dropDatabase, runSql } from '../api/db.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 6);
const WRITERS = Number(process.env.CRASH_WRITERS || 16);
const SEED = process.env.CRASH_SEED ? Number(process.env.CRASH_SEED) : crypto.randomInt(1, 2 ** 31);
const KILL = process.env.CRASH_KILL || 'server';
const PG_THROWAWAY = path.join(process.env.NYSOL_ROOT || '.', 'scripts', 'pg-throwaway');
const REPORT_MARK = 'Krasch-test';
const NOTE_MARK = 'Krasch-anteckning';
const NOTES_ROUTE = 'POST /api/v1/matters/{id}/notes';
const PROTECTION_ROUTE = 'POST /api/v1/matters/{id}/protection-assessment';
const MATTER_ROUTE = 'GET /api/v1/matters/{id}';
const REPORTS_ROUTE = 'POST /api/v1/reports';

// mulberry32: small, seedable, good enough to pick delays and requests.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// `nysol serve` on `db` and `port`; resolves when it answers /api/v1/health. Keeps the last 64 KiB of stderr.
async function serve(db, port, token) {
  const child = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--rulebook', RULEBOOK],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => { log = (log + chunk).slice(-65536); });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const server = { child, base, exited, stderr: () => log };
  for (const deadline = Date.now() + 15000; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const res = await fetch(`${base}/api/v1/matters?limit=1`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      if (res.status === 200) return server;  // ours: it knows our database's token
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  child.kill('SIGKILL');
  await exited;
  throw new Error(`nysol serve --db ${db} --port ${port} did not come up within 15 s; stderr:\n${log}`);
}

// One request; never throws. `error` is set when no whole answer came (the server was killed, or not there).
async function call(base, token, method, urlPath, body) {
  try {
    const headers = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(base + urlPath, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text };
  } catch (e) {
    return { error: e.cause?.code || e.cause?.message || e.message };
  }
}

// Reads that may meet a socket of the killed server in fetch's pool: tried again.
async function get(base, token, urlPath) {
  for (let attempt = 0; ; attempt++) {
    const res = await call(base, token, 'GET', urlPath);
    if (!res.error || attempt === 3) return res;
    await sleep(50);
  }
}

function nysol(...args) {
  return spawnSync(BIN, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

const count = (db, query) => Number(runSql(db, query)[0][0]);
// A stored local date-time to the minute, whatever its separators ('2026-12-02T11:15:00', '2026-12-02 11:15').
const sameMinute = (text) => text.replace(/\D/g, '').slice(0, 12);

// The database the test writes to, and how to kill and restart what the test kills besides the server.
async function crashTarget(dir) {
  if (KILL === 'server') return { db: freshDatabase(dir), drop: (db) => dropDatabase(db) };
  if (KILL === 'failover') return failoverTarget();
  assert.equal(KILL, 'database', 'CRASH_KILL is server, database or failover');
  assert.equal(BACKEND, 'postgresql', 'CRASH_KILL=database kills PostgreSQL: NYSOL_TEST_BACKEND=postgresql');
  // A folder of its own, not inside `dir`: as root, the cluster belongs to the postgres account.
  const own = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-crash-pg-'));
  const port = String(await freePort());
  const durable = { ...process.env, PG_DURABLE: '1' };
  const started = spawnSync(PG_THROWAWAY, ['start', own, port], { encoding: 'utf8', env: durable });
  assert.equal(started.status, 0, started.stderr);
  const base = started.stdout.trim();
  runSql(base, 'CREATE DATABASE nysol_crash');
  const script = (...args) => {
    const res = spawnSync(PG_THROWAWAY, args, { encoding: 'utf8', env: durable });
    assert.equal(res.status, 0, `pg-throwaway ${args.join(' ')}: ${res.stderr}`);
  };
  return {
    db: base.replace(/\/postgres$/, '/nysol_crash'),
    crash: () => script('crash', own),
    resume: () => script('resume', own, port),
    drop: () => spawnSync(PG_THROWAWAY, ['stop', own]),
  };
}

// A primary with a synchronous standby; `failover()` promotes the standby after the primary was killed, makes
// a new standby of it, and resolves with the database's address on the new primary.
async function failoverTarget() {
  assert.equal(BACKEND, 'postgresql', 'CRASH_KILL=failover is PostgreSQL replication: NYSOL_TEST_BACKEND=postgresql');
  const durable = { ...process.env, PG_DURABLE: '1' };
  const script = (...args) => {
    const res = spawnSync(PG_THROWAWAY, args, { encoding: 'utf8', env: durable });
    assert.equal(res.status, 0, `pg-throwaway ${args.join(' ')}: ${res.stderr}`);
    return res.stdout.trim();
  };
  const made = [];
  const cluster = async (...args) => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-failover-pg-'));
    made.push(own);
    const port = String(await freePort());
    return { own, port, base: script(args[0], own, ...args.slice(1), port) };
  };
  const address = (c) => c.base.replace(/\/postgres$/, '/nysol_crash');
  // A standby of `primary`, and commits on the primary wait for it (synchronous_commit = on, the default).
  const follow = async (primary) => {
    const standby = await cluster('standby', primary.port);
    runSql(primary.base, "ALTER SYSTEM SET synchronous_standby_names = '*'");
    runSql(primary.base, 'SELECT pg_reload_conf()');
    for (const deadline = Date.now() + 15000; ; await sleep(50)) {
      const rows = runSql(primary.base, "SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'");
      if (Number(rows[0][0]) === 1) break;
      assert.ok(Date.now() < deadline, 'the standby did not become synchronous within 15 s');
    }
    return standby;
  };
  let primary = await cluster('start');
  runSql(primary.base, 'CREATE DATABASE nysol_crash');
  let standby = await follow(primary);
  return {
    db: address(primary),
    crash: () => script('crash', primary.own),
    failover: async () => {
      script('promote', standby.own);
      script('stop', primary.own);
      primary = standby;
      standby = await follow(primary);
      return address(primary);
    },
    drop: () => { for (const own of made) spawnSync(PG_THROWAWAY, ['stop', own]); },
  };
}

const KILLED = { server: 'the server', database: 'PostgreSQL', failover: 'the primary, failing over to its standby' }[KILL];

test(`kill -9 of ${KILLED} during concurrent writes: every acknowledged write survives, whole, and the journal replays`,
  { timeout: 240000 }, async (t) => {
    t.diagnostic(`backend ${BACKEND}, killing ${KILLED}, seed ${SEED} (CRASH_SEED=${SEED} repeats the kill ` +
      `schedule), ${ROUNDS} rounds, ${WRITERS} writers`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nysol-crash-'));
    const target = await crashTarget(dir);
    let { db } = target;  // a failover moves it to the promoted standby
    let server;
    try {
      const tokens = [];
      for (let w = 0; w < WRITERS; w++) tokens.push(addUser(db, `crash.writer.${w}`, 'case_worker', UNIT));
      const port = await freePort();

      // Identity numbers: children born from 2012 on, 20 test birth numbers a day, one new number per child.
      let numbers = 0;
      const nextNumber = () => {
        const i = numbers++;
        return pnr(addDays('2012-01-01', Math.floor(i / 20)), 980 + (i % 20));
      };
      const yesterday = addDays(todayStockholm(), -1);
      const receivedAt = `${yesterday}T09:30`;
      const assessedAt = `${yesterday}T11:15`;

      // Everything sent, and what the answer said when there was one.
      const reports = [];      // { round, marker, children, acked, reportId, subjects, events }
      const notes = [];        // { round, matterId, text, acked, noteId, seq }
      const assessments = [];  // { round, matterId, acked, seq }
      const reads = [];        // { round, matterId } acknowledged GET /api/v1/matters/{id}
      const pools = Array.from({ length: WRITERS }, () => []);  // per writer: its matters { matterId, assessed }
      const unexpected = [];   // answers that were not the expected 2xx from a live server
      const killRand = prng(SEED);

      async function writer(w, round, state) {
        const rand = prng((SEED ^ Math.imul(round * WRITERS + w + 1, 0x9e3779b1)) >>> 0);
        const token = tokens[w];
        const pool = pools[w];
        const noAnswer = (res, what) => {
          if (!state.killed) state.earlyErrors.push(`${what}: ${res.error}`);
          return true;
        };
        const check = (res, status, what) => {
          if (res.status === status) return true;
          // PostgreSQL killed: the server says so, and the write is not acknowledged.
          if (state.killed && KILL !== 'server' && res.status === 503 && res.json?.error?.code === 'unavailable') {
            return false;
          }
          unexpected.push(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
          return false;
        };
        for (let i = 0; !state.killed; i++) {
          const marker = `${REPORT_MARK} r${round} w${w} n${i}`;
          const report = { round, marker, children: [nextNumber(), nextNumber()], acked: false };
          reports.push(report);
          const res = await call(state.base, token, 'POST', '/api/v1/reports',
            reportBody(report.children, receivedAt, { text: marker }));
          if (res.error) return noAnswer(res, 'report');
          if (!check(res, 201, 'POST /api/v1/reports')) {
            if (state.killed) return true;
            continue;
          }
          Object.assign(report, { acked: true, reportId: res.json.report_id, subjects: res.json.subjects,
            events: res.json.events });
          for (const s of res.json.subjects) pool.push({ matterId: s.matter_id, assessed: false });

          if (rand() < 0.6) {
            const matter = pool[Math.floor(rand() * pool.length)];
            const note = { round, matterId: matter.matterId, text: `${NOTE_MARK} r${round} w${w} n${i}`, acked: false };
            notes.push(note);
            const answer = await call(state.base, token, 'POST', `/api/v1/matters/${matter.matterId}/notes`,
              { text: note.text });
            if (answer.error) return noAnswer(answer, 'note');
            if (check(answer, 200, NOTES_ROUTE)) {
              const written = answer.json.notes.find((n) => n.text === note.text);
              const event = answer.json.events.find((e) => e.kind === 'note_added');
              if (!written || !event) unexpected.push(`${NOTES_ROUTE}: the answer lacks the note: ${answer.text.slice(0, 300)}`);
              Object.assign(note, { acked: true, noteId: written?.id, seq: event?.seq });
            }
          }
          if (rand() < 0.3) {
            const matter = pool.find((m) => m.assessed === false);
            if (matter) {
              const assessment = { round, matterId: matter.matterId, acked: false };
              assessments.push(assessment);
              matter.assessed = 'unknown';  // until an answer says so; never tried again without one
              const answer = await call(state.base, token, 'POST',
                `/api/v1/matters/${matter.matterId}/protection-assessment`,
                { assessed_at: assessedAt, immediate_need: false, reasons: 'Inget akut skyddsbehov (krasch-test).' });
              if (answer.error) return noAnswer(answer, 'protection assessment');
              if (check(answer, 200, PROTECTION_ROUTE)) {
                matter.assessed = true;
                const event = answer.json.events.find((e) => e.kind === 'protection_assessed');
                if (!event) unexpected.push(`${PROTECTION_ROUTE}: no protection_assessed event: ${answer.text.slice(0, 300)}`);
                Object.assign(assessment, { acked: true, seq: event?.seq });
              }
            }
          }
          if (rand() < 0.3) {
            const matter = pool[Math.floor(rand() * pool.length)];
            const answer = await call(state.base, token, 'GET', `/api/v1/matters/${matter.matterId}`);
            if (answer.error) return noAnswer(answer, 'read');
            if (check(answer, 200, MATTER_ROUTE)) reads.push({ round, matterId: matter.matterId });
          }
        }
        return true;
      }

      // The database against everything sent so far. Run with the restarted server up (and idle).
      async function verify(label) {
        const where = `${label}:`;
        // 1. Nothing half-written: the projections and the journal agree, and every write is in the access log.
        const [row] = runSql(db, `SELECT
          (SELECT count(*) FROM persons), (SELECT count(*) FROM journal WHERE kind = 'person_registered'),
          (SELECT count(*) FROM matters), (SELECT count(*) FROM journal WHERE kind = 'matter_opened'),
          (SELECT count(*) FROM report_subjects), (SELECT count(*) FROM journal WHERE kind = 'report_received'),
          (SELECT count(*) FROM notes), (SELECT count(*) FROM journal WHERE kind = 'note_added'),
          (SELECT count(*) FROM report_subjects WHERE protection_assessed_at IS NOT NULL),
          (SELECT count(*) FROM journal WHERE kind = 'protection_assessed'),
          (SELECT count(*) FROM reports r WHERE NOT EXISTS (SELECT 1 FROM report_subjects s WHERE s.report_id = r.id)),
          (SELECT count(*) FROM report_subjects s WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = s.report_id)
             OR NOT EXISTS (SELECT 1 FROM matters m WHERE m.id = s.matter_id)
             OR NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = s.person_id)),
          (SELECT count(*) FROM matters m WHERE NOT EXISTS (SELECT 1 FROM report_subjects s WHERE s.matter_id = m.id)
             OR NOT EXISTS (SELECT 1 FROM persons p WHERE p.id = m.person_id)),
          (SELECT count(*) FROM notes n WHERE NOT EXISTS (SELECT 1 FROM journal j
             WHERE j.seq = n.seq AND j.kind = 'note_added' AND j.matter_id = n.matter_id)),
          (SELECT count(*) FROM journal j WHERE j.person_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM access_log a
             WHERE a.action = 'write' AND a.person_id = j.person_id)),
          (SELECT count(*) FROM journal)`).map((r) => r.map(Number));
        const [persons, personEvents, matters, matterEvents, subjects, reportEvents, noteRows, noteEvents,
          assessed, assessedEvents, reportsWithoutSubject, orphanSubjects, mattersWithoutReport, notesWithoutEvent,
          writesNotLogged, events] = row;
        assert.equal(persons, personEvents, `${where} persons vs person_registered events`);
        assert.equal(matters, matterEvents, `${where} matters vs matter_opened events`);
        assert.equal(subjects, reportEvents, `${where} report_subjects vs report_received events`);
        assert.equal(noteRows, noteEvents, `${where} notes vs note_added events`);
        assert.equal(assessed, assessedEvents, `${where} assessed report subjects vs protection_assessed events`);
        assert.equal(reportsWithoutSubject, 0, `${where} reports without a child`);
        assert.equal(orphanSubjects, 0, `${where} report_subjects without their report, matter or person`);
        assert.equal(mattersWithoutReport, 0, `${where} matters without their report or person`);
        assert.equal(notesWithoutEvent, 0, `${where} notes without their journal event`);
        assert.equal(writesNotLogged, 0, `${where} journal events of a person without a write in the access log`);
        assert.equal(personEvents + matterEvents + reportEvents + noteEvents + assessedEvents, events,
          `${where} the journal holds only the events these writes make`);

        // 2. Every report: acknowledged ones present with the answer's ids, the others absent or whole.
        const stored = new Map();
        for (const [id, text, personId, matterId, number, assessedAtStored] of runSql(db,
          `SELECT r.id, r.text, s.person_id, s.matter_id, p.identity_number, s.protection_assessed_at
           FROM reports r JOIN report_subjects s ON s.report_id = r.id JOIN persons p ON p.id = s.person_id
           WHERE r.text LIKE '${REPORT_MARK} %' ORDER BY r.id, s.matter_id`)) {
          if (!stored.has(text)) stored.set(text, { id: Number(id), subjects: [] });
          const report = stored.get(text);
          assert.equal(report.id, Number(id), `${where} two reports with the text '${text}'`);
          report.subjects.push({ person_id: Number(personId), matter_id: Number(matterId), number,
            assessed_at: assessedAtStored });
        }
        const knownNumbers = new Set(runSql(db, 'SELECT identity_number FROM persons WHERE identity_number IS NOT NULL')
          .map((r) => r[0]));
        const sent = new Set(reports.map((r) => r.marker));
        for (const text of stored.keys()) assert.ok(sent.has(text), `${where} a report nobody sent: ${text}`);
        const subjectOfMatter = new Map();
        const unackedPresent = { reports: 0, notes: 0, assessments: 0 };
        for (const report of reports) {
          const found = stored.get(report.marker);
          if (report.acked) {
            assert.ok(found, `${where} acknowledged report ${report.reportId} ('${report.marker}') is missing`);
            assert.equal(found.id, report.reportId, `${where} '${report.marker}' has another id than acknowledged`);
            assert.deepEqual(found.subjects.map(({ person_id, matter_id }) => ({ person_id, matter_id })),
              report.subjects.map(({ person_id, matter_id }) => ({ person_id, matter_id }))
                .sort((a, b) => a.matter_id - b.matter_id),
              `${where} report ${report.reportId}: its children`);
          } else if (!found) {
            // Not written: then none of it, not even the children's person records.
            for (const number of report.children) {
              assert.ok(!knownNumbers.has(number), `${where} '${report.marker}' is absent but its child ${number} was registered`);
            }
            continue;
          } else {
            unackedPresent.reports++;
          }
          assert.deepEqual(found.subjects.map((s) => s.number).sort(), [...report.children].sort(),
            `${where} report '${report.marker}': both children, with their identity numbers`);
          for (const s of found.subjects) subjectOfMatter.set(s.matter_id, s);
        }

        // 3. The journal events the answers named are there, of the kind named.
        const journal = new Map(runSql(db, 'SELECT seq, kind, matter_id FROM journal')
          .map(([seq, kind, matterId]) => [Number(seq), { kind, matterId: matterId === '' ? null : Number(matterId) }]));
        assert.equal(journal.size, events, `${where} journal rows`);
        for (const report of reports.filter((r) => r.acked)) {
          for (const e of report.events) {
            assert.equal(journal.get(e.seq)?.kind, e.kind, `${where} report ${report.reportId}: event ${e.seq}`);
          }
        }

        // 4. Notes: acknowledged ones with the answer's id and event; the others absent or there once.
        const storedNotes = new Map();
        for (const [id, matterId, text, seq] of runSql(db,
          `SELECT id, matter_id, text, seq FROM notes WHERE text LIKE '${NOTE_MARK} %'`)) {
          assert.ok(!storedNotes.has(text), `${where} the note '${text}' is there twice`);
          storedNotes.set(text, { id: Number(id), matterId: Number(matterId), seq: Number(seq) });
        }
        const notesOfMatter = new Map();
        for (const note of notes) {
          const found = storedNotes.get(note.text);
          if (note.acked) {
            assert.ok(found, `${where} acknowledged note ${note.noteId} on matter ${note.matterId} is missing`);
            assert.deepEqual(found, { id: note.noteId, matterId: note.matterId, seq: note.seq },
              `${where} note '${note.text}'`);
            assert.equal(journal.get(note.seq)?.matterId, note.matterId, `${where} note ${note.noteId}: its event`);
          } else if (found) {
            unackedPresent.notes++;
          }
          if (found) {
            assert.equal(found.matterId, note.matterId, `${where} note '${note.text}' on another matter`);
            notesOfMatter.set(note.matterId, (notesOfMatter.get(note.matterId) || 0) + 1);
          }
        }

        // 5. Protection assessments: acknowledged ones recorded with their time; the others recorded or not.
        for (const assessment of assessments) {
          const subject = subjectOfMatter.get(assessment.matterId);
          assert.ok(subject, `${where} matter ${assessment.matterId} of an assessment has no report`);
          if (assessment.acked) {
            assert.ok(subject.assessed_at, `${where} acknowledged assessment of matter ${assessment.matterId} is missing`);
            assert.equal(journal.get(assessment.seq)?.kind, 'protection_assessed', `${where} assessment event`);
          }
          if (subject.assessed_at) {
            assert.equal(sameMinute(subject.assessed_at), sameMinute(assessedAt),
              `${where} matter ${assessment.matterId}: assessment time ${subject.assessed_at}`);
            if (!assessment.acked) unackedPresent.assessments++;
          }
        }

        // 6. The access log: each write's row came with it (exactly one per matter per write), and every
        //    acknowledged read was logged before its answer left.
        const logged = new Map();
        for (const [action, route, matterId, n] of runSql(db,
          `SELECT action, route, matter_id, count(*) FROM access_log WHERE matter_id IS NOT NULL
           GROUP BY action, route, matter_id`)) {
          logged.set(`${action} ${route} ${matterId}`, Number(n));
        }
        const logCount = (action, route, matterId) => logged.get(`${action} ${route} ${matterId}`) || 0;
        for (const [matterId] of subjectOfMatter) {
          assert.equal(logCount('write', REPORTS_ROUTE, matterId), 1, `${where} matter ${matterId}: the report's write row`);
          assert.equal(logCount('write', NOTES_ROUTE, matterId), notesOfMatter.get(matterId) || 0,
            `${where} matter ${matterId}: one write row per note`);
          assert.equal(logCount('write', PROTECTION_ROUTE, matterId), subjectOfMatter.get(matterId).assessed_at ? 1 : 0,
            `${where} matter ${matterId}: the assessment's write row`);
        }
        const need = new Map();
        const needs = (route, matterId) => need.set(`${route} ${matterId}`, (need.get(`${route} ${matterId}`) || 0) + 1);
        for (const note of notes.filter((n) => n.acked)) needs(NOTES_ROUTE, note.matterId);
        for (const assessment of assessments.filter((a) => a.acked)) needs(PROTECTION_ROUTE, assessment.matterId);
        for (const read of reads) needs(MATTER_ROUTE, read.matterId);
        for (const [key, n] of need) {
          const [route, matterId] = [key.slice(0, key.lastIndexOf(' ')), key.slice(key.lastIndexOf(' ') + 1)];
          assert.ok(logCount('read', route, matterId) >= n,
            `${where} ${n} acknowledged answers of ${route} for matter ${matterId}, ` +
            `${logCount('read', route, matterId)} reads logged`);
        }
        return { events, unackedPresent };
      }

      // The restarted server shows what the database holds: a sample of acknowledged writes through the API.
      async function verifyThroughApi(label, base, rand) {
        const acked = reports.filter((r) => r.acked);
        for (let k = 0; k < 20 && acked.length; k++) {
          const report = acked[Math.floor(rand() * acked.length)];
          const res = await get(base, tokens[0], `/api/v1/reports?identity_number=${report.children[1]}`);
          assert.equal(res.status, 200, `${label}: search: ${res.error || res.text.slice(0, 300)}`);
          const shown = res.json.reports.find((r) => r.report_id === report.reportId);
          assert.ok(shown, `${label}: report ${report.reportId} not found by its child's identity number`);
          assert.equal(shown.text, report.marker);
        }
        const ackedNotes = notes.filter((n) => n.acked);
        for (let k = 0; k < 20 && ackedNotes.length; k++) {
          const note = ackedNotes[Math.floor(rand() * ackedNotes.length)];
          const res = await get(base, tokens[0], `/api/v1/matters/${note.matterId}`);
          assert.equal(res.status, 200, `${label}: matter: ${res.error || res.text.slice(0, 300)}`);
          const shown = res.json.notes.find((n) => n.id === note.noteId);
          assert.ok(shown, `${label}: note ${note.noteId} not on matter ${note.matterId}`);
          assert.equal(shown.text, note.text);
          for (const assessment of assessments.filter((a) => a.acked && a.matterId === note.matterId)) {
            assert.ok(res.json.reports.every((r) => r.protection_assessed_at),
              `${label}: matter ${note.matterId}: acknowledged protection assessment ${assessment.seq} not shown`);
          }
        }
      }

      function assertReplays(label) {
        const res = nysol('replay', '--db', db);
        assert.equal(res.status, 0, `${label}: nysol replay: ${res.stderr}`);
        const line = res.stdout.match(/^ok: (\d+) events replayed, (\d+) rows identical\n$/);
        assert.ok(line, `${label}: nysol replay said ${JSON.stringify(res.stdout)}`);
        return Number(line[1]);
      }

      server = await serve(db, port, tokens[0]);
      let before = { events: 0 };
      for (let round = 1; round <= ROUNDS; round++) {
        const state = { base: server.base, killed: false, earlyErrors: [] };
        const sentBefore = { reports: reports.length, notes: notes.length, assessments: assessments.length };
        const ackedBefore = reports.filter((r) => r.acked).length + notes.filter((n) => n.acked).length +
          assessments.filter((a) => a.acked).length;
        const delay = 300 + Math.floor(killRand() * 2700);
        const writers = Array.from({ length: WRITERS }, (_, w) => writer(w, round, state));
        await sleep(delay);
        assert.equal(server.child.exitCode, null, `round ${round}: the server died by itself:\n${server.stderr()}`);
        state.killed = true;
        if (KILL === 'server') {
          server.child.kill('SIGKILL');
          const { signal } = await server.exited;
          assert.equal(signal, 'SIGKILL');
        } else {
          target.crash();
        }
        await Promise.all(writers);
        assert.deepEqual(state.earlyErrors, [], `round ${round}: requests without an answer before the kill`);
        assert.deepEqual(unexpected, [], `round ${round}: answers other than the expected 2xx (or 503 while down)`);
        if (KILL !== 'server') {
          assert.equal(server.child.exitCode, null, `round ${round}: the server died with PostgreSQL:\n${server.stderr()}`);
          const down = await get(server.base, tokens[0], '/api/v1/matters?limit=1');
          assert.equal(down.status, 503, `round ${round}: with PostgreSQL down: ${down.error || down.text}`);
        }
        if (KILL === 'database') target.resume();  // crash recovery from PostgreSQL's WAL
        if (KILL === 'failover') {
          // OPERATIONS.md's failover: promote the standby, point the server at it and start it again.
          server.child.kill('SIGKILL');
          await server.exited;
          db = await target.failover();
        }

        // The crashed database as it is: its journal replays to its tables.
        const replayed = assertReplays(`round ${round}, after kill -9`);
        assert.equal(replayed, count(db, 'SELECT count(*) FROM journal'), `round ${round}: replayed every event`);
        if (BACKEND === 'sqlite') assert.equal(runSql(db, 'PRAGMA integrity_check')[0][0], 'ok');

        if (KILL !== 'database') server = await serve(db, port, tokens[0]);
        const result = await verify(`round ${round}`);
        await verifyThroughApi(`round ${round}`, server.base, prng(SEED + round));
        const sent = {
          reports: reports.slice(sentBefore.reports),
          notes: notes.slice(sentBefore.notes),
          assessments: assessments.slice(sentBefore.assessments),
        };
        const ackedNow = reports.filter((r) => r.acked).length + notes.filter((n) => n.acked).length +
          assessments.filter((a) => a.acked).length;
        const unanswered = [...sent.reports, ...sent.notes, ...sent.assessments].filter((x) => !x.acked).length;
        assert.ok(ackedNow > ackedBefore, `round ${round}: no write was acknowledged before the kill`);
        assert.ok(unanswered > 0, `round ${round}: no write was in flight at the kill`);
        t.diagnostic(`round ${round}: killed after ${delay} ms; acknowledged ${sent.reports.filter((r) => r.acked).length} ` +
          `reports, ${sent.notes.filter((n) => n.acked).length} notes, ` +
          `${sent.assessments.filter((a) => a.acked).length} assessments, ` +
          `${reads.filter((r) => r.round === round).length} reads; ${unanswered} writes without an answer; ` +
          `journal ${before.events} -> ${result.events} events, replayed; ` +
          `committed without an answer so far: ${JSON.stringify(result.unackedPresent)}`);
        before = result;
      }

      // A clean stop after the last round: still the same state, and it replays.
      server.child.kill('SIGTERM');
      const stopped = await server.exited;
      server = undefined;
      assert.ok(stopped.code === 0 || stopped.signal === 'SIGTERM', `SIGTERM: ${JSON.stringify(stopped)}`);
      assert.equal(assertReplays('after the last round'), before.events);
    } finally {
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      target.drop(db);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
