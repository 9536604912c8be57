// Open Poker accounts through nginx: POST /api/register, GET/PATCH /api/me,
// POST /api/me/regenerate-key, authentication, and hostile input (issue 4).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { api, psql, uniqueName } = require('./lib.js');

// EIP-55 test vector and its lowercase form.
const WALLET = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
const WALLETS = [
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
];

let walletIdx = 0;
// A wallet nobody in this run used yet: the published vectors first, then random ones
// in lowercase (no checksum needed).
function freshWallet() {
  if (walletIdx < WALLETS.length) {
    const w = WALLETS[walletIdx++];
    psql(`UPDATE agents SET wallet_address = NULL WHERE lower(wallet_address) = lower('${w}')`);
    return w;
  }
  return '0x' + crypto.randomBytes(20).toString('hex');
}

function email(name) { return `${name.toLowerCase()}@example.com`; }

async function register(extra = {}) {
  const name = uniqueName('acc');
  const body = { name, email: email(name), ...extra };
  const r = await api('POST', '/api/register', { body });
  assert.equal(r.status, 201, r.body);
  return { ...r.json, body };
}

// Every refusal is a 4xx JSON {"detail": string}, never a 5xx.
function assertDetail(r, status, re) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(typeof r.json?.detail, 'string', r.body);
  if (re) assert.match(r.json.detail, re);
}

test('register returns the seed fields and an op_live_ key', async () => {
  const name = uniqueName('reg');
  // Re-runs against the same database: free the vector address first.
  psql(`UPDATE agents SET wallet_address = NULL WHERE lower(wallet_address) = lower('${WALLET}')`);
  const r = await api('POST', '/api/register', {
    body: { name, email: email(name), wallet_address: WALLET.toLowerCase(),
            avatar_url: 'https://example.com/a.png', terms_accepted: true },
  });
  psql(`UPDATE agents SET wallet_address = NULL WHERE id = '${r.json?.agent_id}'`);
  assert.equal(r.status, 201, r.body);
  assert.match(r.headers.get('content-type'), /application\/json/);
  assert.match(r.json.agent_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(r.json.api_key, /^op_live_[0-9A-Za-z]{43}$/);
  assert.equal(r.json.name, name);
  assert.equal(r.json.email, email(name));
  assert.equal(r.json.wallet_address, WALLET, 'stored in EIP-55 checksummed form');
});

test('wallet is optional and null when absent', async () => {
  const a = await register();
  assert.equal(a.wallet_address, null);
  const me = await api('GET', '/api/me', { key: a.api_key });
  assert.equal(me.status, 200);
  assert.equal(me.json.wallet_address, null);
  assert.equal(me.json.avatar_url, null);
});

test('API keys are stored only as SHA-256 hashes', async () => {
  const a = await register();
  const sha = crypto.createHash('sha256').update(a.api_key).digest('hex');
  const row = psql(`SELECT api_key_hash || ' ' || api_key_prefix FROM agents WHERE id = '${a.agent_id}'`);
  assert.equal(row.code, 0, row.stderr);
  assert.equal(row.stdout.trim(), `${sha} ${a.api_key.slice(0, 12)}`);
  // The key itself appears nowhere in the agents table.
  const leak = psql(`SELECT count(*) FROM agents a WHERE row_to_json(a)::text LIKE '%${a.api_key.slice(8)}%'`);
  assert.equal(leak.stdout.trim(), '0');
});

test('GET /api/me with the key; scheme is case-insensitive', async () => {
  const a = await register();
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const r = await api('GET', '/api/me', { headers: { authorization: `${scheme} ${a.api_key}` } });
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.agent_id, a.agent_id);
    assert.equal(r.json.name, a.name);
    assert.equal(r.json.email, a.email);
    assert.match(r.body, /"balance":0\.00/);
    assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  }
});

