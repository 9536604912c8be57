// GET /skill.md, the document MoltPoker bots read first (seed 004, issue 8 item 3, issue 9
// item 3): every endpoint it names answers, its URLs are this server's, its limits are the
// ones nginx applies, and its front matter drives a protocol agent (MoltPoker's
// packages/agents ProtocolAgent) through register and auto-join as written.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { BASE, api, getPlatformKey } = require('./lib.js');

const WS_BASE = BASE.replace(/^http/, 'ws');
let docCache;
async function doc() {
  if (!docCache) {
    const r = await api('GET', '/skill.md');
    assert.equal(r.status, 200, r.body);
    assert.match(r.headers.get('content-type'), /^text\/markdown/);
    docCache = r.body;
  }
  return docCache;
}

// The YAML front matter as an object (PyYAML, as gray-matter reads it in MoltPoker's runner).
function frontMatter(text) {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  assert.ok(m, 'the document starts with a --- front matter block');
  const r = spawnSync('python3', ['-c',
    'import json, sys, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read())))'],
  { input: m[1], encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

// Every (method, path) the document names, and every bare URL of this server it mentions.
function endpoints(text) {
  const named = new Set();
  const mentioned = new Set();
  const toPath = (u) => u.replace(BASE, '').replace(WS_BASE, '').replace(/[.,:;]+$/, '');
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    const method = cells.find((c) => /^(GET|POST|PUT|PATCH|DELETE|WS)$/.test(c));
    const p = cells.map((c) => /^`(\/[^`\s]*)`$/.exec(c)).find(Boolean);
    if (method && p) named.add(`${method} ${p[1]}`);
  }
  for (const m of text.matchAll(/\b(GET|POST|PUT|PATCH|DELETE) +`?((?:https?|wss?):\/\/[^\s`'")]+|\/[a-z][^\s`'")]*)/g))
    named.add(`${m[1]} ${toPath(m[2])}`);
  for (const m of text.matchAll(/method: *(\w+)\s*\n\s*url: *"([^"]+)"/g))
    named.add(`${m[1]} ${toPath(m[2])}`);
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (const m of text.matchAll(new RegExp(`(?:${esc(BASE)}|${esc(WS_BASE)})(/[^\\s\`'")\\]]*)`, 'g')))
    mentioned.add(toPath(m[1]) || '/');
  return { named, mentioned };
}

// A path of the document with its placeholders filled with real values.
function concrete(p, { tableId, token }) {
  return p.replace(/\{tableId\}|\{table_id\}|:id|\{id\}/g, tableId)
    .replace(/token=(\.\.\.|\{session_token\}|…)/, `token=${token}`)
    .replace(/&format=agent.*$/, '&format=agent');
}

test('the document is this server\'s: URLs substituted, no placeholder of the server left', async () => {
  const text = await doc();
  assert.ok(!text.includes('{BASE_URL}') && !text.includes('{WS_URL}'));
  assert.ok(text.includes(`${BASE}/v1/agents`));
  assert.ok(text.includes(`${WS_BASE}/v1/ws`));
  assert.ok(!/moltpoker\.com/.test(text), 'no other server\'s URL');
  // The runtime variables of the protocol stay for the agent to fill in.
  assert.ok(text.includes('{ws_url}?token={session_token}&format=agent'));
});

test('every endpoint the document names answers (never 404 or 405)', async () => {
  const text = await doc();
  const { named, mentioned } = endpoints(text);
  for (const e of ['POST /v1/agents', 'POST /v1/tables/auto-join', 'GET /v1/tables', 'GET /v1/tables/{tableId}',
    'POST /v1/tables/{tableId}/join', 'POST /v1/tables/{tableId}/leave', 'GET /v1/tables/:id/events',
    'WS /v1/ws?token=...&format=agent', 'GET /skill.md'])
    assert.ok(named.has(e), `the document names ${e}`);
  const t = await api('POST', '/v1/admin/tables', { key: getPlatformKey(), body: {} });
  assert.equal(t.status, 201, t.body);
  const reg = await api('POST', '/v1/agents', { body: { name: 'skill reader' } });
  const join = await api('POST', `/v1/tables/${t.json.id}/join`, { key: reg.json.api_key, body: {} });
  assert.equal(join.status, 200, join.body);
  const values = { tableId: t.json.id, token: join.json.session_token };
  for (const e of named) {
    const [method, p] = e.split(' ');
    const url = concrete(p, values);
    // A WebSocket endpoint is routed (nginx to felt-wsd): without an upgrade it is refused,
    // or 503 while felt-wsd is down, but it is never unknown.
    const r = await api(method === 'WS' ? 'GET' : method, url, { body: method === 'POST' ? {} : undefined });
    assert.ok(r.status !== 404 && r.status !== 405, `${e} -> ${url}: ${r.status} ${r.body}`);
  }
  // A URL mentioned without a method: the path exists (a method it does not take is 405).
  for (const p of mentioned) {
    const r = await api('OPTIONS', concrete(p, values));
    assert.ok(r.status !== 404, `mentioned ${p}: ${r.status} ${r.body}`);
  }
});

test('the limits it states are the ones nginx applies', async () => {
  const text = await doc();
  // nginx/felt.conf.in (and its includes): /v1/agents and /api/register share one zone,
  // 429 answers RATE_LIMITED "Too many requests" with Retry-After 60; script/lib.sh has the
  // default rate and burst the document quotes.
  const dir = path.join(process.env.FELT_TOP, 'nginx');
  const conf = fs.readdirSync(dir).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
  const agents = /location = \/v1\/agents \{[^}]*limit_req zone=(\w+)/.exec(conf);
  const register = /location = \/api\/register \{[^}]*limit_req zone=(\w+)/.exec(conf);
  assert.ok(agents && register && agents[1] === register[1], 'one zone for both registrations');
  assert.match(conf, /RATE_LIMITED/);
  assert.match(conf, /Too many requests/);
  assert.match(conf, /Retry-After 60|429 60;/);
  assert.match(conf, /client_max_body_size 64k;/);
  const lib = fs.readFileSync(path.join(process.env.FELT_TOP, 'script', 'lib.sh'), 'utf8');
  assert.match(lib, /FELT_REGISTER_RATE:-5r\/m/);
  assert.match(lib, /FELT_REGISTER_BURST:-5\}/);
  assert.match(text, /\/v1\/agents.*\/api\/register.*counted together/s);
  assert.match(text, /HTTP 429\*\* `\{"error":\{"code":"RATE_LIMITED","message":"Too many requests"\}\}`/);
  assert.match(text, /Retry-After: 60/);
  assert.match(text, /5 a minute/);
  assert.match(text, /bodies up to 64 KB/);
  assert.ok(!/no enforced rate limits/i.test(text), 'the reference\'s "no rate limits" is not felt\'s');
  // The defaults it quotes are felt-api's.
  const help = spawnSync(path.join(process.env.FELT_BIN, 'cgi', 'felt-api'), ['--help'], { encoding: 'utf8' });
  for (const [v, d] of [['FELT_V1_SMALL_BLIND', '1'], ['FELT_V1_BIG_BLIND', '2'], ['FELT_V1_MAX_SEATS', '6'],
    ['FELT_V1_INITIAL_STACK', '100'], ['FELT_V1_ACTION_TIMEOUT_MS', '30000'], ['FELT_V1_SESSION_TTL_S', '3600']])
    assert.match(help.stdout + help.stderr, new RegExp(`${v}[\\s\\S]*?default:? *${d}\\b`), v);
  assert.match(text, /blinds 1\/2,\s+6 seats, 100 chips each, 30 s to act/);
  // ... and felt-wsd's, once it is built.
  const wsd = path.join(process.env.FELT_BIN, 'wsd', 'felt-wsd');
  if (fs.existsSync(wsd)) {
    const out = spawnSync(wsd, ['--help'], { encoding: 'utf8' }).stdout;
    const def = (v) => new RegExp(`${v}\\s+default:? *(\\d+)`).exec(out)?.[1];
    assert.equal(def('FELT_WSD_MAX_MESSAGE'), '16384');
    assert.match(text, /messages up to 16 KB; (\d+) messages a second\s+\(bursts of (\d+)\)/);
    const [, rate, burst] = /messages up to 16 KB; (\d+) messages a second\s+\(bursts of (\d+)\)/.exec(text);
    assert.deepEqual([rate, burst], [def('FELT_WSD_RATE'), def('FELT_WSD_RATE_BURST')]);
    assert.equal(def('FELT_WSD_ABANDON_MS'), '60000');
    assert.match(text, /no player\s+connected for 60 s/);
  }
  assert.match(text, /valid for one hour by default/);
});

test('the error codes it lists are the server\'s, with their statuses', async () => {
  const text = await doc();
  for (const [status, code] of [[400, 'VALIDATION_ERROR'], [400, 'OUTDATED_CLIENT'], [400, 'TABLE_FULL'],
    [400, 'INVALID_TABLE_STATE'], [400, 'TABLE_ENDED'], [400, 'NOT_SEATED'], [401, 'UNAUTHORIZED'],
    [404, 'TABLE_NOT_FOUND'], [413, 'PAYLOAD_TOO_LARGE'], [429, 'RATE_LIMITED']])
    assert.match(text, new RegExp(`\\| ${status} \\| \`${code}\``), `${status} ${code}`);
  // Spot checks against the server itself.
  let r = await api('POST', '/v1/tables/auto-join', { body: {} });
  assert.equal(r.json.error.code, 'UNAUTHORIZED');
  r = await api('GET', '/v1/tables/00000000-0000-0000-0000-000000000000');
  assert.deepEqual([r.status, r.json.error.code], [404, 'TABLE_NOT_FOUND']);
});

test('a protocol agent bootstraps from the front matter alone', async () => {
  const fm = frontMatter(await doc());
  assert.equal(typeof fm.name, 'string');
  assert.equal(typeof fm.description, 'string');
  assert.equal(typeof fm.metadata, 'object');
  const p = fm.protocol;
  assert.deepEqual(p.bootstrap.map((s) => s.id), ['register', 'join']);
  for (const k of ['websocket', 'state', 'decision']) assert.ok(p[k], k);
  // As MoltPoker's protocol-engine interpolate(): {var} from the variable store.
  const vars = new Map([['AGENT_NAME', `ProtocolAgent-${process.pid}`]]);
  const fill = (v) => {
    if (typeof v === 'string') return v.replace(/\{(\w+)\}/g, (m, k) => (vars.has(k) ? String(vars.get(k)) : m));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  for (const step of p.bootstrap) {
    const url = fill(step.url);
    assert.ok(url.startsWith(`${BASE}/`), url);
    const headers = { 'content-type': 'application/json', ...fill(step.headers || {}) };
    const r = await api(step.method, url.slice(BASE.length), { body: fill(step.body), headers });
    assert.ok(r.status >= 200 && r.status < 300, `${step.id}: ${r.status} ${r.body}`);
    for (const [name, field] of Object.entries(step.extract)) {
      assert.notEqual(r.json[field], undefined, `${step.id} extracts ${field}`);
      vars.set(name, r.json[field]);
    }
  }
  assert.match(vars.get('api_key'), /^mpk_/);
  const wsUrl = fill(p.websocket.url);
  assert.equal(wsUrl, `${vars.get('ws_url')}?token=${vars.get('session_token')}&format=agent`);
  assert.match(wsUrl, /^wss?:\/\//);
  // Message classes: the types felt-wsd sends, welcome first, ended is terminal.
  const types = p.websocket.on_message.map((m) => m.match.type);
  for (const t of ['welcome', 'game_state', 'ack', 'error', 'hand_complete', 'street_dealt', 'table_status'])
    assert.ok(types.includes(t), t);
  const actionable = p.websocket.on_message.find((m) => m.class === 'actionable');
  assert.deepEqual(actionable.extract, { seq: 'seq', turn_token: 'turn_token' });
  assert.ok(p.websocket.on_message.some((m) => m.class === 'terminal' &&
    m.when.some((w) => w.field === 'status' && w.equals === 'ended')));
  const d = p.decision;
  assert.deepEqual(d.schema.properties.kind.enum, ['fold', 'check', 'call', 'raiseTo']);
  assert.deepEqual(d.action_template, { type: 'action',
    action: { turn_token: '{turn_token}', kind: '{kind}', amount: '{amount}' }, expected_seq: '{seq}' });
  assert.deepEqual(d.safety, { prefer: 'check', fallback: 'fold' });
});
