// Open Poker's wire beyond one hand (issue 10, reference §2, §3, §7, §8): a frame's
// hand_id names the stored hand (PHH, hand history); resync after a reconnect replays the
// public frames missed, numbered as everyone saw them, with the pending turn in the
// snapshot; 20 messages a second per connection, the excess counting toward flood
// control; SIGTERM cashes every cash table out.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { api, waitFor } = require('./lib.js');
const { stack } = require('./wslib.js');
const { agent, opConnect, type, money, checkOpFrames, bot, sql, pair, accountingHolds } = require('./oplib.js');

const CHIP = 10; // ucents a chip (FELT_CASH_CHIP_UCENTS default)
const CREDIT = 100000; // ucents of the '10.00' every agent() gets
const calm = { raiseRate: 0, foldRate: 0, allIn: false };
const PUBLIC = ['player_action', 'community_cards', 'hand_result', 'hand_start', 'player_joined', 'player_left',
  'table_closed'];

// An agent's balance once it sits nowhere: its credit plus what its hands won or lost.
function settledBalance(agentId) {
  const net = Number(sql(`SELECT coalesce(sum(end_stack_chips - start_stack_chips), 0) FROM hand_seats
    WHERE agent_id = '${agentId}'`));
  return CREDIT + net * CHIP;
}

// One more funded agent seated at table (the lobby tops it up).
async function third(table) {
  const c = await agent();
  const cc = opConnect(c.api_key, { label: 'c' });
  await cc.next(type('connected'));
  cc.send({ type: 'join_lobby', buy_in: 2000 });
  track(cc);
  const j = await cc.next(type('table_joined'));
  assert.equal(j.table_id, table);
  return { c, cc };
}

// Every client a test opens, so that a failed test leaves no one seated for the next
// (the lobby tops the oldest table up).
const opened = [];
function track(...clients) {
  opened.push(...clients);
  return clients;
}
test.afterEach(async () => {
  for (const c of opened) if (c.ws.readyState === 1) c.send({ type: 'leave_table' });
  for (const c of opened) c.close();
  opened.length = 0;
});

function pidOf(name) {
  return Number(fs.readFileSync(path.join(process.env.FELT_TEST_VAR, 'run', `${name}.pid`), 'utf8'));
}

test('hand_id of the frames is the stored hand: its PHH and its hand-history entry', { timeout: 120000 }, async () => {
  const { a, b, ca, cb, table } = await pair();
  track(ca, cb);
  [ca, cb].forEach((x) => bot(x, calm));
  const start = await ca.next(type('hand_start'), { timeoutMs: 30000 });
  const hole = await ca.next(type('hole_cards'));
  const result = await ca.next(type('hand_result'), { timeoutMs: 30000 });
  const id = result.hand_id;
  assert.equal(start.hand_id, id);
  assert.equal(hole.hand_id, id);
  // Committed just after hand_result: poll until the row is there.
  await waitFor(() => sql(`SELECT count(*) FROM hands WHERE id = '${id}'`) === '1');
  const [tableOf, number] = sql(`SELECT table_id, hand_number FROM hands WHERE id = '${id}'`).split('|');
  assert.equal(tableOf, table);
  const phh = await api('GET', `/api/hands/${id}.phh`, { key: a.api_key });
  assert.equal(phh.status, 200, phh.body);
  assert.ok(phh.body.includes(`felt hand ${id}: table ${table}, hand ${number}`), phh.body.slice(0, 300));
  assert.ok(phh.body.includes(hole.cards.join('')), 'the PHH deals a the cards its frame showed');
  const finishing = phh.body.match(/^finishing_stacks = \[([^\]]*)\]$/m)[1].split(',').map((x) => Number(x.trim()));
  assert.deepEqual(finishing.sort((x, y) => x - y), Object.values(result.final_stacks).sort((x, y) => x - y));
  const h = await api('GET', '/api/me/hand-history?limit=200', { key: a.api_key });
  assert.equal(h.status, 200, h.body);
  const entry = h.json.hands.find((x) => x.hand_id === id);
  assert.ok(entry, `hand ${id} in the history`);
  assert.equal(String(entry.hand_number), number);
  for (const x of [ca, cb]) x.send({ type: 'leave_table' });
  await waitFor(() => money(a.agent_id).inPlay === 0 && money(b.agent_id).inPlay === 0, { tries: 600 });
  checkOpFrames(ca);
  ca.close(); cb.close();
});