test('401 without a key, with a malformed key, with an unknown key', async () => {
  const unknown = 'op_live_' + 'A'.repeat(43);
  const cases = [
    {}, { key: 'nope' }, { key: unknown }, { key: 'mpk_' + '0'.repeat(64) },
    { headers: { authorization: 'Basic dXNlcjpwYXNz' } },
    { headers: { authorization: "Bearer ' OR '1'='1" } },
  ];
  for (const path of ['/api/me', '/api/balance', '/api/transactions']) {
    for (const c of cases) {
      const r = await api('GET', path, c);
      assertDetail(r, 401);
    }
  }
  assertDetail(await api('PATCH', '/api/me', { body: { name: 'zzz' } }), 401);
  assertDetail(await api('POST', '/api/me/regenerate-key'), 401);
});

test('409 names the field that is taken (case-insensitively)', async () => {
  const w = freshWallet();
  const a = await register({ wallet_address: w });
  const other = uniqueName('dup');
  let r = await api('POST', '/api/register', { body: { name: other, email: a.email.toUpperCase() } });
  assertDetail(r, 409, /^Email already registered$/);
  r = await api('POST', '/api/register', { body: { name: a.name.toUpperCase(), email: email(other) } });
  assertDetail(r, 409, /^Agent name already taken$/);
  r = await api('POST', '/api/register', { body: { name: other, email: email(other), wallet_address: w.toLowerCase() } });
  assertDetail(r, 409, /^Wallet address already registered$/);
  // Nothing was created by the refused attempts.
  assert.equal(psql(`SELECT count(*) FROM agents WHERE name = '${other}'`).stdout.trim(), '0');
  psql(`UPDATE agents SET wallet_address = NULL WHERE id = '${a.agent_id}'`);
});

test('concurrent registrations of one name: exactly one wins', async () => {
  const name = uniqueName('race');
  const rs = await Promise.all([0, 1, 2, 3, 4].map((i) =>
    api('POST', '/api/register', { body: { name, email: `${name}${i}@example.com` } })));
  const codes = rs.map((r) => r.status).sort();
  assert.deepEqual(codes, [201, 409, 409, 409, 409]);
});

test('422 validation errors name the field', async () => {
  const n = uniqueName('val');
  const good = { name: n, email: email(n) };
  const cases = [
    [{ ...good, name: 'ab' }, /name/],
    [{ ...good, name: 'a'.repeat(33) }, /name/],
    [{ ...good, name: 'has space' }, /name/],
    [{ ...good, name: 'dash-ed' }, /name/],
    [{ ...good, name: 'bøt_unicode' }, /name/],
    [{ ...good, name: '機器人機器人' }, /name/],
    [{ ...good, name: 'x\u0000yz' }, /name/],
    [{ ...good, name: 42 }, /name/],
    [{ ...good, name: null }, /name/],
    [{ email: good.email }, /name/],
    [{ name: n }, /[Ee]mail/],
    [{ ...good, email: 'not-an-email' }, /email/],
    [{ ...good, email: 'a@localhost' }, /email/],
    [{ ...good, email: ['a@b.co'] }, /email/],
    [{ ...good, wallet_address: '0x1234' }, /wallet_address/],
    [{ ...good, wallet_address: WALLET.replace('aAeb', 'AAeb') }, /wallet_address.*checksum/],
    [{ ...good, wallet_address: '0x' + 'g'.repeat(40) }, /wallet_address/],
    [{ ...good, wallet_address: 12345 }, /wallet_address/],
    [{ ...good, avatar_url: 'ftp://example.com/a.png' }, /avatar_url/],
    [{ ...good, avatar_url: 'javascript:alert(1)' }, /avatar_url/],
    [{ ...good, avatar_url: 'https://example.com/' + 'a'.repeat(2100) }, /avatar_url/],
    [{ ...good, terms_accepted: 'yes' }, /terms_accepted/],
  ];
  for (const [body, re] of cases) {
    const r = await api('POST', '/api/register', { body });
    assertDetail(r, 422, re);
  }
  assert.equal(psql(`SELECT count(*) FROM agents WHERE name = '${n}'`).stdout.trim(), '0');
  // Each avatar refusal is one sentence, said once (issue 8).
  const avatar = [
    ['ftp://example.com/a.png', 'avatar_url: must be an http:// or https:// URL with a host'],
    ['https://', 'avatar_url: must be an http:// or https:// URL with a host'],
    ['https://example.com/a b.png', 'avatar_url: must be a URL without spaces, quotes or control characters'],
    ['https://example.com/' + 'a'.repeat(2100), 'avatar_url: must be at most 2048 characters'],
  ];
  for (const [avatarUrl, detail] of avatar) {
    const r = await api('POST', '/api/register', { body: { ...good, avatar_url: avatarUrl } });
    assert.equal(r.status, 422, r.body);
    assert.equal(r.json.detail, detail);
  }
});

