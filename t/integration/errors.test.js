// Error answers through nginx: both dialects (DESIGN §8 "Errors"), unknown routes,
// wrong methods, oversized and malformed bodies. Every answer is JSON, never 5xx.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { api } = require('./lib.js');

function assertDetail(r, status) {
  assert.equal(r.status, status, r.body);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, r.body);
  assert.ok(r.json, `not JSON: ${r.body}`);
  assert.equal(typeof r.json.detail, 'string', r.body);
  assert.equal(r.json.error, undefined);
}

function assertV1(r, status, code) {
  assert.equal(r.status, status, r.body);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, r.body);
  assert.ok(r.json && r.json.error, `not a /v1 error: ${r.body}`);
  if (code) assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.code, 'string');
  assert.equal(typeof r.json.error.message, 'string');
  assert.equal(r.json.detail, undefined);
}

test('unknown routes are JSON 404 in the path\'s dialect', async () => {
  assertDetail(await api('GET', '/api/no-such-endpoint'), 404);
  assertV1(await api('GET', '/v1/no-such-endpoint'), 404, 'NOT_FOUND');
  assertDetail(await api('GET', '/health/nope'), 404);
  assertDetail(await api('GET', '/no/such/page'), 404);
  assertDetail(await api('POST', '/api/register/extra', { body: {} }), 404);
});

test('a known path with the wrong method is 405 with Allow', async () => {
  let r = await api('POST', '/health/live', { body: {} });
  assertDetail(r, 405);
  assert.equal(r.headers.get('allow'), 'GET');
  r = await api('DELETE', '/v1/agents');
  assertV1(r, 405, 'METHOD_NOT_ALLOWED');
  assert.match(r.headers.get('allow'), /POST/);
  r = await api('PUT', '/health/ready');
  assertDetail(r, 405);
});

test('an oversized body (1 MB) is 413 JSON in both dialects', async () => {
  const big = 'x'.repeat(1024 * 1024);
  assertDetail(await api('POST', '/api/register', { body: big, headers: { 'content-type': 'application/json' } }), 413);
  assertV1(await api('POST', '/v1/agents', { body: big, headers: { 'content-type': 'application/json' } }), 413, 'PAYLOAD_TOO_LARGE');
  // felt-api still answers afterwards
  assert.equal((await api('GET', '/health/live')).status, 200);
});

test('malformed JSON is a 4xx JSON answer', async () => {
  const h = { 'content-type': 'application/json' };
  for (const body of ['{"name": ', '{bad json}', '[1,2', '{"a":1} trailing', '\u0000']) {
    const a = await api('POST', '/api/register', { body, headers: h });
    assertDetail(a, 422);
    const v = await api('POST', '/v1/agents', { body, headers: h });
    assertV1(v, 400, 'VALIDATION_ERROR');
  }
  // nested beyond the depth limit
  const deep = '['.repeat(500) + ']'.repeat(500);
  assertDetail(await api('POST', '/api/register', { body: deep, headers: h }), 422);
  assertV1(await api('POST', '/v1/agents', { body: deep, headers: h }), 400, 'VALIDATION_ERROR');
});

test('JSON extensions and numbers that cannot be held exactly are refused, not a 5xx', async () => {
  const h = { 'content-type': 'application/json' };
  // json-c takes NaN/Infinity and clamps huge integers; neither is JSON data we can store.
  // Numbers beyond binary64 (1e400) would be written out in full by PostgreSQL.
  for (const v of ['NaN', 'Infinity', '-Infinity', '123456789012345678901234567890', '-9223372036854775809',
    '1e400', '1e9000', '-1e400', '1e-400', '0e-99999']) {
    const body = `{"name": "ext_bot", "metadata": {"x": ${v}}}`;
    assertV1(await api('POST', '/v1/agents', { body, headers: h }), 400, 'VALIDATION_ERROR');
    assertDetail(await api('POST', '/api/register', { body: `{"name": ${v}, "email": "a@b.co"}`, headers: h }), 422);
  }
  // Numbers within those bounds are kept as written.
  const r = await api('POST', '/v1/agents', { body: '{"metadata": {"big": 1e300, "u": 18446744073709551615}}', headers: h });
  assert.equal(r.status, 201, r.body);
});

test('bad query strings and odd paths never produce a 5xx', async () => {
  const cases = [
    ['GET', '/api/me?x=%zz'], ['GET', '/v1/tables?status=%'],
    ['GET', '/v1/agents/%ff%fe'], ['GET', '/' + 'a'.repeat(3000)], ['GET', '/api/me?' + 'k=v&'.repeat(100)],
  ];
  for (const [m, p] of cases) {
    const r = await api(m, p);
    assert.ok(r.status >= 400 && r.status < 500, `${m} ${p.slice(0, 40)} -> ${r.status}`);
    assert.ok(r.json, `${p.slice(0, 40)}: not JSON: ${r.body.slice(0, 80)}`);
  }
  // nginx refuses an encoded NUL itself, before felt-api sees it.
  const nul = await api('GET', '/api/%00');
  assert.ok(nul.status >= 400 && nul.status < 500, `/api/%00 -> ${nul.status}`);
  assert.equal(typeof nul.json?.detail, 'string', `/api/%00 body: ${nul.body}`);
});

test('GET /skill.md serves the skill document with the public URL', async () => {
  const r = await api('GET', '/skill.md');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/markdown/);
  assert.match(r.body, /## API Endpoint Reference/);
  assert.ok(!r.body.includes('{BASE_URL}'), 'placeholder left in the document');
  const base = process.env.FELT_TEST_URL.replace(/\/$/, '');
  assert.ok(r.body.includes(`${base}/v1/tables/`), 'public URL not substituted');
});

test('nginx answers a too-long request line and too-large headers as JSON', async () => {
  const long = 'a'.repeat(9000);
  const api414 = await api('GET', `/api/${long}`);
  assert.equal(api414.status, 414);
  assert.equal(api414.json?.detail, 'Request URI too long');
  // nginx refuses the request line before it has a URI to pick a dialect from: /api's.
  const v1414 = await api('GET', `/v1/${long}`);
  assert.equal(v1414.status, 414);
  assert.ok(v1414.json, `not JSON: ${v1414.body}`);

  const big = await api('GET', '/health/live', { headers: { 'x-big': 'a'.repeat(20000) } });
  assert.equal(big.status, 400);
  assert.equal(typeof big.json?.detail, 'string', `header too large body: ${big.body}`);
});
