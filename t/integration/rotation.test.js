// POST /api/me/regenerate-key under concurrency (issue 7 item 7): the rotation is a
// compare-and-swap on the key the caller authenticated with, so of N concurrent calls
// with one key exactly one gets a new key, the others 401, and the key handed out works.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { api, uniqueName } = require('./lib.js');

async function register() {
  const name = uniqueName('rot');
  const r = await api('POST', '/api/register', { body: { name, email: `${name}@example.com` } });
  assert.equal(r.status, 201, r.body);
  return r.json.api_key;
}

test('50 concurrent regenerate-key calls with one key: exactly one 200, the rest 401', async () => {
  const key = await register();
  const answers = await Promise.all(Array.from({ length: 50 }, () =>
    api('POST', '/api/me/regenerate-key', { key })));
  const ok = answers.filter((r) => r.status === 200);
  const refused = answers.filter((r) => r.status === 401);
  assert.equal(ok.length, 1, answers.map((r) => r.status).join(' '));
  assert.equal(refused.length, 49, answers.map((r) => r.status).join(' '));
  for (const r of refused) assert.equal(typeof r.json?.detail, 'string', r.body);
  const fresh = ok[0].json.api_key;
  assert.match(fresh, /^op_live_/);
  // The key handed out works; the old one does not.
  assert.equal((await api('GET', '/api/me', { key: fresh })).status, 200);
  assert.equal((await api('GET', '/api/me', { key })).status, 401);
});

test('every key returned with 200 works until it is rotated again', async () => {
  let key = await register();
  // Rounds of concurrent rotations, each with the key the previous round returned.
  for (let round = 0; round < 5; round++) {
    const answers = await Promise.all(Array.from({ length: 10 }, () =>
      api('POST', '/api/me/regenerate-key', { key })));
    const ok = answers.filter((r) => r.status === 200);
    assert.equal(ok.length, 1, `round ${round}: ${answers.map((r) => r.status).join(' ')}`);
    assert.ok(answers.every((r) => r.status === 200 || r.status === 401));
    const me = await api('GET', '/api/me', { key: ok[0].json.api_key });
    assert.equal(me.status, 200, me.body);
    key = ok[0].json.api_key;
  }
});
