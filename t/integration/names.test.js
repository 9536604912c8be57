// Agent names (issue 7 item 6): trimmed, no control, format or invisible characters,
// not blank, not uuid-shaped, and unique by a confusable key (case-folded NFKC skeleton,
// lib/core/name.h) across both surfaces. /v1 keeps MoltPoker's "names are not unique"
// by storing a taken name with a suffix, and its 201 says the stored name; /api answers
// 409. feltctl resolves exact ids and names only and refuses ambiguity.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { api, psql, feltctl, uniqueName } = require('./lib.js');

// A fresh ASCII name on /v1: letters only in the part that varies, so the lookalikes
// below differ from it in exactly the characters they replace.
function freshName(prefix = 'bob') {
  const letters = [...crypto.randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
  return `${prefix}_${letters}`;
}
const fullwidth = (s) => [...s].map((c) => (c >= '!' && c <= '~' ? String.fromCodePoint(c.codePointAt(0) + 0xfee0) : c)).join('');
const cyrillicO = (s) => s.replace(/o/g, '\u043e');

async function v1(name) {
  return api('POST', '/v1/agents', { body: name === undefined ? {} : { name } });
}
function stored(id) {
  return psql(`SELECT name FROM agents WHERE id = '${id}'`).stdout.replace(/\n$/, '');
}
function assertV1Invalid(r, label) {
  assert.equal(r.status, 400, `${label}: ${r.status} ${r.body}`);
  assert.equal(r.json?.error?.code, 'VALIDATION_ERROR', `${label}: ${r.body}`);
  assert.match(r.json.error.message, /^name: /, label);
}

test('the 201 says the stored name: as sent, trimmed, or generated', async () => {
  const name = freshName();
  let r = await v1(name);
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.name, name);
  assert.equal(stored(r.json.agent_id), name);
  const padded = freshName('pad');
  r = await v1(`  \u00a0${padded}\t `);
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.name, padded);
  assert.equal(stored(r.json.agent_id), padded);
  r = await v1();
  assert.equal(r.status, 201, r.body);
  assert.match(r.json.name, /^agent_[0-9a-f]{8}$/);
  assert.equal(stored(r.json.agent_id), r.json.name);
  // NFC: a decomposed é is stored composed.
  const cafe = freshName('cafe\u0301');
  r = await v1(cafe);
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.name, cafe.normalize('NFC'));
});

test('lookalikes of a taken name are stored with a suffix, never as the lookalike', async () => {
  const name = freshName();
  const first = await v1(name);
  assert.equal(first.status, 201, first.body);
  for (const look of [name, name.toUpperCase(), fullwidth(name), cyrillicO(name), ` ${name} `]) {
    const r = await v1(look);
    assert.equal(r.status, 201, `${look}: ${r.body}`);
    assert.notEqual(r.json.agent_id, first.json.agent_id);
    assert.match(r.json.name, /_[0-9a-f]{8}$/, `${look} -> ${r.json.name}`);
    assert.equal(r.json.name.slice(0, -9), look.trim().normalize('NFC'));
    assert.equal(stored(r.json.agent_id), r.json.name);
  }
  // One key per look: the database holds no two agents whose names look alike.
  const dup = psql('SELECT count(*) FROM (SELECT name_key FROM agents WHERE name_key IS NOT NULL'
    + ' GROUP BY name_key HAVING count(*) > 1) d').stdout.trim();
  assert.equal(dup, '0');
});

test('invisible, control, blank and uuid-shaped names are 400 on /v1', async () => {
  const victim = await v1(freshName('victim'));
  const base = freshName('bo');
  for (const [label, name] of [
    ['zero-width space', base.replace('_', '_\u200b')],
    ['right-to-left override', `\u202e${base}`],
    ['right-to-left mark', `${base}\u200f`],
    ['zero-width joiner', base.replace('_', '\u200d_')],
    ['BOM', `\ufeff${base}`],
    ['hangul filler', '\u3164'],
    ['control', `${base}\u0007`],
    ['tab inside', base.replace('_', '\t')],
    ['all blank', '   '],
    ['ideographic blanks', '\u3000\u3000'],
    ['empty', ''],
    ['another agent\'s id', victim.json.agent_id],
    ['uuid in capitals', victim.json.agent_id.toUpperCase()],
    ['uuid without hyphens', victim.json.agent_id.replace(/-/g, '')],
    ['uuid in braces', `{${victim.json.agent_id}}`],
    ['too long', 'x'.repeat(51)],
  ]) {
    assertV1Invalid(await v1(name), label);
  }
  assert.equal(psql(`SELECT count(*) FROM agents WHERE name = '${victim.json.agent_id}'`).stdout.trim(), '0');
});