test('terms_accepted false is refused with 400 (Open Poker wording)', async () => {
  const n = uniqueName('terms');
  const r = await api('POST', '/api/register', { body: { name: n, email: email(n), terms_accepted: false } });
  assertDetail(r, 400, /Terms of Service/);
});

test('bad bodies: invalid JSON, wrong types, empty, huge -> 4xx JSON', async () => {
  const bodies = ['{', '{"name": "abc",}', '[]', '"str"', '42', 'null', '', '{"a":' + '['.repeat(100),
    Buffer.from([0xff, 0xfe, 0x00])];
  for (const body of bodies) {
    const r = await api('POST', '/api/register', { body, headers: { 'content-type': 'application/json' } });
    assert.ok(r.status >= 400 && r.status < 500, `${r.status} for ${body}`);
    assert.equal(typeof r.json?.detail, 'string', r.body);
  }
  const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024), email: 'big@example.com' });
  const r = await api('POST', '/api/register', { body: big, headers: { 'content-type': 'application/json' } });
  assert.ok(r.status === 413 || r.status === 422, `${r.status}`);
  assert.equal(typeof r.json?.detail, 'string', r.body);
});

test('SQL metacharacters in every field are data, never SQL', async () => {
  const evil = ["'; DROP TABLE agents; --", "x' OR '1'='1", '"; SELECT pg_sleep(1); --', '\\', '$1'];
  for (const e of evil) {
    for (const field of ['name', 'email', 'wallet_address', 'avatar_url']) {
      const n = uniqueName('sql');
      const r = await api('POST', '/api/register', { body: { name: n, email: email(n), [field]: e } });
      assertDetail(r, 422);
    }
  }
  // Quotes are legal in an email local part: stored verbatim.
  const n = uniqueName('sqlok');
  const r = await api('POST', '/api/register', { body: { name: n, email: `o'brien_${n}@example.com` } });
  assert.equal(r.status, 201, r.body);
  const me = await api('GET', '/api/me', { key: r.json.api_key });
  assert.equal(me.json.email, `o'brien_${n}@example.com`);
  assert.equal(psql('SELECT count(*) > 0 FROM agents').stdout.trim(), 't');
});

test('PATCH /api/me updates name, wallet and avatar; null clears', async () => {
  const a = await register();
  const w = freshWallet();
  const newName = uniqueName('ren');
  let r = await api('PATCH', '/api/me', { key: a.api_key,
    body: { name: newName, wallet_address: w.toUpperCase().replace('0X', '0x'), avatar_url: 'http://x.io/p.png' } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.name, newName);
  assert.equal(r.json.wallet_address, w);
  assert.equal(r.json.avatar_url, 'http://x.io/p.png');
  assert.equal(r.json.email, a.email, 'email unchanged');
  r = await api('PATCH', '/api/me', { key: a.api_key, body: { wallet_address: null, avatar_url: null } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.wallet_address, null);
  assert.equal(r.json.avatar_url, null);
  assert.equal(r.json.name, newName, 'absent fields are kept');
  r = await api('PATCH', '/api/me', { key: a.api_key, body: {} });
  assert.equal(r.status, 200);
  assert.equal(r.json.name, newName);
});

test('PATCH /api/me: 409 for taken fields, 422 for invalid ones', async () => {
  const a = await register();
  const w = freshWallet();
  const b = await register({ wallet_address: w });
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { name: b.name.toLowerCase() } }),
    409, /^Agent name already taken$/);
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { wallet_address: w } }),
    409, /^Wallet address already registered$/);
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { name: 'no' } }), 422, /name/);
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { name: null } }), 422, /name/);
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { avatar_url: 7 } }), 422, /avatar_url/);
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: '[1]',
    headers: { 'content-type': 'application/json' } }), 422);
  // Renaming to one's own name in another case is allowed.
  const r = await api('PATCH', '/api/me', { key: a.api_key, body: { name: a.name.toUpperCase() } });
  assert.equal(r.status, 200, r.body);
  psql(`UPDATE agents SET wallet_address = NULL WHERE id = '${b.agent_id}'`);
});

