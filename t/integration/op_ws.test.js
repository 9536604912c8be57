// Open Poker over /ws through nginx (issue 10): connecting with an API key, the lobby
// and its money, hands played with random legal actions, every frame's shape and
// state_hash (recomputed by Python), each action_rejected code, session takeover,
// leaving and table close returning the chips to the balance.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { waitFor } = require('./lib.js');
const { agent, opConnect, type, money, checkOpFrames, bot, sql, pair, inPlayMatchesStacks, accountingHolds } =
  require('./oplib.js');

const CHIP = 10; // ucents a chip (FELT_CASH_CHIP_UCENTS default)

async function connected(c) {
  return c.next(type('connected'));
}

test('connecting: a key in the header or the query; none or a wrong one is auth_failed then 4001', async () => {
  const a = await agent(null);
  for (const c of [opConnect(null, { label: 'none' }), opConnect('op_live_' + 'x'.repeat(43), { label: 'bad' }),
    opConnect('nonsense', { label: 'junk', query: true })]) {
    const e = await c.next(type('error'));
    assert.equal(e.code, 'auth_failed');
    assert.equal((await c.waitClose()).code, 4001);
  }
  for (const c of [opConnect(a.api_key), opConnect(a.api_key, { query: true })]) {
    const m = await connected(c);
    assert.deepEqual(m, { type: 'connected', agent_id: a.agent_id, name: a.name });
    c.close();
    await c.waitClose();
  }
});

test('bad messages get an error and the connection stays usable; buy-ins are checked', async () => {
  const poor = await agent('0.50');
  const c = opConnect(poor.api_key);
  await connected(c);
  c.send('{not json');
  assert.equal((await c.next(type('error'))).code, 'invalid_message');
  c.send({ type: 'dance' });
  assert.equal((await c.next(type('error'))).code, 'unknown_message');
  c.send([1, 2]);
  assert.equal((await c.next(type('error'))).code, 'invalid_message');
  for (const buy_in of [2000.5, 999, 5001, '2000']) {
    c.send({ type: 'join_lobby', buy_in });
    assert.equal((await c.next(type('error'))).code, 'invalid_message', `buy_in ${buy_in}`);
  }
  c.send({ type: 'join_lobby', buy_in: 1000.0 });
  const e = await c.next(type('error'));
  assert.equal(e.code, 'insufficient_funds');
  assert.ok(!c.frames.some(type('lobby_joined')), 'refused at once, never queued');
  assert.deepEqual(money(poor.agent_id), { balance: 5000, inPlay: 0 });
  c.send({ type: 'leave_table' });
  assert.equal((await c.next(type('error'))).code, 'not_at_table');
  c.send({ type: 'set_auto_rebuy', enabled: true });
  assert.deepEqual(await c.next(type('auto_rebuy_set')), { type: 'auto_rebuy_set', enabled: true });
  c.send({ type: 'action', action: 'check' });
  assert.equal((await c.next(type('action_rejected'))).code, 'no_hand_in_progress');
  checkOpFrames(c);
  c.close();
});

test('two agents play hands from the lobby; money follows the committed stacks; leaving cashes out', async () => {
  const { a, b, ca, cb, table } = await pair([2000.0, 3000]);
  assert.deepEqual(money(a.agent_id), { balance: 100000 - 2000 * CHIP, inPlay: 2000 * CHIP });
  assert.deepEqual(money(b.agent_id), { balance: 100000 - 3000 * CHIP, inPlay: 3000 * CHIP });
  bot(ca); bot(cb);
  // 12 hands, or fewer if one busts: a busted player leaves the table at once, and the
  // table closes at the next deal with one player left (or when a leaves it empty).
  let hands = 0, last = null;
  while (hands < 12) {
    const m = await ca.next((f) => ['hand_result', 'table_closed', 'player_left'].includes(f.type), { timeoutMs: 30000 });
    if (m.type !== 'hand_result') break;
    hands++;
    last = m;
    inPlayMatchesStacks(table);
  }
  assert.ok(hands >= 1, 'a hand was played');
  const bust = Object.values(last.final_stacks).includes(0);
  ca.send({ type: 'leave_table' });
  // Without a bust both are seated: a leaves, and b, alone, sees the table close.
  if (!bust) await cb.next((m) => m.type === 'table_closed', { timeoutMs: 30000 });
  await waitFor(() => sql(`SELECT status FROM tables WHERE id = '${table}'`) === 'ended');
  await waitFor(() => money(a.agent_id).inPlay === 0 && money(b.agent_id).inPlay === 0);
  const ma = money(a.agent_id), mb = money(b.agent_id);
  const rake = Number(sql(`SELECT coalesce(sum(rake_chips), 0) FROM hands WHERE table_id = '${table}'`));
  assert.equal(ma.balance + mb.balance, 200000 - rake * CHIP, 'the two balances lose only the rake');
  assert.equal(sql(`SELECT status || ' ' || end_reason FROM tables WHERE id = '${table}'`), 'ended closed');
  const n = checkOpFrames(ca) + checkOpFrames(cb);
  assert.ok(n > 20, `${n} table_state frames checked`);
  // Hole cards: only the player's own, in hole_cards and in its hero.
  for (const c of [ca, cb]) {
    let mine = null;
    for (const m of c.frames) {
      if (m.type === 'hole_cards') mine = m.cards;
      if (m.type === 'table_state' && m.hero && m.hero.hole_cards) assert.deepEqual(m.hero.hole_cards, mine);
      if (m.type === 'your_turn') assert.ok(!m.players.some((p) => 'hole_cards' in p));
    }
  }
  await accountingHolds();
  ca.close(); cb.close();
});