test('/api/register: a confusable name is 409, a uuid-shaped one 422', async () => {
  const tail = uniqueName('x').slice(2, 24);
  const name = `l${tail}`;
  const r = await api('POST', '/api/register', { body: { name, email: `${name}@example.com` } });
  assert.equal(r.status, 201, r.body);
  for (const look of [`1${tail}`, `I${tail}`]) {
    const c = await api('POST', '/api/register', { body: { name: look, email: `${look}@example.com` } });
    assert.equal(c.status, 409, `${look}: ${c.body}`);
    assert.equal(c.json.detail, 'Agent name too similar to a registered name');
  }
  const same = await api('POST', '/api/register', { body: { name: name.toUpperCase(), email: `u${name}@example.com` } });
  assert.equal(same.status, 409, same.body);
  assert.equal(same.json.detail, 'Agent name already taken');
  const hex = crypto.randomBytes(16).toString('hex');
  const u = await api('POST', '/api/register', { body: { name: hex, email: `${hex}@example.com` } });
  assert.equal(u.status, 422, u.body);
  assert.match(u.json.detail, /^name: must not look like an agent id/);
});

test('/api lookalikes race: of concurrent registrations exactly one wins', async () => {
  const tail = uniqueName('r').slice(2, 24);
  const looks = [`l${tail}`, `1${tail}`, `I${tail}`, `L${tail}`];
  const answers = await Promise.all(looks.map((n) =>
    api('POST', '/api/register', { body: { name: n, email: `${n}@example.com` } })));
  assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409], answers.map((a) => a.body).join('\n'));
});

test('PATCH /api/me: a name that looks like another agent\'s is 409; one\'s own in another case is fine', async () => {
  const mk = async () => {
    const n = uniqueName('pm');
    const r = await api('POST', '/api/register', { body: { name: n, email: `${n}@example.com` } });
    assert.equal(r.status, 201, r.body);
    return { name: n, key: r.json.api_key };
  };
  const a = await mk();
  const b = await mk();
  const look = a.name.replace(/^p/, 'P').replace(/m/, 'rn');
  let r = await api('PATCH', '/api/me', { key: b.key, body: { name: look } });
  assert.equal(r.status, 409, r.body);
  r = await api('PATCH', '/api/me', { key: b.key, body: { name: b.name.toUpperCase() } });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.name, b.name.toUpperCase());
});

test('feltctl resolves exact ids and names only, and refuses an ambiguous one', async () => {
  const victim = await v1(freshName('victim'));
  const id = victim.json.agent_id;
  assert.equal(feltctl('credit', id, '5.00', '--reason', 'names test').code, 0);
  // A name shaped like the victim's id, written before the rules existed (by hand here).
  const squatter = psql(`INSERT INTO agents (name) VALUES ('${id}') RETURNING id`).stdout.trim();
  assert.match(squatter, /^[0-9a-f-]{36}$/);
  const r = feltctl('debit', id, '5.00', '--reason', 'must not move');
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /ambiguous/);
  const bal = psql(`SELECT balance_ucents FROM accounts WHERE agent_id = '${id}' AND kind = 'agent_balance'`).stdout.trim();
  assert.equal(bal, '50000');
  // Names are exact: another case, or a lookalike, is nobody.
  const named = freshName('exact');
  assert.equal((await v1(named)).status, 201);
  assert.equal(feltctl('credit', named.toUpperCase(), '1', '--reason', 'x').code, 1);
  assert.equal(feltctl('credit', fullwidth(named), '1', '--reason', 'x').code, 1);
  assert.equal(feltctl('credit', named, '1', '--reason', 'x').code, 0);
  psql(`DELETE FROM agents WHERE id = '${squatter}'`);
});
