// Open Poker's lobby over /ws through nginx (issue 10 item 2): a FIFO queue in felt-wsd
// (wsd/lobby.c) with real places, already_in_lobby, leaving the queue, a closed socket;
// empty cash tables end and are never reused, a lone player's table is filled first
// (sql/061); auto-rebuy after a bust, the money checked in the ledger; /health's
// game.lobby_queue from felt-wsd's heartbeat.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const { api, waitFor } = require('./lib.js');
const { agent, opConnect, type, money, checkOpFrames, sql, accountingHolds } = require('./oplib.js');

const CHIP = 10; // ucents a chip (FELT_CASH_CHIP_UCENTS default)
const FUNDS = 100000; // '10.00' in ucents

// The lobby's decisions are serialized by this advisory lock (sql/061 cash_join).  A
// test holding it keeps the player being seated waiting in the database, so the
// players behind it stay in felt-wsd's queue for as long as the test needs.
function holdLobby() {
  const p = spawn('psql', ['-X', '-q', '-At', '-d', process.env.FELT_TEST_DB]);
  let out = '';
  p.stdout.on('data', (d) => { out += d; });
  p.stdin.write("SELECT 'locked' FROM pg_advisory_lock(hashtext('felt_cash_lobby'));\n");
  return {
    locked: () => waitFor(() => out.includes('locked')),
    release: () => new Promise((resolve) => { p.on('exit', resolve); p.stdin.end(); }),
  };
}

const heartbeatQueue = () => Number(sql("SELECT coalesce(sum((stats->>'lobby_queue')::int), 0) FROM heartbeats"
  + " WHERE component = 'wsd' AND last_seen_at > now() - interval '10 seconds'"));

// Cash tables still open with players (left over by earlier files: their seats are
// released after the 3 s grace).  The lobby tests start from none.
const openCashTables = () => Number(sql("SELECT count(DISTINCT t.id) FROM tables t JOIN seats s ON s.table_id = t.id"
  + " WHERE t.kind = 'cash' AND t.status <> 'ended' AND s.agent_id IS NOT NULL"));

// Every socket the tests open, closed at the end (an open one keeps node running).
const sockets = [];
test.after(() => { for (const c of sockets) c.close(); });

async function connected(n, dollars) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = await agent(dollars);
    const c = opConnect(a.api_key, { label: `p${i}` });
    sockets.push(c);
    await c.next(type('connected'));
    out.push({ a, c });
  }
  return out;
}

const tableOf = (agentId) => sql(`SELECT s.table_id FROM seats s JOIN tables t ON t.id = s.table_id
  WHERE s.agent_id = '${agentId}' AND t.kind = 'cash' AND t.status <> 'ended'`);

async function leaveAll(players) {
  for (const { c } of players) {
    c.send({ type: 'leave_table' });
    c.close();
  }
  await waitFor(() => players.every(({ a }) => money(a.agent_id).inPlay === 0), { tries: 600 });
}

test('FIFO: players queued at once get distinct places and are seated in that order', async () => {
  await waitFor(() => openCashTables() === 0, { tries: 400 });
  const players = await connected(6);
  const [late, gone] = await connected(2);
  const hold = holdLobby();
  await hold.locked();
  try {
    for (const { c } of players) c.send({ type: 'join_lobby', buy_in: 1000 });
    const places = [];
    for (const p of players) places.push((p.joined = await p.c.next(type('lobby_joined'))).position);
    assert.deepEqual([...places].sort((x, y) => x - y), [1, 2, 3, 4, 5, 6], `places ${places}`);
    for (const p of players) assert.match(p.joined.estimated_wait, /^~[1-9]\d*s$/);

    // A second join while waiting (or being seated) is already_in_lobby.
    for (const { c } of players.slice(0, 2)) {
      c.send({ type: 'join_lobby', buy_in: 1000 });
      assert.equal((await c.next(type('error'))).code, 'already_in_lobby');
    }
    // leave_table while queued takes the entry out (reference §3), answered not_at_table;
    // a socket that closes while queued is taken out too.
    late.c.send({ type: 'join_lobby', buy_in: 1000 });
    assert.equal((await late.c.next(type('lobby_joined'))).position, 7);
    gone.c.send({ type: 'join_lobby', buy_in: 1000 });
    assert.equal((await gone.c.next(type('lobby_joined'))).position, 8);
    late.c.send({ type: 'leave_table' });
    const e = await late.c.next(type('error'));
    assert.equal(e.code, 'not_at_table');
    assert.match(e.message, /lobby/);
    gone.c.close();
    await gone.c.waitClose();

    // The queue's length reaches the heartbeat and /health.
    await waitFor(() => heartbeatQueue() === 6);
    const h = (await api('GET', '/health')).json;
    assert.ok(Number.isInteger(h.game.lobby_queue) && h.game.lobby_queue >= 6, JSON.stringify(h.game));
  } finally {
    await hold.release();
  }

  // Seated in the order of their places: each one's table_joined lists everyone ahead.
  const byPlace = [...players].sort((x, y) => x.joined.position - y.joined.position);
  for (const p of byPlace) p.seated = await p.c.next(type('table_joined'), { timeoutMs: 30000 });
  const table = byPlace[0].seated.table_id;
  byPlace.forEach((p, k) => {
    assert.equal(p.seated.table_id, table, 'six fill one table');
    const names = p.seated.players.map((x) => x.name);
    for (const q of byPlace.slice(0, k)) assert.ok(names.includes(q.a.name), `${q.a.name} seated before ${p.a.name}`);
    assert.equal(p.seated.seat, k, 'seats follow the queue');
  });
  await waitFor(() => heartbeatQueue() === 0);
  // Those who left the queue were never seated nor charged.
  for (const p of [late, gone]) {
    assert.equal(tableOf(p.a.agent_id), '');
    assert.deepEqual(money(p.a.agent_id), { balance: FUNDS, inPlay: 0 });
  }
  // A seated player joining again is already_seated.
  byPlace[0].c.send({ type: 'join_lobby', buy_in: 1000 });
  const e = await byPlace[0].c.next(type('error'));
  assert.equal(e.code, 'already_seated');
  assert.equal(e.table_id, table);
  for (const p of players) checkOpFrames(p.c);
  await leaveAll(players);
  late.c.close();
  await waitFor(() => sql(`SELECT status FROM tables WHERE id = '${table}'`) === 'ended');
  await accountingHolds();
});