test('resync after a reconnect: the missed public frames in order, as the others got them, and the turn', { timeout: 120000 }, async () => {
  const { a, b, ca, cb, table } = await pair();
  track(ca, cb);
  const seatA = ca.frames.find(type('table_joined')).seat;
  // a checks and calls until a hand with three players dealt in, where it folds and drops.
  let dealtIn = 0, folded = null;
  ca.ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'table_state' && m.street !== 'idle') dealtIn = m.seats.filter((s) => s.in_hand).length;
    if (m.type !== 'your_turn' || folded) return;
    const by = (k) => m.valid_actions.find((x) => x.action === k);
    if (dealtIn >= 3) folded = { id: 'drop', hand: m.hand_id };
    const action = folded ? 'fold' : by('check') ? 'check' : 'call';
    ca.send({ type: 'action', hand_id: m.hand_id, turn_token: m.turn_token, client_action_id: folded ? 'drop' : `a${m.table_seq}`, action });
  });
  bot(cb, calm);
  const { c, cc } = await third(table);
  bot(cc, calm);
  await ca.next((m) => m.type === 'action_ack' && m.client_action_id === 'drop', { timeoutMs: 60000 });
  const seen = ca.frames.length;
  ca.terminate();
  const mine = ca.frames.slice(0, seen);
  const last = Math.max(...mine.filter((m) => 'table_seq' in m).map((m) => m.table_seq));
  const holeA = mine.filter(type('hole_cards')).pop().cards;
  // b and c play the hand out (checking and calling: to a showdown); a comes back
  // within the grace (FELT_CASH_GRACE_MS).
  await cb.next((m) => m.type === 'hand_result' && m.hand_id === folded.hand, { timeoutMs: 30000 });
  const [ca2] = track(opConnect(a.api_key, { label: 'a2' }));
  await ca2.next(type('connected'));
  assert.equal((await ca2.next(type('table_joined'))).table_id, table);
  ca2.send({ type: 'resync_request', table_id: table, last_table_seq: last });
  const rs = await ca2.next(type('resync_response'));
  assert.equal(rs.role, 'player');
  assert.equal(rs.from_table_seq, last);
  assert.ok(rs.to_table_seq >= last);
  const ev = rs.replayed_events;
  const kinds = ev.map((m) => m.type);
  for (const k of ['player_action', 'community_cards', 'hand_result']) assert.ok(kinds.includes(k), `${k} replayed: ${kinds}`);
  const seqs = ev.map((m) => m.table_seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in order');
  assert.equal(new Set(seqs).size, seqs.length);
  for (const m of ev) {
    assert.ok(PUBLIC.includes(m.type), `only public frames: ${m.type}`);
    assert.ok(m.table_seq > last && m.table_seq <= rs.to_table_seq);
    assert.equal(m.table_id, table);
    assert.ok(!('hero' in m) && !('turn_token' in m) && !('cards' in m && m.type !== 'community_cards'));
    // b got the same frame under the same table_seq (the seat of hand_start and ts aside).
    const same = cb.frames.find((x) => x.table_seq === m.table_seq);
    assert.ok(same, `b got table_seq ${m.table_seq}`);
    const strip = ({ ts, seat, ...rest }) => (m.type === 'hand_start' ? rest : { ...rest, seat });
    assert.deepEqual(strip(same), strip(m));
  }
  // ... and every public frame b got in that range is replayed.
  const missed = cb.frames.filter((m) => PUBLIC.includes(m.type) && m.table_seq > last && m.table_seq <= rs.to_table_seq);
  assert.deepEqual(missed.map((m) => m.table_seq), seqs);
  // The folded hand's result shows b's and c's cards at the showdown, never a's.
  const hr = ev.find((m) => m.type === 'hand_result' && m.hand_id === folded.hand);
  assert.ok(hr, 'the folded hand\'s result');
  assert.ok(!(String(seatA) in hr.shown_cards));
  for (const card of holeA) assert.ok(!JSON.stringify(ev).includes(`"${card}"`), `a's folded ${card} never appears`);

  // The next hand waits for a: a resync then carries the turn and its token.
  // (It may have come with the table_state of the reconnection, before the resync.)
  const yt = await waitFor(() => ca2.frames.find(type('your_turn')), { tries: 600 });
  ca2.seen = ca2.frames.length;
  ca2.send({ type: 'resync_request', table_id: table, last_table_seq: yt.table_seq });
  const rs2 = await ca2.next(type('resync_response'));
  assert.equal(rs2.snapshot.hero.seat, seatA);
  assert.equal(rs2.snapshot.hero.turn_token, yt.turn_token);
  assert.ok(rs2.snapshot.hero.valid_actions.length > 0);
  for (const m of rs2.replayed_events) assert.ok(m.table_seq > yt.table_seq);
  ca2.send({ type: 'action', hand_id: yt.hand_id, turn_token: rs2.snapshot.hero.turn_token, client_action_id: 'back', action: 'fold' });
  await ca2.next((m) => m.type === 'action_ack' && m.client_action_id === 'back');
  for (const x of [ca2, cb, cc]) x.send({ type: 'leave_table' });
  await waitFor(() => [a, b, c].every((p) => money(p.agent_id).inPlay === 0), { tries: 600 });
  await accountingHolds();
  checkOpFrames(ca2); checkOpFrames(cb); checkOpFrames(cc);
  ca2.close(); cb.close(); cc.close();
});

