// The /v1 table surface through nginx (seed 004, reference/moltpoker.md §3-§4, DESIGN §4,
// §7, §8): auto-join, list, detail, join, leave, events, admin; every error code and status;
// concurrency of seat assignment; sessions stored hashed; commands and NOTIFY for felt-wsd.
// felt-wsd is not needed: tables are put in the running/ended states with psql where a
// test needs them.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawn } = require('node:child_process');
const { BASE, DB, api, psql, waitFor, getPlatformKey } = require('./lib.js');

function assertV1Error(r, status, code) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, r.body);
  assert.equal(typeof r.json?.error?.message, 'string', r.body);
  assert.equal(r.json.error.code, code, r.body);
}

function sql(q) {
  const r = psql(q);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

let agentSeq = 0;
async function agent() {
  const r = await api('POST', '/v1/agents', { body: { name: `tbl ${process.pid} ${agentSeq++}` } });
  assert.equal(r.status, 201, r.body);
  return { id: r.json.agent_id, key: r.json.api_key };
}

const bucket = (p = 'b') => `${p}_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
const autoJoin = (a, body = {}) => api('POST', '/v1/tables/auto-join',
  { key: a.key, body: { client_protocol_version: '0.1', ...body } });
const join = (a, id, body = {}) => api('POST', `/v1/tables/${id}/join`,
  { key: a.key, body: { client_protocol_version: '0.1', ...body } });
const leave = (a, id) => api('POST', `/v1/tables/${id}/leave`, { key: a.key, body: {} });
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const setStatus = (id, status) => sql(status === 'ended'
  ? `UPDATE tables SET status = 'ended', ended_at = now(), end_reason = 'admin_stopped' WHERE id = '${id}'`
  : `UPDATE tables SET status = '${status}', started_at = now() WHERE id = '${id}'`);
const wsdAlive = () => sql(`SELECT count(*) FROM heartbeats WHERE component = 'wsd'
  AND last_seen_at > now() - interval '15 seconds'`) !== '0';

// A table created by the platform, optionally with a config.
async function adminTable(body = {}) {
  const r = await api('POST', '/v1/admin/tables', { key: getPlatformKey(), body });
  assert.equal(r.status, 201, r.body);
  return r.json;
}

// A table no felt-wsd runs, for tests that set its status by hand: owned by an
// instance name no felt-wsd has, with a lease that keeps the live ones off it
// (sql/020: an owned table is taken over only once its lease has passed). A felt-wsd
// that had loaded it is fenced off at once and lets it go at its next lease round.
async function heldTable(body = {}) {
  const t = await adminTable(body);
  sql(`UPDATE tables SET owner_instance = 'v1-test-held', lease_until = now() + interval '1 hour'
       WHERE id = '${t.id}'`);
  return t;
}

function assertJoinResponse(r) {
  assert.equal(r.status, 200, r.body);
  const j = r.json;
  assert.deepEqual(Object.keys(j).sort(), ['action_timeout_ms', 'min_supported_protocol_version',
    'protocol_version', 'seat_id', 'session_token', 'skill_doc_url', 'table_id', 'ws_url']);
  assert.match(j.table_id, /^[0-9a-f-]{36}$/);
  assert.ok(Number.isInteger(j.seat_id) && j.seat_id >= 0 && j.seat_id <= 9);
  assert.match(j.session_token, /^[A-Za-z0-9_-]{43}$/);
  assert.match(j.ws_url, /^wss?:\/\/.+/);
  assert.equal(j.protocol_version, '0.1');
  assert.equal(j.min_supported_protocol_version, '0.1');
  assert.equal(j.skill_doc_url, `${BASE}/skill.md`);
  assert.ok(Number.isInteger(j.action_timeout_ms) && j.action_timeout_ms > 0);
  return j;
}

// The list item shape of reference/moltpoker.md §3, field by field.
function assertTableItem(t) {
  assert.deepEqual(Object.keys(t).sort(), ['availableSeats', 'bucket_key', 'config', 'created_at',
    'id', 'playerCount', 'realMoney', 'seats', 'status']);
  assert.match(t.id, /^[0-9a-f-]{36}$/);
  assert.ok(['waiting', 'running', 'ended'].includes(t.status));
  const c = t.config;
  assert.ok(Number.isInteger(c.blinds.small) && Number.isInteger(c.blinds.big));
  for (const k of ['maxSeats', 'initialStack', 'actionTimeoutMs', 'minPlayersToStart'])
    assert.ok(Number.isInteger(c[k]), k);
  assert.equal(c.realMoney, false);
  assert.equal(t.seats.length, c.maxSeats);
  t.seats.forEach((s, i) => {
    assert.deepEqual(Object.keys(s).sort(), ['agentId', 'agentName', 'isActive', 'seatId', 'stack']);
    assert.equal(s.seatId, i);
    assert.ok(Number.isInteger(s.stack));
    assert.equal(typeof s.isActive, 'boolean');
    if (s.agentId === null) assert.equal(s.agentName, null);
  });
  assert.equal(t.availableSeats, t.seats.filter((s) => s.agentId === null).length);
  assert.equal(t.playerCount, t.seats.length - t.availableSeats);
  assert.match(t.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(t.realMoney, false);
}

// A psql session LISTENing on felt_tables; received() says whether payload has arrived.
async function listener() {
  const p = spawn('psql', ['-X', '-q', '-At', '-d', DB], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stdin.write("LISTEN felt_tables; SELECT 'listening';\n");
  await waitFor(() => out.includes('listening'));
  return {
    async received(payload) {
      return waitFor(() => { p.stdin.write('SELECT 1;\n'); return out.includes(`payload "${payload}"`); })
        .then(() => true, () => false);
    },
    close() { p.stdin.end(); },
  };
}

test('auto-join seats an agent: JoinResponse, hashed session, seat command, NOTIFY', async () => {
  const a = await agent();
  const b = bucket();
  const l = await listener();
  let j;
  try {
    j = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
    assert.ok(await l.received(j.table_id), 'NOTIFY felt_tables with the table id');
  } finally { l.close(); }
  assert.equal(j.seat_id, 0);
  assert.equal(j.action_timeout_ms, 30000);
  // Only the token's SHA-256 is stored, with a one-hour expiry.
  const row = sql(`SELECT agent_id || '|' || table_id || '|' || seat_no || '|' ||
    round(extract(epoch FROM expires_at - created_at)) || '|' || (revoked_at IS NULL)
    FROM sessions WHERE token_hash = '${sha256(j.session_token)}'`);
  assert.equal(row, `${a.id}|${j.table_id}|0|3600|true`);
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE token_hash = '${j.session_token}'`), '0');
  assert.equal(sql(`SELECT kind || '|' || agent_id || '|' || seat_no || '|' || requested_by
    FROM table_commands WHERE table_id = '${j.table_id}'`), `seat|${a.id}|0|${a.id}`);
  // felt-wsd, live, applies it (and says so).
  await waitFor(() => sql(`SELECT result FROM table_commands WHERE table_id = '${j.table_id}'`) === 'ok');
  // The table: waiting, the bucket's, the defaults of DESIGN §4.
  assert.equal(sql(`SELECT status || '|' || kind || '|' || bucket_key || '|' || small_blind_chips || '/' ||
    big_blind_chips || '|' || max_seats || '|' || initial_stack_chips || '|' || action_timeout_ms || '|' ||
    min_players || '|' || start_delay_ms || '|' || chip_ucents FROM tables WHERE id = '${j.table_id}'`),
  `waiting|agent|${b}|1/2|6|100|30000|2|3000|0`);
  assert.equal(sql(`SELECT count(*) || '|' || count(agent_id) || '|' || max(stack_chips)
    FROM seats WHERE table_id = '${j.table_id}'`), '6|1|100');
});