test('an emptied table ends and is never reused: the next join opens another', async () => {
  await waitFor(() => openCashTables() === 0, { tries: 400 });
  const [x, y] = await connected(2);
  x.c.send({ type: 'join_lobby', buy_in: 1500 });
  assert.equal((await x.c.next(type('lobby_joined'))).position, 1);
  const first = await x.c.next(type('table_joined'));
  assert.deepEqual(first.players.map((p) => p.name), [x.a.name]);
  assert.deepEqual(money(x.a.agent_id), { balance: FUNDS - 1500 * CHIP, inPlay: 1500 * CHIP });
  x.c.send({ type: 'leave_table' });
  assert.equal((await x.c.next(type('player_left'))).seat, first.seat);
  await waitFor(() => sql(`SELECT status || ' ' || end_reason FROM tables WHERE id = '${first.table_id}'`) === 'ended closed');
  assert.deepEqual(money(x.a.agent_id), { balance: FUNDS, inPlay: 0 });

  // The same player, then another: a new table, which the second one fills (it has a
  // player and room) rather than opening a third.
  x.c.send({ type: 'join_lobby', buy_in: 1500 });
  const again = await x.c.next(type('table_joined'));
  assert.notEqual(again.table_id, first.table_id, 'an ended table is never reused');
  y.c.send({ type: 'join_lobby' });
  const other = await y.c.next(type('table_joined'));
  assert.equal(other.table_id, again.table_id);
  assert.deepEqual(money(y.a.agent_id), { balance: FUNDS - 2000 * CHIP, inPlay: 2000 * CHIP }, 'default buy-in 2000');
  await leaveAll([x, y]);
  await waitFor(() => sql(`SELECT status FROM tables WHERE id = '${again.table_id}'`) === 'ended');
  checkOpFrames(x.c);
  await accountingHolds();
});

test('cash_join fills a lone player\'s table first, then the oldest with room, never an empty or closing one', async () => {
  // The rule itself, in one rolled-back transaction over tables of blinds no other test
  // uses (felt-wsd never sees them): EMPTY (oldest, waiting, no player), CLOSING (running
  // with one player: felt-wsd is ending it), OLD (running, two players), LONE (newest,
  // waiting, one player).
  const ids = await Promise.all([1, 2, 3, 4, 5].map(() => agent()));
  const [p1, p2, p3, p4, joiner] = ids.map((a) => a.agent_id);
  const mk = (name, age, status, players) => `
    INSERT INTO tables (kind, status, small_blind_chips, big_blind_chips, max_seats, initial_stack_chips,
      action_timeout_ms, min_players, start_delay_ms, chip_ucents, created_at)
    VALUES ('cash', '${status}', 7, 14, 6, 1000, 30000, 2, 0, 3, now() - interval '${age} minutes')
    RETURNING id AS ${name} \\gset
    INSERT INTO seats (table_id, seat_no) SELECT :'${name}', g FROM generate_series(0, 5) g;
    ${players.map((p, i) => `UPDATE seats SET agent_id = '${p}', stack_chips = 1000 WHERE table_id = :'${name}' AND seat_no = ${i};`).join('\n')}`;
  const join = "SELECT CASE table_id WHEN :'old' THEN 'old' WHEN :'lone' THEN 'lone' WHEN :'empty' THEN 'empty'"
    + " WHEN :'closing' THEN 'closing' ELSE 'new' END"
    + ` FROM cash_join('${joiner}', 1000, 3, 7, 14, 6, 1000, 5000, 30000, 0, 0);`;
  const script = `BEGIN;
    ${mk('empty', 40, 'waiting', [])}
    ${mk('closing', 30, 'running', [p4])}
    ${mk('old', 20, 'running', [p1, p2])}
    ${mk('lone', 10, 'waiting', [p3])}
    SAVEPOINT s;
    ${join}
    ROLLBACK TO s;
    DELETE FROM seats WHERE table_id = :'lone'; DELETE FROM tables WHERE id = :'lone';
    ${join}
    ROLLBACK TO s;
    UPDATE tables SET status = 'ended', ended_at = now(), end_reason = 'closed' WHERE id IN (:'lone', :'old');
    ${join}
    ROLLBACK;`;
  assert.deepEqual(spawnSyncPsql(script), ['lone', 'old', 'new']);
});

