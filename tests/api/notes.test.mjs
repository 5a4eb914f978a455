// Journal notes through the API (14 kap. SoL): append-only, corrections name the note they correct, the
// individual's objections are recorded as such (14 kap. 6 §), and another unit cannot write them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, assertError } from './server.mjs';

let server;
let matter;
before(async () => {
  server = await startServer();
  const res = await server.api('POST', '/api/v1/reports', reportBody([pnr('2011-11-11', 991)], '2026-03-02T09:15'),
    server.tokens.case_worker);
  assert.equal(res.status, 201, res.text);
  matter = res.json.subjects[0].matter_id;
});
after(async () => server?.stop());

test('a note, its correction and an objection are kept side by side', async () => {
  const cw = server.tokens.case_worker;
  const first = await server.api('POST', `/api/v1/matters/${matter}/notes`, { text: 'Barnet går i årskurs 3.' }, cw);
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(first.json.events.map((e) => e.kind), ['note_added']);
  const fix = await server.api('POST', `/api/v1/matters/${matter}/notes`,
    { text: 'Rättelse: årskurs 4.', corrects: 1 }, cw);
  assert.equal(fix.status, 200, fix.text);
  const objection = await server.api('POST', `/api/v1/matters/${matter}/notes`,
    { text: 'Mamman anser att uppgiften om frånvaro är fel.', kind: 'objection' }, cw);
  assert.equal(objection.status, 200, objection.text);
  const notes = objection.json.notes;
  assert.equal(notes.length, 3);
  assert.deepEqual(notes.map((n) => [n.id, n.kind, n.corrects, n.corrected_by]),
    [[1, 'note', null, [2]], [2, 'note', 1, []], [3, 'objection', null, []]]);
  assert.equal(notes[0].text, 'Barnet går i årskurs 3.', 'the corrected note is unchanged');
  assert.equal(notes[0].author, 'case_worker');
});

test('bad notes are refused with a stable code and change nothing', async () => {
  const cw = server.tokens.case_worker;
  const before = server.count('journal');
  for (const body of [{}, { text: '' }, { text: 'x', kind: 'gossip' }, { text: 'x', corrects: 99 },
    { text: 'x', corrects: 'one' }, { text: 'x', edited: true }]) {
    const res = await server.api('POST', `/api/v1/matters/${matter}/notes`, body, cw);
    assertError(assert, res, 400, 'invalid_input');
  }
  const other = server.addUser('vuxen.notes', 'case_worker', 'vuxen');
  const refused = await server.api('POST', `/api/v1/matters/${matter}/notes`, { text: 'x' }, other);
  assertError(assert, refused, 403, 'forbidden');
  assert.equal(server.count('journal'), before);
});