test('no bucket_key (or an empty one) is the default bucket', async () => {
  const a = await agent();
  const b = await agent();
  const ja = assertJoinResponse(await api('POST', '/v1/tables/auto-join', { key: a.key, body: {} }));
  const jb = assertJoinResponse(await autoJoin(b, { bucket_key: '' }));
  assert.equal(sql(`SELECT bucket_key FROM tables WHERE id = '${ja.table_id}'`), 'default');
  assert.equal(sql(`SELECT bucket_key FROM tables WHERE id = '${jb.table_id}'`), 'default');
  // An empty body counts as {} (curl -X POST without -d).
  const c = await agent();
  assertJoinResponse(await api('POST', '/v1/tables/auto-join', { key: c.key }));
});

test('auto-join again in the same bucket: a fresh session for the same seat, old one revoked', async () => {
  const a = await agent();
  const b = bucket();
  const first = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
  const again = assertJoinResponse(await autoJoin(a, { bucket_key: b, preferred_seat: 5 }));
  assert.equal(again.table_id, first.table_id);
  assert.equal(again.seat_id, first.seat_id);
  assert.notEqual(again.session_token, first.session_token);
  assert.equal(sql(`SELECT revoked_at IS NOT NULL FROM sessions WHERE token_hash = '${sha256(first.session_token)}'`), 't');
  assert.equal(sql(`SELECT revoked_at IS NULL FROM sessions WHERE token_hash = '${sha256(again.session_token)}'`), 't');
  // Still while the table runs (its seat is the agent's until the game ends).
  setStatus(first.table_id, 'running');
  const running = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
  assert.equal(running.table_id, first.table_id);
  assert.equal(running.seat_id, first.seat_id);
  // Join by id re-issues too, on a running table.
  const byId = assertJoinResponse(await join(a, first.table_id));
  assert.equal(byId.seat_id, first.seat_id);
  assert.equal(sql(`SELECT count(*) FROM seats WHERE agent_id = '${a.id}'`), '1');
  // Eliminated (no chips left, felt-wsd committed it): auto-join finds a new table.
  sql(`UPDATE seats SET stack_chips = 0 WHERE table_id = '${first.table_id}' AND agent_id = '${a.id}'`);
  const fresh = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
  assert.notEqual(fresh.table_id, first.table_id);
  assert.equal(assertJoinResponse(await join(a, first.table_id)).seat_id, first.seat_id, 'join still re-issues');
  // The old table ended: auto-join answers the seat held at the new one.
  setStatus(first.table_id, 'ended');
  const next = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
  assert.equal(next.table_id, fresh.table_id, 'the seat it holds at a waiting table');
});

test('a bucket_key sb{S}_bb{B}_seats{N}_timeout{MS} configures the table it creates', async () => {
  const a = await agent();
  const tag = crypto.randomBytes(1)[0] % 40; // bb stays below the default stack
  const key = `sb${5 + tag}_bb${10 + 2 * tag}_seats3_timeout${15000 + tag}`;
  // Tables of earlier runs in the same bucket may wait: start from a clean bucket.
  sql(`UPDATE tables SET status = 'ended', ended_at = now(), end_reason = 'admin_stopped'
       WHERE bucket_key = '${key}' AND status <> 'ended'`);
  const j = assertJoinResponse(await autoJoin(a, { bucket_key: key }));
  assert.equal(j.action_timeout_ms, 15000 + tag);
  const t = (await api('GET', `/v1/tables/${j.table_id}`)).json;
  assertTableItem(t);
  assert.deepEqual(t.config.blinds, { small: 5 + tag, big: 10 + 2 * tag });
  assert.equal(t.config.maxSeats, 3);
  assert.equal(t.config.actionTimeoutMs, 15000 + tag);
  assert.equal(t.config.initialStack, 100);
  assert.equal(t.config.minPlayersToStart, 2);
  assert.equal(t.bucket_key, key);
  // Other keys are labels with the defaults.
  const l = assertJoinResponse(await autoJoin(a, { bucket_key: bucket('sb1_bb2_seats6') }));
  assert.equal(sql(`SELECT small_blind_chips || '/' || big_blind_chips || '|' || max_seats
    FROM tables WHERE id = '${l.table_id}'`), '1/2|6');
});

