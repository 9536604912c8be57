// MoltPoker registration through nginx: POST /v1/agents (seed 004), and its key on /api.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { BASE, api, psql, feltctl } = require('./lib.js');

// /v1 errors: {"error": {"code", "message"}}.
function assertV1Error(r, status, code) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(typeof r.json?.error?.message, 'string', r.body);
  if (code) assert.equal(r.json.error.code, code, r.body);
}

function uniq(prefix) { return `${prefix} ${process.pid} ${crypto.randomBytes(4).toString('hex')}`; }

test('201 with an mpk_ key, protocol version and skill doc URL', async () => {
  const name = uniq('Molt Bot');
  const r = await api('POST', '/v1/agents', { body: { name, metadata: { model: 'x', v: 1 } } });
  assert.equal(r.status, 201, r.body);
  assert.match(r.json.agent_id, /^[0-9a-f-]{36}$/);
  assert.match(r.json.api_key, /^mpk_[0-9a-f]{64}$/);
  assert.equal(r.json.protocol_version, '0.1');
  assert.match(r.json.skill_doc_url, /^https?:\/\/.+\/skill\.md$/);
  const row = psql(`SELECT name || '|' || metadata::text || '|' || (email IS NULL) FROM agents WHERE id = '${r.json.agent_id}'`);
  assert.equal(row.stdout.trim(), `${name}|{"v": 1, "model": "x"}|true`);
  const sha = crypto.createHash('sha256').update(r.json.api_key).digest('hex');
  assert.equal(psql(`SELECT api_key_hash FROM agents WHERE id = '${r.json.agent_id}'`).stdout.trim(), sha);
});

test('name and metadata are optional; an empty object registers', async () => {
  const r = await api('POST', '/v1/agents', { body: {} });
  assert.equal(r.status, 201, r.body);
  const name = psql(`SELECT name FROM agents WHERE id = '${r.json.agent_id}'`).stdout.trim();
  assert.match(name, /^agent_[0-9a-f]{8}$/);
  assert.equal(r.json.name, name, 'the 201 names what was stored');
});

test('names are not unique on /v1: the same name registers twice', async () => {
  const name = uniq('Twin');
  const a = await api('POST', '/v1/agents', { body: { name } });
  const b = await api('POST', '/v1/agents', { body: { name } });
  assert.equal(a.status, 201, a.body);
  assert.equal(b.status, 201, b.body);
  assert.notEqual(a.json.agent_id, b.json.agent_id);
  assert.notEqual(a.json.api_key, b.json.api_key);
  // The second one is displayed with a suffix of 32 random bits: too many to pre-register.
  const stored = psql(`SELECT name FROM agents WHERE id = '${b.json.agent_id}'`).stdout.trim();
  assert.equal(stored.slice(0, name.length + 1), `${name}_`);
  assert.match(stored.slice(name.length), /^_[0-9a-f]{8}$/);
  // ...and the 201 says so (issue 8: it used to rename silently).
  assert.equal(a.json.name, name);
  assert.equal(b.json.name, stored);
});

test('the mpk_ key works on /api: me, balance, transactions, credit', async () => {
  const r = await api('POST', '/v1/agents', { body: { name: uniq('Cross') } });
  const key = r.json.api_key;
  const me = await api('GET', '/api/me', { key });
  assert.equal(me.status, 200, me.body);
  assert.equal(me.json.agent_id, r.json.agent_id);
  assert.equal(me.json.email, null);
  assert.equal(feltctl('credit', r.json.agent_id, '1.50', '--reason', 'v1 test').code, 0);
  const bal = await api('GET', '/api/balance', { key });
  assert.match(bal.body, /"balance":1\.50[,}]/);
  // MoltPoker clients may send the bare key without a scheme.
  const bare = await api('GET', '/api/balance', { headers: { authorization: key } });
  assert.equal(bare.status, 200, bare.body);
});

test('validation errors are 400 VALIDATION_ERROR in the /v1 shape', async () => {
  for (const body of [
    { name: 42 }, { name: '' }, { name: 'x'.repeat(51) }, { name: null }, { name: 'tab\there' },
    { name: 'nul\u0000byte' }, { metadata: [1, 2] }, { metadata: 'x' }, { metadata: null },
    { metadata: { blob: 'x'.repeat(5000) } },
  ]) {
    assertV1Error(await api('POST', '/v1/agents', { body }), 400, 'VALIDATION_ERROR');
  }
  for (const raw of ['{', '[]', '"x"', '', 'null', '{"name": "a",}']) {
    const r = await api('POST', '/v1/agents', { body: raw, headers: { 'content-type': 'application/json' } });
    assertV1Error(r, 400);
  }
});

test('unicode and SQL metacharacters in names are data', async () => {
  for (const name of ['機器人 🤖', "Robert'); DROP TABLE agents;--", 'x" OR 1=1', 'ünïcödé_名前']) {
    const r = await api('POST', '/v1/agents', { body: { name } });
    assert.equal(r.status, 201, r.body);
    const stored = psql(`SELECT name FROM agents WHERE id = '${r.json.agent_id}'`).stdout.trim();
    assert.ok(stored === name || stored.startsWith(`${name}_`), stored);
  }
  assert.equal(psql('SELECT count(*) > 0 FROM agents').stdout.trim(), 't');
});

test('a 1 MB body is refused with a 4xx, never a 5xx', async () => {
  const body = JSON.stringify({ name: 'big', metadata: { x: 'y'.repeat(1024 * 1024) } });
  const r = await api('POST', '/v1/agents', { body, headers: { 'content-type': 'application/json' } });
  assert.ok(r.status >= 400 && r.status < 500, `${r.status}`);
  assert.ok(r.json, r.body);
});

test('skill_doc_url points at this server', async () => {
  const r = await api('POST', '/v1/agents', { body: {} });
  const url = new URL(r.json.skill_doc_url);
  const doc = await fetch(BASE + url.pathname);
  assert.equal(doc.status, 200);
});