test('20 messages a second: a burst gets rate_limited for the excess; the connection goes on', { timeout: 60000 }, async () => {
  const a = await agent();
  const [ca] = track(opConnect(a.api_key));
  await ca.next(type('connected'));
  for (let i = 0; i < 40; i++) ca.send({ type: 'dance' });
  const answers = (m) => m.type === 'error' && ['unknown_message', 'rate_limited'].includes(m.code);
  await waitFor(() => ca.frames.filter(answers).length >= 40);
  const limited = ca.frames.filter((m) => m.type === 'error' && m.code === 'rate_limited');
  assert.ok(limited.length >= 1, 'the excess is refused');
  assert.ok(ca.frames.filter((m) => m.type === 'error' && m.code === 'unknown_message').length >= 20,
    'the first 20 are answered');
  assert.ok(limited.every((m) => typeof m.message === 'string' && !('table_seq' in m)));
  // A second later messages are answered again.
  const before = ca.frames.length;
  await waitFor(() => {
    ca.send({ type: 'dance' });
    return ca.frames.slice(before).some((m) => m.code === 'unknown_message');
  }, { tries: 100, delayMs: 200 });
  assert.equal(ca.closed, null);
  ca.close();
});

test('over the rate, an action on one\'s own turn is still taken (play is not throttled)', { timeout: 60000 }, async () => {
  const { ca, cb } = await pair();
  track(ca, cb);
  const yt = await Promise.race([ca.next(type('your_turn')), cb.next(type('your_turn'))]);
  const [me, other] = ca.frames.includes(yt) ? [ca, cb] : [cb, ca];
  // Fill the second's window, then act: the action is acknowledged, not rate_limited.
  for (let i = 0; i < 25; i++) me.send({ type: 'dance' });
  me.send({ type: 'action', hand_id: yt.hand_id, turn_token: yt.turn_token, client_action_id: 'over', action: 'fold' });
  const ack = await me.next((m) => m.type === 'action_ack' || (m.type === 'action_rejected'));
  assert.equal(ack.type, 'action_ack');
  assert.equal(ack.client_action_id, 'over');
  assert.ok(me.frames.some((m) => m.code === 'rate_limited'), 'the window was full');
  assert.equal(other.closed, null);
});