test('bad bucket keys are 400 VALIDATION_ERROR naming the part', async () => {
  const a = await agent();
  for (const [key, part] of [['sbx_bb2_seats6_timeout30000', 'sb'], ['sb2_bb2_seats6_timeout30000', 'bb'],
    ['sb1_bb2_seats11_timeout30000', 'seats'], ['sb1_bb2_seats1_timeout30000', 'seats'],
    ['sb1_bb2_seats6_timeout10', 'timeout'], ['sb1_bb0_seats6_timeout30000', 'bb'],
    ['sb1_bb2_seats6_timeout99999999999999', 'timeout'], ['sb1_bb500_seats6_timeout30000', 'bb']]) {
    const r = await autoJoin(a, { bucket_key: key });
    assertV1Error(r, 400, 'VALIDATION_ERROR');
    assert.match(r.json.error.message, new RegExp(`^bucket_key: ${part} `), r.body);
    assert.deepEqual(r.json.error.details[0].path, ['bucket_key']);
  }
  for (const key of [5, true, ['x'], { a: 1 }, 'x'.repeat(65), 'tab\there'])
    assertV1Error(await autoJoin(a, { bucket_key: key }), 400, 'VALIDATION_ERROR');
  assert.equal(sql(`SELECT count(*) FROM seats WHERE agent_id = '${a.id}'`), '0');
});

test('a full table is left for felt-wsd to start; the next agent gets a new table', async () => {
  const b = bucket();
  const agents = await Promise.all(Array.from({ length: 7 }, agent));
  const joins = [];
  for (const a of agents) joins.push(assertJoinResponse(await autoJoin(a, { bucket_key: b })));
  const first = joins[0].table_id;
  assert.deepEqual(joins.slice(0, 6).map((j) => [j.table_id, j.seat_id]),
    [0, 1, 2, 3, 4, 5].map((s) => [first, s]));
  assert.notEqual(joins[6].table_id, first);
  assert.equal(joins[6].seat_id, 0);
  const t = (await api('GET', `/v1/tables/${first}`)).json;
  assert.equal(t.availableSeats, 0);
  assert.equal(t.playerCount, 6);
  // And felt-wsd starts it at once.
  await waitFor(async () => (await api('GET', `/v1/tables/${first}`)).json.status === 'running');
});

test('20 agents auto-joining one bucket at once: no seat twice, no agent twice, <= max seats', async () => {
  const b = bucket('race');
  const agents = await Promise.all(Array.from({ length: 20 }, agent));
  // Every agent asks twice at the same moment: both answers name the same seat.
  const rs = await Promise.all([...agents, ...agents].map((a) => autoJoin(a, { bucket_key: b })));
  const js = rs.map(assertJoinResponse);
  for (let i = 0; i < 20; i++) {
    assert.equal(js[i].table_id, js[i + 20].table_id);
    assert.equal(js[i].seat_id, js[i + 20].seat_id);
  }
  const seats = new Set(js.slice(0, 20).map((j) => `${j.table_id}/${j.seat_id}`));
  assert.equal(seats.size, 20, 'every agent has its own seat');
  const rows = sql(`SELECT s.table_id || ' ' || count(*) FILTER (WHERE s.agent_id IS NOT NULL) || ' ' || t.max_seats
    FROM seats s JOIN tables t ON t.id = s.table_id WHERE t.bucket_key = '${b}' GROUP BY s.table_id, t.max_seats`)
    .split('\n');
  assert.equal(rows.length, 4, 'ceil(20 / 6) tables');
  for (const row of rows) {
    const [, seated, max] = row.split(' ').map(Number);
    assert.ok(seated <= max, row);
  }
  assert.equal(sql(`SELECT count(*) || ' ' || count(DISTINCT s.agent_id) FROM seats s JOIN tables t
    ON t.id = s.table_id WHERE t.bucket_key = '${b}' AND s.agent_id IS NOT NULL`), '20 20');
  // One valid session per agent, whichever answer came last.
  assert.equal(sql(`SELECT count(*) FROM sessions s JOIN tables t ON t.id = s.table_id
    WHERE t.bucket_key = '${b}' AND s.revoked_at IS NULL`), '20');
});

test('preferred_seat: honoured when free, else the lowest free seat; 0-9 integers only', async () => {
  const t = await adminTable({ config: { maxSeats: 4 } });
  const [a, b, c, d] = await Promise.all(Array.from({ length: 4 }, agent));
  assert.equal(assertJoinResponse(await join(a, t.id, { preferred_seat: 2 })).seat_id, 2);
  assert.equal(assertJoinResponse(await join(b, t.id, { preferred_seat: 2 })).seat_id, 0);
  assert.equal(assertJoinResponse(await join(c, t.id, { preferred_seat: 8 })).seat_id, 1);
  for (const p of [10, -1, '3', 1.5, true, {}])
    assertV1Error(await join(d, t.id, { preferred_seat: p }), 400, 'VALIDATION_ERROR');
  assert.equal(assertJoinResponse(await join(d, t.id, { preferred_seat: null })).seat_id, 3);
});