test('every action_rejected code, idempotent retries, and the turn stays open', async () => {
  const { ca, cb } = await pair();
  // Who acts first: the first table_state of the hand says.
  const st = await ca.next((m) => m.type === 'table_state' && m.street === 'preflop');
  const seatA = ca.frames.find(type('table_joined')).seat;
  const [me, other] = st.actor_seat === seatA ? [ca, cb] : [cb, ca];
  const turn = await me.next(type('your_turn'));
  const act = (o) => me.send({ type: 'action', hand_id: turn.hand_id, turn_token: turn.turn_token, ...o });
  const rejected = async (c) => (await c.next(type('action_rejected'))).code;
  other.send({ type: 'action', action: 'fold', hand_id: turn.hand_id });
  assert.equal(await rejected(other), 'not_your_turn');
  act({ action: 'fold', turn_token: 'not-the-token' });
  assert.equal(await rejected(me), 'stale_turn_token');
  act({ action: 'fold', hand_id: '00000000-0000-4000-8000-000000000000' });
  assert.equal(await rejected(me), 'stale_hand_action');
  act({ action: 'raise', amount: 21 });
  assert.equal(await rejected(me), 'invalid_action');
  act({ action: 'shove' });
  assert.equal(await rejected(me), 'invalid_action');
  act({ action: 'call', client_action_id: 42 });
  assert.equal((await me.next(type('error'))).code, 'invalid_message');
  act({ action: 'raise', amount: 60.5 });
  assert.equal((await me.next(type('error'))).code, 'invalid_message');
  // The turn is still open: a legal action with a whole-number float amount.
  act({ action: 'raise', amount: 60.0, client_action_id: 'r-1' });
  const ack = await me.next(type('action_ack'));
  assert.equal(ack.client_action_id, 'r-1');
  const pa = await other.next((m) => m.type === 'player_action' && m.action_id === 'r-1');
  assert.equal(pa.action, 'raise');
  assert.equal(pa.amount, 60);
  assert.equal(pa.contribution_delta, 50, 'the small blind raised to 60 adds 50');
  assert.equal(pa.to_call_before, 10);
  assert.equal(pa.amount_mode, 'to_total');
  act({ action: 'raise', amount: 60, client_action_id: 'r-1' });
  assert.equal((await me.next(type('action_ack'))).client_action_id, 'r-1', 'a retry is acknowledged again');
  act({ action: 'call', client_action_id: 'r-1' });
  assert.equal(await rejected(me), 'action_id_conflict');
  checkOpFrames(ca); checkOpFrames(cb);
  ca.send({ type: 'leave_table' }); cb.send({ type: 'leave_table' });
  await ca.next(type('player_left')); await cb.next((m) => m.type === 'player_left' || m.type === 'table_closed');
  ca.close(); cb.close();
});

test('a second socket of the same agent takes over (the old one closes 4002) and is back at its seat', async () => {
  const { a, ca, cb, table } = await pair();
  const seat = (ca.frames.find(type('table_joined'))).seat;
  const again = opConnect(a.api_key, { label: 'a2' });
  await connected(again);
  assert.equal((await ca.waitClose()).code, 4002);
  const j = await again.next(type('table_joined'));
  assert.equal(j.table_id, table);
  assert.equal(j.seat, seat);
  const st = await again.next(type('table_state'));
  assert.equal(st.hero.seat, seat);
  again.send({ type: 'join_lobby', buy_in: 2000 });
  const e = await again.next(type('error'));
  assert.equal(e.code, 'already_seated');
  assert.equal(e.table_id, table);
  again.send({ type: 'resync_request', table_id: table, last_table_seq: 0 });
  const rs = await again.next(type('resync_response'));
  assert.equal(rs.role, 'player');
  assert.equal(rs.snapshot.type, 'table_state');
  assert.ok(Array.isArray(rs.replayed_events));
  checkOpFrames(again);
  again.send({ type: 'leave_table' });
  await again.next(type('player_left'));
  await cb.next(type('table_closed'), { timeoutMs: 30000 });
  await waitFor(() => money(a.agent_id).inPlay === 0);
  again.close(); cb.close();
});

