// The OpenAPI document is served, is OpenAPI 3, and matches the routes: every documented operation exists
// (never 404 "no route" or 405), answers only statuses it documents, other methods on documented paths give
// 405 and undocumented paths 404. Responses are checked against the document's schemas.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, pnr, reportBody, assertError } from './server.mjs';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

let server;
let doc;
before(async () => {
  server = await startServer();
  const res = await server.api('GET', '/api/v1/openapi.json');
  assert.equal(res.status, 200, res.text);
  doc = res.json;
});
after(async () => {
  await server?.stop();
});

function operations() {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) if (item[method]) ops.push({ path, method, op: item[method] });
  }
  return ops;
}

const fill = (path, value) => path.replace(/\{[^}]+\}/g, value);
const isPublic = (op) => Array.isArray(op.security) && op.security.length === 0;

function resolve(ref) {
  assert.match(ref, /^#\//, `only local $refs: ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    node = node?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  }
  assert.ok(node !== undefined, `$ref ${ref} does not resolve`);
  return node;
}

// A small validator for the subset of OpenAPI 3.0 schemas the document uses. Returns a list of problems.
function validate(schema, value, where = '$', problems = []) {
  if (schema.$ref) return validate(resolve(schema.$ref), value, where, problems);
  if (value === null) {
    if (schema.type && !schema.nullable) problems.push(`${where}: null, but the schema says ${schema.type} (no nullable)`);
    return problems;
  }
  const typeOf = Array.isArray(value) ? 'array' : Number.isInteger(value) ? 'integer' : typeof value;
  if (schema.type) {
    const ok = schema.type === typeOf || (schema.type === 'number' && typeOf === 'integer');
    if (!ok) {
      problems.push(`${where}: ${typeOf}, expected ${schema.type}`);
      return problems;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${where}: ${JSON.stringify(value)} not in enum`);
  if (schema.format === 'date' && !/^\d{4}-\d\d-\d\d$/.test(value)) problems.push(`${where}: ${value} is not a date`);
  if (typeOf === 'object') {
    for (const name of schema.required ?? []) if (!(name in value)) problems.push(`${where}: missing ${name}`);
    const props = schema.properties ?? {};
    for (const [name, v] of Object.entries(value)) {
      if (props[name]) validate(props[name], v, `${where}.${name}`, problems);
      else if (schema.additionalProperties === false) problems.push(`${where}: undocumented property ${name}`);
    }
  }
  if (typeOf === 'array' && schema.items) value.forEach((v, i) => validate(schema.items, v, `${where}[${i}]`, problems));
  return problems;
}

function responseSchema(path, method, status) {
  const response = doc.paths[path][method].responses[String(status)];
  return response?.content?.['application/json']?.schema;
}

describe('the document', () => {
  test('is OpenAPI 3 with info, paths and a bearer scheme', () => {
    assert.match(doc.openapi, /^3\.\d+\.\d+$/);
    assert.equal(typeof doc.info.title, 'string');
    assert.equal(typeof doc.info.version, 'string');
    assert.ok(Object.keys(doc.paths).length >= 10);
    // Everything is under /api/v1/ but monitoring, at the address Prometheus scrapes by convention.
    for (const path of Object.keys(doc.paths)) assert.match(path, /^\/api\/v1\/|^\/metrics$/);
    assert.equal(doc.components.securitySchemes.bearer.type, 'http');
    assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
    assert.deepEqual(doc.security, [{ bearer: [] }, { session: [] }]);
    assert.equal(doc.components.securitySchemes.session.in, 'cookie');
    assert.equal(doc.components.securitySchemes.session.name, 'nysol_session');
  });

  test('every operation has responses, declares its path parameters, and every $ref resolves', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(Object.keys(op.responses ?? {}).length > 0, `${where}: no responses`);
      for (const status of Object.keys(op.responses)) assert.match(status, /^[1-5]\d\d$/, where);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, templated, `${where}: path parameters`);
      for (const p of op.parameters ?? []) if (p.in === 'path') assert.equal(p.required, true, `${where}: ${p.name}`);
      if (method === 'post') assert.ok(op.requestBody, `${where}: POST without requestBody`);
    }
    const refs = [];
    (function walk(node) {
      if (node && typeof node === 'object') {
        if (typeof node.$ref === 'string') refs.push(node.$ref);
        Object.values(node).forEach(walk);
      }
    })(doc);
    assert.ok(refs.length > 10);
    for (const ref of refs) resolve(ref);
  });

  test('the Error schema lists every stable error code', () => {
    const codes = resolve('#/components/schemas/Error').properties.error.properties.code.enum;
    for (const code of ['invalid_input', 'invalid_identity_number', 'invalid_date', 'unknown_code', 'malformed_json',
      'payload_too_large', 'not_found', 'method_not_allowed', 'illegal_transition', 'conflict', 'unauthenticated',
      'forbidden', 'unavailable', 'internal']) {
      assert.ok(codes.includes(code), code);
    }
  });
});

describe('the document matches the routes', () => {
  test('every documented operation exists and answers a documented status (ids 0 and 999999)', async () => {
    const token = server.tokens.case_worker;
    for (const { path, method, op } of operations()) {
      for (const id of ['0', '999999']) {
        if (id === '999999' && !path.includes('{')) continue;
        const where = `${method.toUpperCase()} ${fill(path, id)}`;
        const res = await server.api(method.toUpperCase(), fill(path, id), method === 'post' ? {} : undefined,
          isPublic(op) ? undefined : token);
        assert.notEqual(res.status, 405, `${where}: 405 ${res.text}`);
        if (res.status === 404) {
          assert.doesNotMatch(res.json.error.message, /no route/, `${where}: route not found`);
        }
        assert.ok(String(res.status) in op.responses, `${where}: status ${res.status} is not documented (${res.text})`);
        if (res.status >= 400) {
          assert.deepEqual(validate({ $ref: '#/components/schemas/Error' }, res.json), [], where);
        }
      }
    }
  });

  test('routes with an id answer 400 for a malformed id and 404 for an unknown one', async () => {
    for (const { path, method } of operations()) {
      if (!path.includes('{')) continue;
      // The team lead holds every permission a case route with an id needs; the first line's are its own.
      const token = path.startsWith('/api/v1/first-line/') ? server.tokens.first_line : server.tokens.team_lead;
      const body = method === 'post' ? {} : undefined;
      const bad = await server.api(method.toUpperCase(), fill(path, 'abc'), body, token);
      assertError(assert, bad, 400, 'invalid_input');
      const unknown = await server.api(method.toUpperCase(), fill(path, '999999'), body, token);
      assertError(assert, unknown, 404, 'not_found');
    }
  });

  test('protected operations answer 401 without a token, public ones 200', async () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const res = await server.api(method.toUpperCase(), fill(path, '1'), method === 'post' ? {} : undefined);
      if (isPublic(op)) {
        // The login is public too, and refuses the empty body as input (400), not as unauthenticated.
        assert.equal(res.status, path === '/api/v1/session' && method === 'post' ? 400 : 200, where);
      } else {
        assertError(assert, res, 401, 'unauthenticated');
        assert.ok('401' in op.responses, `${where}: 401 not documented`);
      }
    }
  });

  test('a role without permission gets a documented 403 (analyst)', async () => {
    for (const { path, method, op } of operations()) {
      if (isPublic(op)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const res = await server.api(method.toUpperCase(), fill(path, '1'), method === 'post' ? {} : undefined,
        server.tokens.analyst);
      if (path === '/api/v1/rulebook' || path === '/api/v1/units' ||
          (method === 'get' && ['/api/v1/catalog', '/api/v1/committee-decisions'].includes(path))) {
        assert.equal(res.status, 200, `${where}: the rulebook, the units and the catalog are for everyone`);
        continue;
      }
      if (path === '/api/v1/kpi') {
        // Follow-up is the analyst's: without a period the query itself is refused.
        assertError(assert, res, 400, 'invalid_input');
        continue;
      }
      if (path === '/api/v1/session') {
        // One's own login needs no permission; a bearer token has no session to end.
        assert.equal(res.status, method === 'get' ? 200 : 409, `${where}: ${res.text}`);
        continue;
      }
      assertError(assert, res, 403, 'forbidden');
      assert.ok('403' in op.responses, `${where}: 403 not documented`);
    }
  });

  test('other methods on a documented path give 405 method_not_allowed', async () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        if (item[method]) continue;
        const res = await server.api(method.toUpperCase(), fill(path, '1'), method === 'get' ? undefined : {},
          server.tokens.case_worker);
        assertError(assert, res, 405, 'method_not_allowed');
      }
    }
  });

  test('a 405 response names the allowed methods in an Allow header (RFC 9110 15.5.6)', async () => {
    // Regression (fixed): the pipeline answers 405 without an Allow header; RFC 9110 says the server MUST send one.
    const res = await server.api('DELETE', '/api/v1/reports', undefined, server.tokens.case_worker);
    assert.equal(res.status, 405);
    const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim()).sort();
    assert.deepEqual(allow.filter((m) => m !== 'HEAD'), ['GET', 'POST']);
  });

  test('undocumented paths give 404 not_found', async () => {
    // ('/' is the web interface's start page, not part of the API.)
    for (const path of ['/api/v1/user', '/api/v1/matter/1', '/api/v1/matters/1/unknown-step', '/api/v2/health',
      '/api/v1/health/', '/api/v1', '/api/v1/persons', '/api/v1/matters/1/decisions/1',
      '/api/v1/matters/1/interventions/1', '/api/v1/reports/1']) {
      for (const method of ['GET', 'POST']) {
        const res = await server.api(method, path, method === 'POST' ? {} : undefined, server.tokens.case_worker);
        assertError(assert, res, 404, 'not_found');
      }
    }
  });
});

describe('responses conform to the documented schemas', () => {
  let matterId;
  before(async () => {
    const cw = server.tokens.case_worker;
    const reg = await server.api('POST', '/api/v1/reports', reportBody([pnr('2014-10-10', 993)], '2026-03-02T09:15'), cw);
    assert.equal(reg.status, 201, reg.text);
    matterId = reg.json.subjects[0].matter_id;
    const res = await server.api('POST', `/api/v1/matters/${matterId}/protection-assessment`,
      { assessed_at: '2026-03-02T10:00', immediate_need: false, reasons: 'Ingen akut fara.' }, cw);
    assert.equal(res.status, 200, res.text);
    const opened = await server.api('POST', `/api/v1/matters/${matterId}/preliminary-assessment`,
      { decision: 'open_investigation', decided_on: '2026-03-05', reasons: 'Oro.', decided_by: 'Team lead' }, cw);
    assert.equal(opened.status, 200, opened.text);
  });

  test('health matches its schema', async () => {
    const res = await server.api('GET', '/api/v1/health');
    assert.deepEqual(validate(responseSchema('/api/v1/health', 'get', 200), res.json), []);
  });

  test('GET /api/v1/matters/{id} matches the Matter schema (clocks included)', async () => {
    // Regression (fixed): clocks carry "stopped_on": null and "decision_id": null, but the Clock schema declares them as
    // string/integer without `nullable: true` (OpenAPI 3.0), so generated clients reject real responses.
    const res = await server.api('GET', `/api/v1/matters/${matterId}`, undefined, server.tokens.case_worker);
    assert.equal(res.status, 200, res.text);
    assert.ok(res.json.clocks.length >= 2);
    assert.deepEqual(validate(responseSchema('/api/v1/matters/{id}', 'get', 200), res.json), []);
  });

  test('GET /api/v1/reports rows match the ReportRow schema', async () => {
    const res = await server.api('GET', `/api/v1/reports?identity_number=${pnr('2014-10-10', 993)}`, undefined,
      server.tokens.case_worker);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.reports.length, 1);
    assert.deepEqual(validate(responseSchema('/api/v1/reports', 'get', 200), res.json), []);
  });

  test('a documented request field is recorded, not dropped (reasons_not_notified)', async () => {
    // Regression (fixed): InvestigationNotification documents `reasons_not_notified`, and the server accepts it (it is in the
    // allowed field list), but NotifyInvestigation never reads it: it is silently dropped from the journal.
    const res = await server.api('POST', `/api/v1/matters/${matterId}/investigation/notification`, {
      notified_on: '2026-03-06', notified: 'Modern', reasons_not_notified: 'Fadern saknar känd adress.',
    }, server.tokens.case_worker);
    assert.equal(res.status, 200, res.text);
    const event = res.json.timeline.at(-1);
    assert.equal(event.kind, 'investigation_notified');
    assert.equal(event.payload.reasons_not_notified, 'Fadern saknar känd adress.');
  });

  test('an undocumented request field is refused (additionalProperties: false)', async () => {
    const res = await server.api('POST', `/api/v1/matters/${matterId}/investigation/completion`,
      { completed_on: '2026-03-20', conclusion: 'Klart.', signed_by: 'x' }, server.tokens.case_worker);
    assertError(assert, res, 400, 'invalid_input');
    assert.match(res.json.error.message, /signed_by/);
  });
});