test('client_protocol_version compares numerically: OUTDATED_CLIENT carries where to read', async () => {
  const a = await agent();
  const b = bucket();
  for (const v of ['0.0.9', '0', '0.0']) {
    const r = await autoJoin(a, { bucket_key: b, client_protocol_version: v });
    assertV1Error(r, 400, 'OUTDATED_CLIENT');
    assert.equal(r.json.error.min_supported_protocol_version, '0.1');
    assert.equal(r.json.error.skill_doc_url, `${BASE}/skill.md`);
  }
  const t = await adminTable();
  assertV1Error(await join(a, t.id, { client_protocol_version: '0.0.1' }), 400, 'OUTDATED_CLIENT');
  for (const v of ['abc', '0.1-beta', 1, [], '1..2'])
    assertV1Error(await autoJoin(a, { bucket_key: b, client_protocol_version: v }), 400, 'VALIDATION_ERROR');
  assert.equal(sql(`SELECT count(*) FROM seats WHERE agent_id = '${a.id}'`), '0');
  // "0.10" is newer than "0.9" (a string comparison would say older); absent means "0.1".
  assertJoinResponse(await autoJoin(a, { bucket_key: b, client_protocol_version: '0.10' }));
  assertJoinResponse(await api('POST', '/v1/tables/auto-join', { key: a.key, body: { bucket_key: b } }));
});

test('authentication: 401 UNAUTHORIZED without or with a wrong key, bare keys accepted', async () => {
  const t = await adminTable();
  const calls = [['POST', '/v1/tables/auto-join'], ['POST', `/v1/tables/${t.id}/join`],
    ['POST', `/v1/tables/${t.id}/leave`]];
  for (const [m, p] of calls) {
    let r = await api(m, p, { body: {} });
    assertV1Error(r, 401, 'UNAUTHORIZED');
    assert.equal(r.headers.get('www-authenticate'), 'Bearer');
    r = await api(m, p, { body: {}, key: `mpk_${'0'.repeat(64)}` });
    assertV1Error(r, 401, 'UNAUTHORIZED');
    r = await api(m, p, { body: {}, key: 'garbage' });
    assertV1Error(r, 401, 'UNAUTHORIZED');
  }
  const a = await agent();
  const r = await api('POST', `/v1/tables/${t.id}/join`, { headers: { authorization: a.key }, body: {} });
  assertJoinResponse(r);
});

test('GET /v1/tables: the reference shape, status filter, pages, bounded parameters', async () => {
  const created = [];
  for (let i = 0; i < 3; i++) created.push((await adminTable()).id);
  let r = await api('GET', '/v1/tables?limit=3');
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(Object.keys(r.json).sort(), ['hasMore', 'protocol_version', 'tables']);
  assert.equal(r.json.protocol_version, '0.1');
  assert.equal(r.json.tables.length, 3);
  r.json.tables.forEach(assertTableItem);
  // Newest first: the three just created lead the list.
  assert.deepEqual(r.json.tables.map((t) => t.id), created.slice().reverse());
  assert.equal(r.json.hasMore, true);
  // Pages do not overlap.
  const p2 = (await api('GET', '/v1/tables?limit=2&offset=1')).json;
  assert.deepEqual(p2.tables.map((t) => t.id), [created[1], created[0]]);
  // Default limit 10.
  assert.ok((await api('GET', '/v1/tables')).json.tables.length <= 10);
  // status filter
  setStatus(created[0], 'running');
  setStatus(created[1], 'ended');
  for (const s of ['waiting', 'running', 'ended']) {
    const l = (await api('GET', `/v1/tables?status=${s}&limit=100`)).json;
    assert.ok(l.tables.every((t) => t.status === s), s);
  }
  assert.ok((await api('GET', '/v1/tables?status=running&limit=100')).json.tables.some((t) => t.id === created[0]));
  for (const q of ['status=playing', 'status=WAITING', 'limit=0', 'limit=101', 'limit=abc', 'limit=-1',
    'offset=-1', 'offset=x', 'offset=1000001', 'limit=1e2', `limit=${'9'.repeat(30)}`])
    assertV1Error(await api('GET', `/v1/tables?${q}`), 400, 'VALIDATION_ERROR');
  // The end of the list.
  const far = (await api('GET', '/v1/tables?offset=1000000')).json;
  assert.deepEqual(far, { tables: [], hasMore: false, protocol_version: '0.1' });
});

test('GET /v1/tables/:id: seats with names and committed stacks; 404 TABLE_NOT_FOUND', async () => {
  const b = bucket();
  const [a, c] = await Promise.all([agent(), agent()]);
  const ja = assertJoinResponse(await autoJoin(a, { bucket_key: b }));
  assertJoinResponse(await autoJoin(c, { bucket_key: b, preferred_seat: 3 }));
  let t = (await api('GET', `/v1/tables/${ja.table_id}`)).json;
  assertTableItem(t);
  assert.equal(t.status, 'waiting');
  assert.equal(t.bucket_key, b);
  assert.equal(t.seats[0].agentId, a.id);
  assert.match(t.seats[0].agentName, /^tbl /);
  assert.equal(t.seats[0].stack, 100);
  assert.equal(t.seats[0].isActive, true);
  assert.equal(t.seats[3].agentId, c.id);
  assert.equal(t.seats[1].isActive, false);
  // What felt-wsd commits after each hand is what the API shows: no stale buy-ins.
  setStatus(ja.table_id, 'running');
  sql(`UPDATE seats SET stack_chips = CASE seat_no WHEN 0 THEN 0 ELSE 200 END
       WHERE table_id = '${ja.table_id}' AND agent_id IS NOT NULL`);
  t = (await api('GET', `/v1/tables/${ja.table_id}`)).json;
  assert.equal(t.status, 'running');
  assert.equal(t.seats[0].stack, 0);
  assert.equal(t.seats[0].isActive, false);
  assert.equal(t.seats[3].stack, 200);
  const listed = (await api('GET', '/v1/tables?status=running&limit=100')).json.tables
    .find((x) => x.id === ja.table_id);
  assert.deepEqual(listed, t);
  assertV1Error(await api('GET', `/v1/tables/${crypto.randomUUID()}`), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await api('GET', '/v1/tables/not-a-uuid'), 404, 'TABLE_NOT_FOUND');
});