function spawnSyncPsql(script) {
  const r = spawnSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', process.env.FELT_TEST_DB], { input: script });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim().split('\n').filter(Boolean);
}

// Both players go all in every hand until one busts.
function allInBot(c) {
  let n = 0;
  c.ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type !== 'your_turn') return;
    const by = (k) => m.valid_actions.find((x) => x.action === k);
    const a = by('all_in') ? { action: 'all_in' } : by('call') ? { action: 'call' } : { action: 'check' };
    c.send({ type: 'action', hand_id: m.hand_id, turn_token: m.turn_token, client_action_id: `${c.label}-${n++}`, ...a });
  });
}

// Two agents with dollars each, seated together with 1,000 chips and auto-rebuy on,
// going all in until one busts (its busted, then its own player_left).
async function bust(dollars) {
  await waitFor(() => openCashTables() === 0, { tries: 400 });
  const [x, y] = await connected(2, dollars);
  for (const { c } of [x, y]) {
    c.send({ type: 'set_auto_rebuy', enabled: true });
    assert.deepEqual(await c.next(type('auto_rebuy_set')), { type: 'auto_rebuy_set', enabled: true });
  }
  x.c.send({ type: 'join_lobby', buy_in: 1000 });
  const jx = await x.c.next(type('table_joined'));
  y.c.send({ type: 'join_lobby', buy_in: 1000 });
  const jy = await y.c.next(type('table_joined'));
  assert.equal(jx.table_id, jy.table_id, 'a lone player\'s table is filled first');
  allInBot(x.c); allInBot(y.c);
  const busted = await Promise.race([x.c, y.c].map((c) => c.next(type('busted'), { timeoutMs: 120000 }).then(() => c)));
  const [loser, winner] = busted === x.c ? [x.a, y.a] : [y.a, x.a];
  const left = await busted.next(type('player_left'));
  assert.equal(left.table_id, jx.table_id);
  return { busted, loser, winner, table: jx.table_id };
}

test('auto-rebuy: a busted player is queued again with its last buy-in, reserved from its balance', async () => {
  const { busted, loser, winner, table } = await bust('10.00');
  assert.ok((await busted.next(type('lobby_joined'))).position >= 1);
  const seated = await busted.next(type('table_joined'), { timeoutMs: 30000 });
  assert.equal(seated.players.find((p) => p.seat === seated.seat).stack, 1000);
  // Its first buy-in is lost, the second reserved: balance + in-play = funds - 1,000 chips.
  await waitFor(() => money(loser.agent_id).inPlay === 1000 * CHIP);
  assert.deepEqual(money(loser.agent_id), { balance: FUNDS - 2000 * CHIP, inPlay: 1000 * CHIP });
  const rake = Number(sql(`SELECT coalesce(sum(rake_chips), 0) FROM hands WHERE table_id = '${table}'`));
  const w = money(winner.agent_id);
  assert.equal(w.balance + w.inPlay, FUNDS + 1000 * CHIP - rake * CHIP);
  checkOpFrames(busted);
  busted.close();
  await waitFor(() => money(loser.agent_id).inPlay === 0 && money(winner.agent_id).inPlay === 0, { tries: 600 });
  await accountingHolds();
});

test('auto-rebuy short of money: insufficient_funds, and nothing more', async () => {
  const { busted, loser } = await bust('1.50');
  const e = await busted.next(type('error'), { timeoutMs: 30000 });
  assert.equal(e.code, 'insufficient_funds');
  assert.deepEqual(money(loser.agent_id), { balance: 5000, inPlay: 0 });
  await waitFor(() => heartbeatQueue() === 0);
  assert.equal(tableOf(loser.agent_id), '');
  assert.ok(!busted.frames.slice(busted.seen).some((m) => m.type === 'table_joined'));
  busted.close();
});