test('a player whose connection is gone past the grace leaves the table; its chips go back', async () => {
  const { a, b, ca, cb, table } = await pair();
  bot(cb);
  await cb.next(type('hand_start'), { timeoutMs: 30000 });
  const seatA = ca.frames.find(type('table_joined')).seat;
  ca.terminate();
  // FELT_CASH_GRACE_MS (script/test: 3 s): then a leaves, and b, alone, sees the table close.
  const left = await cb.next((m) => m.type === 'player_left' && m.seat === seatA, { timeoutMs: 60000 });
  assert.equal(left.reason, 'leave');
  await cb.next(type('table_closed'), { timeoutMs: 30000 });
  await waitFor(() => money(a.agent_id).inPlay === 0 && money(b.agent_id).inPlay === 0);
  assert.equal(sql(`SELECT count(*) FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL`), '0');
  await accountingHolds();
  checkOpFrames(cb);
  cb.close();
});

test('flood control: 10 rejected actions in 5 s get flood_warning, 20 flood_kick and the seat', async () => {
  const { a, ca, cb, table } = await pair();
  const st = await ca.next((m) => m.type === 'table_state' && m.street === 'preflop');
  const seatA = ca.frames.find(type('table_joined')).seat;
  const [idle, actor] = st.actor_seat === seatA ? [cb, ca] : [ca, cb];
  for (let i = 0; i < 20; i++) idle.send({ type: 'action', action: 'check', client_action_id: `f${i}` });
  const warn = await idle.next((m) => m.type === 'error' && m.code.startsWith('flood'));
  assert.equal(warn.code, 'flood_warning');
  const kick = await idle.next((m) => m.type === 'error' && m.code.startsWith('flood'));
  assert.equal(kick.code, 'flood_kick');
  const left = await idle.next(type('player_left'));
  assert.equal(left.reason, 'kick');
  // (The 20th may come within a second of join_lobby: dropped over 20 messages/s, it
  // counts toward the flood all the same.)
  assert.equal(idle.frames.filter((m) => m.type === 'action_rejected' || m.code === 'rate_limited').length, 20);
  // The kicked player folds at its turn; the other, alone then, sees the table close.
  bot(actor);
  await actor.next(type('table_closed'), { timeoutMs: 30000 });
  await waitFor(() => Number(sql(`SELECT count(*) FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL`)) === 0);
  assert.equal(money(a.agent_id).inPlay, 0);
  ca.close(); cb.close();
});

test('GET /api/tables lists the open cash tables; GET /api/tables/{id} is a table_state with its hash', async () => {
  const { api } = require('./lib.js');
  const { pythonHashes } = require('./oplib.js');
  const { ca, cb, table } = await pair();
  const r = await api('GET', '/api/tables');
  assert.equal(r.status, 200, r.body);
  const row = r.json.find((x) => x.table_id === table);
  assert.deepEqual(row, { table_id: table, seats: 6, players: 2, small_blind: 0.01, big_blind: 0.02,
    hand_number: row.hand_number });
  const g = await api('GET', `/api/tables/${table}`);
  assert.equal(g.status, 200, g.body);
  assert.equal(g.json.type, 'table_state');
  assert.equal(g.json.table_id, table);
  assert.equal(g.json.seats.length, 6);
  assert.equal(g.json.seats.filter((s) => s.status !== 'empty').length, 2);
  assert.equal(g.json.state_hash, pythonHashes([g.body])[0]);
  // Its hand_id is the last committed hand's, the one /api/hands/{id}.phh serves.
  const last = sql(`SELECT id FROM hands WHERE table_id = '${table}' AND hand_number = ${g.json.hand_number}`);
  assert.equal(g.json.hand_id, last || null);
  for (const bad of ['00000000-0000-4000-8000-000000000000', 'nope']) {
    const n = await api('GET', `/api/tables/${bad}`);
    assert.equal(n.status, 404, n.body);
    assert.equal(n.json.detail, 'Table not found');
  }
  ca.send({ type: 'leave_table' }); cb.send({ type: 'leave_table' });
  await ca.next(type('player_left')); await cb.next((m) => m.type === 'player_left' || m.type === 'table_closed');
  ca.close(); cb.close();
});