test('join: waiting tables only, unless already seated; TABLE_FULL, TABLE_ENDED, 404', async () => {
  const t = await heldTable({ config: { maxSeats: 2 } });
  const [a, b, c] = await Promise.all([agent(), agent(), agent()]);
  const ja = assertJoinResponse(await join(a, t.id));
  assert.equal(ja.table_id, t.id);
  assertJoinResponse(await join(b, t.id));
  assertV1Error(await join(c, t.id), 400, 'TABLE_FULL');
  // Running: the player set is fixed, a seated agent gets a fresh session.
  const r = await heldTable();
  const jr = assertJoinResponse(await join(a, r.id));
  setStatus(r.id, 'running');
  assertV1Error(await join(c, r.id), 400, 'INVALID_TABLE_STATE');
  const again = assertJoinResponse(await join(a, r.id));
  assert.equal(again.seat_id, jr.seat_id);
  setStatus(r.id, 'ended');
  assertV1Error(await join(a, r.id), 400, 'TABLE_ENDED');
  assertV1Error(await join(c, r.id), 400, 'TABLE_ENDED');
  assertV1Error(await join(c, crypto.randomUUID()), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await join(c, 'tbl_123'), 404, 'TABLE_NOT_FOUND');
  // Bodies: not JSON, not an object.
  for (const body of ['{', '[]', '"x"', 'null'])
    assertV1Error(await api('POST', `/v1/tables/${t.id}/join`,
      { key: c.key, body, headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
});

test('leave: a waiting seat is cleared at once; a running one through felt-wsd', async () => {
  const t = await heldTable();
  const [a, b] = await Promise.all([agent(), agent()]);
  const ja = assertJoinResponse(await join(a, t.id));
  const l = await listener();
  try {
    let r = await leave(a, t.id);
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(r.json, { success: true, message: 'Successfully left the table' });
    assert.ok(await l.received(t.id));
  } finally { l.close(); }
  assert.equal(sql(`SELECT coalesce(agent_id::text, '-') || '|' || stack_chips FROM seats
    WHERE table_id = '${t.id}' AND seat_no = ${ja.seat_id}`), '-|0');
  assert.equal(sql(`SELECT revoked_at IS NOT NULL FROM sessions WHERE token_hash = '${sha256(ja.session_token)}'`), 't');
  assert.equal(sql(`SELECT string_agg(kind, ',' ORDER BY id) FROM table_commands WHERE table_id = '${t.id}'`),
    'seat,leave');
  assertV1Error(await leave(a, t.id), 400, 'NOT_SEATED');
  assertV1Error(await leave(b, t.id), 400, 'NOT_SEATED');
  // The seat is free again.
  assert.equal(assertJoinResponse(await join(b, t.id)).seat_id, ja.seat_id);

  // Running: a leave command (felt-wsd folds and clears), sessions revoked at once.
  const r2 = await heldTable();
  const jb = assertJoinResponse(await join(a, r2.id));
  setStatus(r2.id, 'running');
  let r = await leave(a, r2.id);
  assert.deepEqual(r.json, { success: true, message: 'Successfully left the table' });
  assert.equal(sql(`SELECT agent_id FROM seats WHERE table_id = '${r2.id}' AND seat_no = ${jb.seat_id}`), a.id);
  assert.equal(sql(`SELECT kind || '|' || agent_id || '|' || seat_no FROM table_commands
    WHERE table_id = '${r2.id}' AND kind = 'leave'`), `leave|${a.id}|${jb.seat_id}`);
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE table_id = '${r2.id}' AND revoked_at IS NULL`), '0');
  // While it is being applied, the agent is not seated: no second leave, no new session.
  assertV1Error(await leave(a, r2.id), 400, 'NOT_SEATED');
  assertV1Error(await join(a, r2.id), 400, 'INVALID_TABLE_STATE');
  // Ended: a no-op, the seat is kept (final stacks stay visible).
  setStatus(r2.id, 'ended');
  r = await leave(a, r2.id);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json, { success: true, message: 'Table already ended; leave is a no-op' });
  assertV1Error(await leave(a, crypto.randomUUID()), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await leave(a, 'nope'), 404, 'TABLE_NOT_FOUND');
  // No body at all is fine too.
  assertV1Error(await api('POST', `/v1/tables/${t.id}/leave`, { key: a.key }), 400, 'NOT_SEATED');
});

// A committed hand 1 of table id with seats 0 and 1 dealt, seat 1 shown at showdown.
function commitHand(id, number, shown) {
  const hex = (c) => c.repeat(64);
  const [a0, a1] = sql(`SELECT string_agg(agent_id::text, ' ' ORDER BY seat_no) FROM seats
    WHERE table_id = '${id}' AND agent_id IS NOT NULL`).split(' ');
  sql(`WITH h AS (INSERT INTO hands (table_id, hand_number, button_seat, small_blind_chips, big_blind_chips,
         chip_ucents, deck_commitment, deck_seed, board, pot_chips, started_at, ended_at, events)
       VALUES ('${id}', ${number}, 0, 1, 2, 0, '${hex('a')}', '${hex('b')}', 'AsKd7c2h9s', 4, now(), now(), '[]')
       RETURNING id)
       INSERT INTO hand_seats (hand_id, seat_no, agent_id, start_stack_chips, end_stack_chips, won_chips, hole_cards, shown)
       SELECT h.id, s, CASE s WHEN 0 THEN '${a0}'::uuid ELSE '${a1}'::uuid END, 100, 100, 0,
              CASE s WHEN 0 THEN 'QhQd' ELSE 'JcTc' END, s = ANY('{${shown}}'::int[]) FROM h, generate_series(0, 1) s;
       UPDATE tables SET hand_number = ${number} WHERE id = '${id}'`);
}

test('events: public, in seq order, hole cards only of committed hands and only where shown', async () => {
  const t = await adminTable();
  const [a, b] = await Promise.all([agent(), agent()]);
  assertJoinResponse(await join(a, t.id));
  assertJoinResponse(await join(b, t.id));
  let r = await api('GET', `/v1/tables/${t.id}/events`);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json, { events: [], hasMore: false });
  setStatus(t.id, 'running');
  commitHand(t.id, 1, '1');
  const ev = (seq, hand, type, payload) => `('${t.id}', ${seq}, ${hand}, '${type}', '${JSON.stringify(payload)}')`;
  const players = [{ seatId: 0, agentId: a.id, stack: 100, holeCards: ['Qh', 'Qd'] },
    { seatId: 1, agentId: b.id, stack: 100, holeCards: ['Jc', 'Tc'] }];
  sql(`INSERT INTO table_events (table_id, seq, hand_number, type, payload) VALUES
    ${ev(1, 'NULL', 'TABLE_STARTED', { config: { maxSeats: 6 } })},
    ${ev(2, 1, 'HAND_START', { handNumber: 1, dealerSeat: 0, players })},
    ${ev(3, 1, 'STREET_DEALT', { handNumber: 1, street: 'flop', cards: ['As', 'Kd', '7c'] })},
    ${ev(4, 1, 'HAND_COMPLETE', { handNumber: 1, results: [{ seatId: 0, holeCards: ['Qh', 'Qd'] },
    { seatId: 1, hole_cards: 'JcTc', winnings: 4 }], showdown: true })},
    ${ev(5, 'NULL', 'PLAYER_LEFT', { seat: 0, cards: ['Qh', 'Qd'] })},
    ${ev(6, 2, 'HAND_START', { handNumber: 2, players })},
    ${ev(7, 2, 'PLAYER_ACTION', { handNumber: 2, seatId: 0, kind: 'call' })}`);
  r = await api('GET', `/v1/tables/${t.id}/events`);
  assert.equal(r.status, 200, r.body);
  const { events, hasMore } = r.json;
  // Hand 2 has not committed: the stream stops before it.
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4, 5]);
  assert.equal(hasMore, false);
  for (const e of events) {
    assert.deepEqual(Object.keys(e).sort(), ['created_at', 'payload', 'seq', 'type']);
    assert.match(e.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
  assert.equal(events[1].type, 'HAND_START');
  assert.deepEqual(events[1].payload.players[0], { seatId: 0, agentId: a.id, stack: 100, holeCards: null });
  assert.deepEqual(events[1].payload.players[1].holeCards, ['Jc', 'Tc']);
  assert.deepEqual(events[2].payload.cards, ['As', 'Kd', '7c'], 'board cards stay');
  assert.deepEqual(events[3].payload.results, [{ seatId: 0, holeCards: null },
    { seatId: 1, hole_cards: 'JcTc', winnings: 4 }]);
  assert.deepEqual(events[4].payload, { seat: 0, cards: null });
  assert.ok(!JSON.stringify(events).includes('Qh'), 'the unshown hand never leaks');
  // Hand 2 commits (nothing shown): its events appear, without any hole card.
  commitHand(t.id, 2, '');
  const all = (await api('GET', `/v1/tables/${t.id}/events?fromSeq=6`)).json;
  assert.deepEqual(all.events.map((e) => e.seq), [6, 7]);
  assert.ok(!JSON.stringify(all).includes('Jc'));
  // Pages.
  let page = (await api('GET', `/v1/tables/${t.id}/events?fromSeq=2&limit=2`)).json;
  assert.deepEqual(page.events.map((e) => e.seq), [2, 3]);
  assert.equal(page.hasMore, true);
  page = (await api('GET', `/v1/tables/${t.id}/events?fromSeq=6&limit=2`)).json;
  assert.equal(page.hasMore, false);
  page = (await api('GET', `/v1/tables/${t.id}/events?fromSeq=100`)).json;
  assert.deepEqual(page, { events: [], hasMore: false });
  for (const q of ['fromSeq=-1', 'fromSeq=x', 'limit=0', 'limit=1001', 'limit=1.5', `fromSeq=${'9'.repeat(20)}`])
    assertV1Error(await api('GET', `/v1/tables/${t.id}/events?${q}`), 400, 'VALIDATION_ERROR');
  assertV1Error(await api('GET', `/v1/tables/${crypto.randomUUID()}/events`), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await api('GET', '/v1/tables/x/events'), 404, 'TABLE_NOT_FOUND');
});

test('hand_count in /api/platform/revenue counts committed hands', async () => {
  const key = getPlatformKey();
  const before = (await api('GET', '/api/platform/revenue', { key })).json;
  const t = await adminTable();
  const [a, b] = await Promise.all([agent(), agent()]);
  await join(a, t.id);
  await join(b, t.id);
  setStatus(t.id, 'running');
  commitHand(t.id, 1, '');
  const after = (await api('GET', '/api/platform/revenue', { key })).json;
  assert.equal(after.hand_count, before.hand_count + 1);
  assert.equal(after.today_hand_count, before.today_hand_count + 1);
  assert.equal(after.hand_count, Number(sql('SELECT count(*) FROM hands')));
});

test('admin: platform key only (401 without a key, 403 for another agent)', async () => {
  const a = await agent();
  const t = await adminTable();
  const calls = [['/v1/admin/tables', {}], [`/v1/admin/tables/${t.id}/start`, {}],
    [`/v1/admin/tables/${t.id}/stop`, {}], [`/v1/admin/agents/${a.id}/kick`, {}]];
  for (const [p, body] of calls) {
    assertV1Error(await api('POST', p, { body }), 401, 'UNAUTHORIZED');
    assertV1Error(await api('POST', p, { body, key: a.key }), 403, 'FORBIDDEN');
  }
  assert.equal(sql(`SELECT count(*) FROM table_commands WHERE table_id = '${t.id}'`), '0');
});

test('admin create: TableConfig validated; 201 {id, status, config, seats, created_at}', async () => {
  const key = getPlatformKey();
  let r = await api('POST', '/v1/admin/tables', { key, body: {
    config: { blinds: { small: 5, big: 10 }, maxSeats: 9, initialStack: 1000, actionTimeoutMs: 5000,
      minPlayersToStart: 3, seed: 'demo', realMoney: false }, bucket_key: bucket('adm') } });
  assert.equal(r.status, 201, r.body);
  assertTableItem(r.json);
  assert.equal(r.json.status, 'waiting');
  assert.deepEqual(r.json.config, { blinds: { small: 5, big: 10 }, maxSeats: 9, initialStack: 1000,
    actionTimeoutMs: 5000, minPlayersToStart: 3, startDelayMs: 3000, seed: 'demo', realMoney: false });
  assert.equal(r.json.seats.length, 9);
  assert.ok(r.json.seats.every((s) => s.agentId === null && s.stack === 0));
  assert.equal(sql(`SELECT created_by FROM tables WHERE id = '${r.json.id}'`), '00000000-0000-0000-0000-000000000001');
  // No body: the defaults, no bucket (not an auto-join target).
  r = await api('POST', '/v1/admin/tables', { key });
  assert.equal(r.status, 201, r.body);
  assert.equal(r.json.bucket_key, null);
  assert.equal(r.json.config.maxSeats, 6);
  // A structured bucket_key configures it; config wins over it.
  r = await api('POST', '/v1/admin/tables', { key, body: { bucket_key: 'sb2_bb4_seats4_timeout2000',
    config: { maxSeats: 5 }, seed: 'top' } });
  assert.equal(r.status, 201, r.body);
  assert.deepEqual([r.json.config.blinds.big, r.json.config.maxSeats, r.json.config.actionTimeoutMs,
    r.json.config.seed], [4, 5, 2000, 'top']);
  for (const [config, path] of [[{ blinds: { small: 0 } }, 'config.blinds.small'],
    [{ blinds: { small: 3, big: 2 } }, 'config.blinds.big'], [{ maxSeats: 11 }, 'config.maxSeats'],
    [{ maxSeats: '6' }, 'config.maxSeats'], [{ initialStack: 1 }, 'config.initialStack'],
    [{ actionTimeoutMs: 10 }, 'config.actionTimeoutMs'], [{ minPlayersToStart: 7 }, 'config.minPlayersToStart'],
    [{ startDelayMs: -1 }, 'config.startDelayMs'], [{ seed: 5 }, 'config.seed'], [[], 'config'],
    [{ realMoney: 'no' }, 'config.realMoney']]) {
    r = await api('POST', '/v1/admin/tables', { key, body: { config } });
    assertV1Error(r, 400, 'VALIDATION_ERROR');
    assert.deepEqual(r.json.error.details[0].path.join('.'), path, r.body);
    assert.match(r.json.error.message, new RegExp(`^${path.replace('.', '\\.')}`), r.body);
  }
  r = await api('POST', '/v1/admin/tables', { key, body: { config: { realMoney: true } } });
  assertV1Error(r, 400, 'REAL_MONEY_DISABLED');
  for (const body of [{ bucket_key: 5 }, { bucket_key: 'sb0_bb2_seats6_timeout1000' }, { seed: [] }])
    assertV1Error(await api('POST', '/v1/admin/tables', { key, body }), 400, 'VALIDATION_ERROR');
  assertV1Error(await api('POST', '/v1/admin/tables', { key, body: '{x',
    headers: { 'content-type': 'application/json' } }), 400, 'VALIDATION_ERROR');
});

test('admin start: waiting with >= 2 seated, else INVALID_TABLE_STATE; a start command', async () => {
  const key = getPlatformKey();
  const t = await heldTable();
  const start = (id) => api('POST', `/v1/admin/tables/${id}/start`, { key });
  const [a, b] = await Promise.all([agent(), agent()]);
  assertV1Error(await start(t.id), 400, 'INVALID_TABLE_STATE');
  await join(a, t.id);
  assertV1Error(await start(t.id), 400, 'INVALID_TABLE_STATE');
  await join(b, t.id);
  const l = await listener();
  try {
    const r = await start(t.id);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.success, true);
    assert.equal(r.json.hand_number, 1);
    assert.ok(await l.received(t.id));
  } finally { l.close(); }
  assert.equal((await start(t.id)).status, 200, 'asking twice files one command');
  assert.equal(sql(`SELECT count(*) || '|' || max(requested_by::text) FROM table_commands
    WHERE table_id = '${t.id}' AND kind = 'start'`), '1|00000000-0000-0000-0000-000000000001');
  setStatus(t.id, 'running');
  assertV1Error(await start(t.id), 400, 'INVALID_TABLE_STATE');
  setStatus(t.id, 'ended');
  assertV1Error(await start(t.id), 400, 'INVALID_TABLE_STATE');
  assertV1Error(await start(crypto.randomUUID()), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await start('x'), 404, 'TABLE_NOT_FOUND');
});

test('admin stop: any unended table gets a stop command; ended is a no-op', async () => {
  const key = getPlatformKey();
  const stop = (id) => api('POST', `/v1/admin/tables/${id}/stop`, { key });
  for (const status of ['waiting', 'running']) {
    const t = await heldTable();
    if (status === 'running') setStatus(t.id, 'running');
    const r = await stop(t.id);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.json.success, true);
    assert.equal(sql(`SELECT kind FROM table_commands WHERE table_id = '${t.id}'`), 'stop');
  }
  const t = await adminTable();
  setStatus(t.id, 'ended');
  const r = await stop(t.id);
  assert.equal(r.status, 200, r.body);
  assert.deepEqual(r.json, { success: true, message: 'Table already ended; stop is a no-op' });
  assert.equal(sql(`SELECT count(*) FROM table_commands WHERE table_id = '${t.id}'`), '0');
  assertV1Error(await stop(crypto.randomUUID()), 404, 'TABLE_NOT_FOUND');
});

test('admin kick: every unended seat of the agent; ended is a no-op; unseated 404', async () => {
  const key = getPlatformKey();
  const kick = (id) => api('POST', `/v1/admin/agents/${id}/kick`, { key });
  const a = await agent();
  const w = await heldTable();
  const ru = await heldTable();
  const jw = assertJoinResponse(await join(a, w.id));
  const jr = assertJoinResponse(await join(a, ru.id));
  setStatus(ru.id, 'running');
  const r = await kick(a.id);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.success, true);
  assert.equal(r.json.kicked.length, 2);
  assert.ok([w.id, ru.id].includes(r.json.table_id));
  // Waiting: seat cleared at once; running: felt-wsd clears it. Both: kick command, sessions revoked.
  assert.equal(sql(`SELECT count(*) FROM seats WHERE table_id = '${w.id}' AND agent_id IS NOT NULL`), '0');
  assert.equal(sql(`SELECT agent_id FROM seats WHERE table_id = '${ru.id}' AND seat_no = ${jr.seat_id}`), a.id);
  assert.equal(sql(`SELECT string_agg(kind || ':' || seat_no, ',' ORDER BY table_id) FROM table_commands
    WHERE agent_id = '${a.id}' AND kind = 'kick'`).split(',').sort().join(','),
  [`kick:${jw.seat_id}`, `kick:${jr.seat_id}`].sort().join(','));
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE agent_id = '${a.id}' AND revoked_at IS NULL`), '0');
  // Now only at an ended table: a no-op.
  setStatus(ru.id, 'ended');
  const e = await kick(a.id);
  assert.equal(e.status, 200, e.body);
  assert.equal(e.json.message, 'Table already ended; kick is a no-op');
  assert.equal(e.json.table_id, ru.id);
  const b = await agent();
  assertV1Error(await kick(b.id), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await kick(crypto.randomUUID()), 404, 'TABLE_NOT_FOUND');
  assertV1Error(await kick('x'), 404, 'TABLE_NOT_FOUND');
});

test('ws_url: the owning felt-wsd instance\'s, assigned to the least loaded live one', async () => {
  const inst = `itest-v1-${process.pid}`;
  const url = `ws://wsd-${process.pid}.invalid:9/v1/ws`;
  try {
    sql(`SELECT heartbeat_touch('wsd', '${inst}', 1, '{"ws_url": "${url}"}')`);
    const a = await agent();
    const j = assertJoinResponse(await autoJoin(a, { bucket_key: bucket() }));
    const owner = sql(`SELECT owner_instance || '|' || (lease_until > now()) FROM tables WHERE id = '${j.table_id}'`);
    const [ownerInst] = owner.split('|');
    assert.equal(owner.split('|')[1], 'true');
    assert.equal(j.ws_url, sql(`SELECT stats->>'ws_url' FROM heartbeats WHERE component = 'wsd'
      AND instance = '${ownerInst}'`));
    // An owner whose lease holds is kept; a stale instance is never chosen.
    sql(`UPDATE heartbeats SET last_seen_at = now() - interval '1 hour' WHERE instance = '${inst}'`);
    const b = await agent();
    const jb = assertJoinResponse(await autoJoin(b, { bucket_key: bucket() }));
    assert.notEqual(sql(`SELECT coalesce(owner_instance, '-') FROM tables WHERE id = '${jb.table_id}'`), inst);
  } finally {
    psql(`UPDATE tables SET owner_instance = NULL, lease_until = NULL WHERE owner_instance = '${inst}'`);
    psql(`DELETE FROM heartbeats WHERE instance = '${inst}'`);
  }
  if (!wsdAlive()) {
    // Nobody to own it: the table stays unowned, the default URL behind this nginx.
    const c = await agent();
    const jc = assertJoinResponse(await autoJoin(c, { bucket_key: bucket() }));
    assert.equal(jc.ws_url, `${BASE.replace(/^http/, 'ws')}/v1/ws`);
    assert.equal(sql(`SELECT owner_instance IS NULL FROM tables WHERE id = '${jc.table_id}'`), 't');
  }
});

test('hostile input never gets a 5xx', async () => {
  const a = await agent();
  const t = await adminTable();
  const key = getPlatformKey();
  const bodies = ['', '{}', '[]', 'null', '{"client_protocol_version":{}}', '{"preferred_seat":1e400}',
    '{"bucket_key":"\\u0000"}', '{"bucket_key":"\\ud800"}', `{"bucket_key":"${'é'.repeat(65)}"}`,
    '{"preferred_seat":9223372036854775808}', `{"config":${'['.repeat(40)}${']'.repeat(40)}}`,
    '{"config":{"blinds":{"small":-9223372036854775808}}}', '{"config":{"maxSeats":1e3}}'];
  const paths = [['/v1/tables/auto-join', a.key], [`/v1/tables/${t.id}/join`, a.key],
    [`/v1/tables/${t.id}/leave`, a.key], ['/v1/admin/tables', key], [`/v1/admin/tables/${t.id}/start`, key],
    [`/v1/admin/tables/${t.id}/stop`, key], [`/v1/admin/agents/${a.id}/kick`, key]];
  for (const [p, k] of paths) {
    for (const body of bodies) {
      const r = await api('POST', p, { key: k, body, headers: { 'content-type': 'application/json' } });
      assert.ok(r.status < 500, `${p} ${body}: ${r.status} ${r.body}`);
      assert.ok(r.json, r.body);
    }
  }
  for (const q of ['/v1/tables?status=%00', '/v1/tables?limit=%FF', '/v1/tables/%ZZ', `/v1/tables/${'a'.repeat(2000)}`,
    `/v1/tables/${t.id}/events?fromSeq=%20`, '/v1/tables?status=waiting&status=ended'])
    assert.ok((await api('GET', q)).status < 500, q);
});