test('a sustained flood: flood_warning, then flood_kick, the seat is left and its chips go back', { timeout: 120000 }, async () => {
  const { a, b, ca, cb, table } = await pair();
  track(ca, cb);
  const seatA = ca.frames.find(type('table_joined')).seat;
  bot(cb, calm);
  await ca.next(type('hand_start'), { timeoutMs: 30000 });
  const flood = (m) => m.type === 'error' && m.code.startsWith('flood');
  await waitFor(() => {
    if (ca.frames.some((m) => m.code === 'flood_kick')) return true;
    for (let i = 0; i < 30; i++) ca.send({ type: 'dance' });
    return false;
  }, { tries: 100, delayMs: 200 });
  const codes = ca.frames.filter(flood).map((m) => m.code);
  assert.deepEqual(codes.slice(0, 2), ['flood_warning', 'flood_kick']);
  assert.ok(ca.frames.some((m) => m.code === 'rate_limited'));
  const left = await ca.next((m) => m.type === 'player_left' && m.seat === seatA, { timeoutMs: 30000 });
  assert.equal(left.reason, 'kick');
  await waitFor(() => sql(`SELECT count(*) FROM seats WHERE table_id = '${table}' AND agent_id = '${a.agent_id}'`) === '0',
    { tries: 600 });
  await waitFor(() => money(a.agent_id).inPlay === 0);
  assert.equal(money(a.agent_id).balance, settledBalance(a.agent_id));
  cb.send({ type: 'leave_table' });
  await waitFor(() => money(b.agent_id).inPlay === 0, { tries: 600 });
  await accountingHolds();
  ca.close(); cb.close();
});

test('SIGTERM: cash tables end once no hand is in progress, every chip back to its balance; a restart starts clean', { timeout: 120000 }, async () => {
  const { a, b, ca, cb, table } = await pair();
  track(ca, cb);
  const { c, cc } = await third(table);
  [ca, cb, cc].forEach((x) => bot(x, calm));
  for (let i = 0; i < 2; i++) await ca.next(type('hand_result'), { timeoutMs: 30000 });
  const pid = pidOf('wsd');
  process.kill(pid, 'SIGTERM');
  for (const x of [ca, cb, cc]) {
    const closed = await x.next(type('table_closed'), { timeoutMs: 30000 });
    assert.equal(closed.table_id, table);
    assert.deepEqual(await x.waitClose({ timeoutMs: 30000 }), { code: 1001, reason: 'Server shutting down' });
  }
  await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, { tries: 400 });
  assert.equal(sql(`SELECT status FROM tables WHERE id = '${table}'`), 'ended');
  assert.equal(sql(`SELECT count(*) FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL`), '0');
  for (const p of [a, b, c]) {
    assert.equal(money(p.agent_id).inPlay, 0);
    assert.equal(money(p.agent_id).balance, settledBalance(p.agent_id));
  }
  // Every hand started before the stop was played out and stored under its hand_id.
  for (const m of ca.frames.filter(type('hand_start'))) {
    assert.equal(sql(`SELECT count(*) FROM hands WHERE id = '${m.hand_id}' AND table_id = '${table}'`), '1');
  }
  await accountingHolds();
  for (const x of [ca, cb, cc]) checkOpFrames(x);

  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);
  const [again] = track(opConnect(a.api_key, { label: 'again' }));
  await again.next(type('connected'));
  again.send({ type: 'join_lobby', buy_in: 2000 });
  const j = await again.next(type('table_joined'), { timeoutMs: 30000 });
  assert.notEqual(j.table_id, table, 'a new table: the old one stays closed');
  again.send({ type: 'leave_table' });
  await again.next(type('player_left'));
  await waitFor(() => money(a.agent_id).inPlay === 0);
  await accountingHolds();
  again.close();
});