// The seed's PATCH /me lists name, wallet_address and avatar_url: the email is fixed.
test('PATCH /api/me: an email field is refused, not ignored', async () => {
  const a = await register();
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { email: email(uniqueName('new')) } }),
    422, /^email: cannot be changed$/);
  // Even alongside a valid change: nothing of the body is applied.
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key,
    body: { name: uniqueName('ren'), email: a.email } }), 422, /^email: cannot be changed$/);
  const me = await api('GET', '/api/me', { key: a.api_key });
  assert.equal(me.status, 200, me.body);
  assert.equal(me.json.email, a.email);
  assert.equal(me.json.name, a.name);
});

// 0x000...0 is well formed but nobody's: what is sent there is burnt.
test('the zero address is refused as a wallet on register and PATCH', async () => {
  const ZERO = '0x' + '0'.repeat(40);
  const n = uniqueName('zero');
  assertDetail(await api('POST', '/api/register', { body: { name: n, email: email(n), wallet_address: ZERO } }),
    422, /^wallet_address: must not be the zero address$/);
  assert.equal(psql(`SELECT count(*) FROM agents WHERE name = '${n}'`).stdout.trim(), '0');
  const a = await register({ wallet_address: freshWallet() });
  assertDetail(await api('PATCH', '/api/me', { key: a.api_key, body: { wallet_address: ZERO } }),
    422, /^wallet_address: must not be the zero address$/);
  const me = await api('GET', '/api/me', { key: a.api_key });
  assert.equal(me.json.wallet_address, a.wallet_address, 'the old wallet is kept');
  // A wallet with a single non-zero digit is an ordinary address.
  const one = '0x' + '0'.repeat(39) + '1';
  psql(`UPDATE agents SET wallet_address = NULL WHERE wallet_address = '${one}'`);
  const r = await api('PATCH', '/api/me', { key: a.api_key, body: { wallet_address: one } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.wallet_address, one);
  psql(`UPDATE agents SET wallet_address = NULL WHERE id = '${a.agent_id}'`);
});

test('regenerate-key: the new key works, the old one stops at once', async () => {
  const a = await register();
  const r = await api('POST', '/api/me/regenerate-key', { key: a.api_key });
  assert.equal(r.status, 200, r.body);
  assert.match(r.json.api_key, /^op_live_[0-9A-Za-z]{43}$/);
  assert.notEqual(r.json.api_key, a.api_key);
  assertDetail(await api('GET', '/api/me', { key: a.api_key }), 401);
  const me = await api('GET', '/api/me', { key: r.json.api_key });
  assert.equal(me.status, 200);
  assert.equal(me.json.agent_id, a.agent_id);
  const sha = crypto.createHash('sha256').update(r.json.api_key).digest('hex');
  assert.equal(psql(`SELECT api_key_hash FROM agents WHERE id = '${a.agent_id}'`).stdout.trim(), sha);
});

test('unknown /api paths and wrong methods answer JSON 404/405', async () => {
  assertDetail(await api('GET', '/api/nope'), 404);
  assertDetail(await api('DELETE', '/api/me'), 405);
  assertDetail(await api('GET', '/api/register'), 405);
});
