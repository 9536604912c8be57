// Hostile bytes in JSON bodies (issue 7 item 6): one validation path for every body on
// both surfaces. Invalid UTF-8, NUL anywhere (keys included), unpaired surrogates and
// numbers out of range are a 4xx in the surface's error format, never a 5xx, and
// nothing of them is stored.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { api, psql, uniqueName } = require('./lib.js');

const JSON_HEADERS = { 'content-type': 'application/json' };

// Raw bodies: strings are sent as UTF-8, arrays of parts let bytes that are not UTF-8
// through (Buffer parts).
function raw(...parts) {
  return Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p, 'utf8'))));
}
const bytes = (...b) => Buffer.from(b);

// The bodies of the issue and their relatives; `field` is where the bad part sits.
function hostile(field) {
  return [
    raw(`{"${field}":"`, bytes(0xc0, 0xaf), '"}'),              // overlong '/'
    raw(`{"${field}":"`, bytes(0xed, 0xa0, 0x80), '"}'),        // UTF-8 encoded surrogate
    raw(`{"${field}":"`, bytes(0xf4, 0x90, 0x80, 0x80), '"}'),  // above U+10FFFF
    raw(`{"${field}":"`, bytes(0xe0, 0x80, 0xaf), '"}'),        // overlong in 3 bytes
    raw(`{"${field}":"x`, bytes(0xc3), '"}'),                   // truncated
    raw(`{"${field}":"`, bytes(0xff, 0xfe), '"}'),
    raw(`{"`, bytes(0xc0, 0xaf), `":"x"}`),                      // in a key
    raw(`{"${field}":"a\\u0000b"}`),                             // NUL in a value
    raw(`{"${field}":"ok","\\u0000":1}`),                        // NUL as a key
    raw(`{"${field}":"\\ud800"}`),                               // unpaired surrogates
    raw(`{"${field}":"\\udc00x"}`),
    raw(`{"${field}":"\\ud800\\u0041"}`),
    raw(`{"${field}":1e9000}`),                                  // numbers out of range
    raw(`{"${field}":-1e400}`),
    raw(`{"${field}":0e-99999}`),
  ];
}

function assertV1(r, label) {
  assert.equal(r.status, 400, `${label}: ${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, 'VALIDATION_ERROR', `${label}: ${r.body}`);
  assert.equal(typeof r.json.error.message, 'string');
}

function assertApi(r, label) {
  assert.equal(r.status, 422, `${label}: ${r.status} ${r.body}`);
  assert.equal(typeof r.json?.detail, 'string', `${label}: ${r.body}`);
  assert.equal(r.json.error, undefined);
}

test('POST /v1/agents: every hostile body is 400 VALIDATION_ERROR', async () => {
  const before = psql('SELECT count(*) FROM agents').stdout.trim();
  for (const field of ['name', 'metadata']) {
    for (const [i, body] of hostile(field).entries()) {
      assertV1(await api('POST', '/v1/agents', { body, headers: JSON_HEADERS }), `${field} #${i}`);
    }
  }
  // The same inside metadata, one level down (the issue's own examples).
  for (const body of [
    '{"metadata":{"a":"\\u0000"}}', '{"metadata":{"\\u0000":1}}', '{"metadata":{"a":1e9000}}',
    '{"metadata":{"a":["x","\\udfff"]}}',
  ]) {
    assertV1(await api('POST', '/v1/agents', { body, headers: JSON_HEADERS }), body);
  }
  assert.equal(psql('SELECT count(*) FROM agents').stdout.trim(), before, 'something was stored');
  assert.equal(psql("SELECT count(*) FROM agents WHERE metadata ? ''").stdout.trim(), '0');
});

test('the message names the member that held the bad bytes', async () => {
  let r = await api('POST', '/v1/agents', { body: '{"metadata":{"model":"a\\u0000"}}', headers: JSON_HEADERS });
  assertV1(r, 'nul');
  assert.match(r.json.error.message, /NUL character .* in "model" at byte \d+/);
  r = await api('POST', '/api/register', { body: raw('{"name":"', bytes(0xc0, 0xaf), '","email":"a@b.co"}'), headers: JSON_HEADERS });
  assertApi(r, 'overlong');
  assert.match(r.json.detail, /overlong UTF-8 encoding in "name"/);
});

test('POST /api/register and PATCH /api/me: every hostile body is 422 {"detail"}', async () => {
  const name = uniqueName('hb');
  const reg = await api('POST', '/api/register', { body: { name, email: `${name}@example.com` } });
  assert.equal(reg.status, 201, reg.body);
  for (const field of ['name', 'email', 'avatar_url', 'wallet_address']) {
    for (const [i, body] of hostile(field).entries()) {
      assertApi(await api('POST', '/api/register', { body, headers: JSON_HEADERS }), `register ${field} #${i}`);
      assertApi(await api('PATCH', '/api/me', { body, headers: JSON_HEADERS, key: reg.json.api_key }),
        `patch ${field} #${i}`);
    }
  }
  const me = await api('GET', '/api/me', { key: reg.json.api_key });
  assert.equal(me.json.name, name);
  assert.equal(me.json.avatar_url, null);
});

test('metadata is bounded in depth and in stored size', async () => {
  const nest = (d) => (d === 0 ? 1 : { x: nest(d - 1) });
  const ok = await api('POST', '/v1/agents', { body: { metadata: nest(8) } });
  assert.equal(ok.status, 201, ok.body);
  assertV1(await api('POST', '/v1/agents', { body: { metadata: nest(9) } }), 'depth 9');
  // 1e300 is 5 bytes of JSON but 301 digits in PostgreSQL: 40 of them fit the 4096
  // bytes of the body rule and not the 8192 bytes the database keeps.
  const many = {};
  for (let i = 0; i < 40; i++) many[`n${i}`] = '@';
  const body = JSON.stringify({ metadata: many }).replace(/"@"/g, '1e300');
  assertV1(await api('POST', '/v1/agents', { body, headers: JSON_HEADERS }), 'expanded numbers');
});

test('query strings and path segments that decode to invalid UTF-8 are 4xx', async () => {
  const reg = await api('POST', '/v1/agents', { body: {} });
  for (const q of ['limit=%c0%af', 'limit=%ed%a0%80', 'x=%f4%90%80%80', 'x=%ff']) {
    const r = await api('GET', `/api/transactions?${q}`, { key: reg.json.api_key });
    assert.equal(r.status, 400, `${q}: ${r.status} ${r.body}`);
    assert.equal(typeof r.json?.detail, 'string', r.body);
  }
  const v = await api('GET', '/v1/agents?x=%c0%af');
  assert.equal(v.status, 400, v.body);
  assert.equal(v.json?.error?.code, 'BAD_REQUEST', v.body);
});
