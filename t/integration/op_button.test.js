// The TDA dead button at an Open Poker cash table (issue 10 item 3, DESIGN §3): a player
// joining a running table waits for the big blind (status "waiting", no cards) and is
// dealt in when it reaches them; over every committed hand the big blind moves exactly one
// occupied seat, nobody posts it twice in a row, through joins, a bust, a leave, and a
// kill -9 of felt-wsd with a restart (the positions are read back from the hands).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { waitFor } = require('./lib.js');
const { stack } = require('./wslib.js');
const { agent, opConnect, type, checkOpFrames, sql, pair, accountingHolds } = require('./oplib.js');

const VAR = process.env.FELT_TEST_VAR;

// A player that checks and calls.  While `shove.on`, the shover goes all-in at each turn,
// only the caller calls it and everyone else folds to it: one all-in between two players a
// hand, so exactly one of them busts (the others keep their stacks and play on).  Its gate
// decides whether a turn is answered now; a held turn waits for release().
function player(c, shove, role = null) {
  const p = { gate: () => true, pending: null, n: 0 };
  p.answer = (m) => {
    const by = (k) => m.valid_actions.find((x) => x.action === k);
    const facing = by('call') && by('call').amount > 20; // more than the big blind to call
    let a;
    if (shove.on && role === 'shover' && by('all_in')) a = { action: 'all_in' };
    else if (shove.on && facing && role !== 'caller') a = { action: 'fold' };
    else a = by('check') ? { action: 'check' } : by('call') ? { action: 'call' } : { action: 'fold' };
    c.send({ type: 'action', hand_id: m.hand_id, turn_token: m.turn_token, client_action_id: `${c.label}-${p.n++}`, ...a });
  };
  c.ws.on('message', (d) => {
    const m = JSON.parse(d.toString());
    if (m.type === 'hand_result' && Object.values(m.final_stacks).some((s) => s === 0)) shove.on = false;
    if (m.type !== 'your_turn') return;
    if (p.gate(m, c)) p.answer(m);
    else p.pending = m;
  });
  p.release = () => {
    p.gate = () => true;
    const m = p.pending;
    p.pending = null;
    if (m) p.answer(m);
  };
  const last = [...c.frames].reverse().find(type('your_turn'));
  if (last) p.answer(last);
  return p;
}

// The committed hands of a table, in order: button, blinds (from the start event), who
// was dealt in.
function hands(table) {
  const rows = sql(`SELECT h.hand_number, h.button_seat, h.events->0->>'sb_seat', h.events->0->>'bb_seat',
      (SELECT string_agg(hs.seat_no::text || ':' || hs.agent_id, ',' ORDER BY hs.seat_no) FROM hand_seats hs WHERE hs.hand_id = h.id),
      h.id, h.deck_commitment
    FROM hands h WHERE h.table_id = '${table}' ORDER BY h.hand_number`);
  return rows.split('\n').filter(Boolean).map((l) => {
    const [n, button, sb, bb, seats, id, commitment] = l.split('|');
    const dealt = new Map(seats.split(',').map((x) => x.split(':')).map(([s, a]) => [Number(s), a]));
    return { n: Number(n), button: Number(button), sb: Number(sb), bb: Number(bb), dealt, id, commitment };
  });
}

// The TDA rule over consecutive hands: the big blind moves on (never the same seat twice
// in a row) to the next seat that plays; no seat dealt in is passed over; the small blind
// is last hand's big blind (or dead); heads-up the button posts the small blind.
function checkRotation(hs, seats) {
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i];
    assert.ok(h.dealt.has(h.bb), `hand ${h.n}: the big blind ${h.bb} is dealt in`);
    if (h.dealt.size === 2) assert.equal(h.sb, h.button, `hand ${h.n}: heads-up the button posts the small blind`);
    if (i === 0) continue;
    const prev = hs[i - 1];
    assert.notEqual(h.bb, prev.bb, `hand ${h.n}: the big blind moved`);
    for (let s = (prev.bb + 1) % seats; s !== h.bb; s = (s + 1) % seats)
      assert.ok(!h.dealt.has(s), `hand ${h.n}: seat ${s} plays but the big blind went from ${prev.bb} to ${h.bb}`);
    if (h.dealt.size > 2) assert.ok(h.sb === -1 || h.sb === prev.bb, `hand ${h.n}: small blind ${h.sb} after big blind ${prev.bb}`);
  }
  // A newcomer's first hand is as the big blind (it waited for it; nobody posts here).
  const first = new Map();
  for (const h of hs) for (const [s, a] of h.dealt) if (!first.has(a)) first.set(a, { h, s });
  for (const [a, { h, s }] of first) if (h !== hs[0]) assert.equal(h.bb, s, `hand ${h.n}: ${a} came in at seat ${s}, not as the big blind`);
}

function pidOf(name) {
  return Number(fs.readFileSync(path.join(VAR, 'run', `${name}.pid`), 'utf8'));
}

// The hand a hand_start announced (hand ids are the hand's row id, or derived from its
// deck commitment).
function handOf(hs, handId) {
  return hs.find((h) => h.id === handId || h.commitment.slice(0, 8) === handId.slice(0, 8));
}

// Every client a test opened, closed at its end whatever happened (an open socket would
// keep node's test runner alive after a failure).
const opened = [];
function connect(key, label) {
  const c = opConnect(key, { label });
  opened.push(c);
  return c;
}

async function seat(label, buyIn = 2000) {
  const x = await agent();
  const c = connect(x.api_key, label);
  await c.next(type('connected'));
  c.send({ type: 'join_lobby', buy_in: buyIn });
  await c.next(type('lobby_joined'));
  const j = await c.next(type('table_joined'), { timeoutMs: 30000 });
  return { x, c, j };
}

test('dead button: a newcomer waits for the big blind; it moves one seat a hand through joins, a bust, a leave and kill -9', { timeout: 300000 }, async (t) => {
  const shove = { on: false };
  const { a, b, ca, cb, table } = await pair();
  opened.push(ca, cb);
  // Whatever happens, everyone leaves and the table ends before the next test file joins
  // the lobby (a table left with players would take its agents).
  t.after(async () => {
    for (const c of opened) if (!c.closed) try { c.send({ type: 'leave_table' }); } catch { /* not open */ }
    await waitFor(() => sql(`SELECT status FROM tables WHERE id = '${table}'`) === 'ended', { tries: 400 }).catch(() => {});
    for (const c of opened) c.close();
  });
  const players = new Map([[a.agent_id, { x: a, c: ca, p: player(ca, shove) }], [b.agent_id, { x: b, c: cb, p: player(cb, shove) }]]);
  const seatOf = new Map([[a.agent_id, ca.frames.find(type('table_joined')).seat], [b.agent_id, cb.frames.find(type('table_joined')).seat]]);
  for (let i = 0; i < 3; i++) await ca.next(type('hand_result'), { timeoutMs: 30000 });

  // Hold the table in a heads-up hand whose big blind is a: the seat after it is b's, so
  // a newcomer in the lowest free seat after both waits a whole hand for the big blind.
  const seatA = seatOf.get(a.agent_id), seatB = seatOf.get(b.agent_id);
  assert.deepEqual([seatA, seatB], [0, 1], 'the lobby seats the lowest free seat');
  let lastStart = null;
  // (Each player looks at its own frames: its hand_start comes before its turns.)
  const hold = (m, c) => {
    const st = [...c.frames].reverse().find(type('hand_start'));
    lastStart = st;
    // Heads-up the dealer posts the small blind: the big blind is the other seat.
    return !(st && st.dealer_seat === seatB);
  };
  for (const { p } of players.values()) p.gate = hold;
  await waitFor(() => [...players.values()].some(({ p }) => p.pending), { tries: 600 });
  const heldHand = lastStart.hand_id;

  const { x: c, c: cc, j: jc } = await seat('c');
  assert.equal(jc.table_id, table);
  assert.equal(jc.seat, 2);
  seatOf.set(c.agent_id, 2);
  const st = await cc.next(type('table_state'));
  assert.equal(st.seats.find((s) => s.seat === 2).status, 'waiting', 'a newcomer waits for the big blind');
  assert.ok(!st.hero.hole_cards, 'no cards while waiting');
  players.set(c.agent_id, { x: c, c: cc, p: player(cc, shove) });
  for (const { p } of players.values()) p.release();

  // The next hand deals c out (the big blind goes to b); the one after deals it in.
  const s1 = await cc.next((m) => m.type === 'hand_start' && m.hand_id !== heldHand, { timeoutMs: 30000 });
  assert.equal(s1.seat, null, 'not dealt in while waiting for the big blind');
  const between = await cc.next(type('table_state'));
  assert.equal(between.seats.find((s) => s.seat === 2).status, 'waiting');
  const s2 = await cc.next((m) => m.type === 'hand_start' && m.hand_id !== s1.hand_id, { timeoutMs: 30000 });
  assert.equal(s2.seat, 2, 'dealt in when the big blind reaches it');
  await cc.next(type('hand_result'), { timeoutMs: 30000 });
  const firstIn = cc.frames.indexOf(s2);
  assert.ok(!cc.frames.slice(0, firstIn).some((m) => m.type === 'hole_cards' || m.type === 'your_turn'),
    'no hole cards nor turns before it is dealt in');
  assert.ok(cc.frames.slice(firstIn).some(type('hole_cards')), 'its cards once dealt in');
  let hs = hands(table);
  const h2 = handOf(hs, s2.hand_id);
  assert.ok(h2, 'the hand is committed');
  assert.equal(h2.bb, 2, 'c posts the big blind');
  assert.equal(handOf(hs, s1.hand_id).bb, seatB);

  // Two more join: d with the largest buy-in, e with the smallest; then e shoves and d
  // calls until one of them busts.
  for (const [label, buyIn, role] of [['d', 5000, 'caller'], ['e', 1000, 'shover']]) {
    const { x, c: cx, j } = await seat(label, buyIn);
    assert.equal(j.table_id, table);
    seatOf.set(x.agent_id, j.seat);
    players.set(x.agent_id, { x, c: cx, p: player(cx, shove, role), role });
  }
  // Both dealt in (as the big blind, each in turn) before anyone shoves.
  await waitFor(() => Number(sql(`SELECT count(DISTINCT hs.agent_id) FROM hand_seats hs JOIN hands h ON h.id = hs.hand_id
    WHERE h.table_id = '${table}'`)) === 5, { tries: 600 });
  shove.on = true;
  await waitFor(() => !shove.on, { tries: 1200 });
  await waitFor(() => Number(sql(`SELECT count(*) FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL`)) < 5,
    { tries: 600 });

  // The big blind of the hand in progress leaves in it: the next hand's small blind is
  // dead (its seat is empty), and the hand after has a dead button there.
  for (const { p } of players.values()) p.gate = () => false;
  await waitFor(() => [...players.values()].some(({ p }) => p.pending), { tries: 600 });
  const held = hands(table).pop(); // the last committed hand: the one in progress follows it
  const seatNos = sql(`SELECT seat_no FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL ORDER BY seat_no`)
    .split('\n').filter(Boolean).map(Number);
  assert.ok(seatNos.length >= 4, `four or more players before the leave: ${seatNos}`);
  const bbNow = seatNos.find((x) => x > held.bb) ?? seatNos[0]; // the rule: the next one
  const leaverId = sql(`SELECT agent_id FROM seats WHERE table_id = '${table}' AND seat_no = ${bbNow}`);
  const leaver = players.get(leaverId);
  leaver.c.send({ type: 'leave_table' });
  await leaver.c.next(type('player_left'), { timeoutMs: 30000 });
  for (const [id, { p }] of players) if (id !== leaverId) p.release();
  await waitFor(() => sql(`SELECT agent_id FROM seats WHERE table_id = '${table}' AND agent_id = '${leaverId}'`) === '',
    { tries: 600 });
  const committed = () => Number(sql(`SELECT hand_number FROM tables WHERE id = '${table}'`));
  await waitFor(() => committed() >= held.n + 5, { tries: 600 });
  hs = hands(table);
  const around = JSON.stringify(hs.filter((h) => h.n >= held.n).map((h) => [h.n, h.button, h.sb, h.bb, [...h.dealt.keys()]]));
  const left = hs.find((h) => h.n === held.n + 1);
  assert.equal(left.bb, bbNow, `the big blind of the hand it left: ${around}`);
  assert.ok(left.dealt.has(bbNow));
  const [deadSb, deadButton] = [hs.find((h) => h.n === held.n + 2), hs.find((h) => h.n === held.n + 3)];
  assert.equal(deadSb.sb, -1, `hand ${deadSb.n}: a dead small blind: ${around}`);
  assert.ok(!deadSb.dealt.has(bbNow));
  assert.equal(deadButton.button, bbNow, `hand ${deadButton.n}: a dead button on the empty seat: ${around}`);
  assert.ok(!deadButton.dealt.has(bbNow));

  // kill -9 in a hand nobody answers; restart; everyone seated comes back.
  const seated = () => sql(`SELECT agent_id FROM seats WHERE table_id = '${table}' AND agent_id IS NOT NULL ORDER BY seat_no`)
    .split('\n').filter(Boolean);
  for (const { p } of players.values()) p.gate = () => false;
  await waitFor(() => [...players.values()].some(({ p }) => p.pending), { tries: 600 });
  const before = hands(table);
  const back = seated();
  assert.ok(back.length >= 3, `three or more players left: ${back.length}`);
  // What a reloading felt-wsd reads (sql/063): the last hand's positions, and who plays.
  const last = before[before.length - 1];
  const [bpButton, bpSb, bpBb, bpPlaying] = sql(`SELECT button, sb, bb, playing FROM wsd_button_pos('${table}')`).split('|');
  assert.deepEqual([Number(bpButton), Number(bpSb), Number(bpBb)],
    [last.button, last.sb >= 0 ? last.sb : before[before.length - 2].bb, last.bb]);
  assert.deepEqual(bpPlaying.split(',').sort(), [...back].sort());
  process.kill(pidOf('wsd'), 'SIGKILL');
  for (const id of back) await players.get(id).c.waitClose();
  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);
  const again = [];
  for (const id of back) {
    const c2 = connect(players.get(id).x.api_key, `${players.get(id).c.label}2`);
    again.push(c2);
    players.get(id).c = c2;
  }
  for (const c2 of again) {
    await c2.next(type('connected'));
    assert.equal((await c2.next(type('table_joined'), { timeoutMs: 30000 })).table_id, table);
  }
  for (const id of back) players.get(id).p = player(players.get(id).c, shove, players.get(id).role);
  for (let i = 0; i < 2 * back.length; i++) await again[0].next(type('hand_result'), { timeoutMs: 30000 });

  hs = hands(table);
  const after = hs.filter((h) => h.n > before[before.length - 1].n);
  assert.ok(after.length >= back.length, 'hands after the restart');
  // Everyone who played before the kill plays the first hand after it: nobody waits again.
  assert.deepEqual([...after[0].dealt.values()].sort(), [...back].sort());
  checkRotation(hs, 6);
  t.diagnostic(`${hs.length} hands (${after.length} after the restart), ${hs.filter((h) => h.sb < 0).length} with a dead small blind, `
    + `${hs.filter((h) => !h.dealt.has(h.button)).length} with a dead button, ${hs.filter((h) => h.dealt.size === 2).length} heads-up`);
  assert.ok(hs.some((h) => h.dealt.size === 2) && hs.some((h) => h.dealt.size >= 4), 'heads-up and ring hands');
  assert.ok(hs.some((h, i) => i > 0 && h.dealt.size < hs[i - 1].dealt.size), 'a player gone between hands');

  let deadButtonShown = false;
  // Every hand_start's dealer_seat is its hand's (maybe dead) button, on every socket.
  for (const c2 of opened) {
    for (const m of c2.frames.filter(type('hand_start'))) {
      const h = handOf(hs, m.hand_id);
      if (h) assert.equal(m.dealer_seat, h.button, `hand ${h.n}: dealer_seat`);
      if (h && h.n === deadButton.n) deadButtonShown = true;
    }
    checkOpFrames(c2);
  }
  assert.ok(deadButtonShown, 'the dead button as hand_start.dealer_seat');
  for (const id of back) players.get(id).c.send({ type: 'leave_table' });
  await waitFor(() => sql(`SELECT status FROM tables WHERE id = '${table}'`) === 'ended', { tries: 600 });
  await accountingHolds();
});

test('wsd_button_pos: a dead small blind sits where the last big blind was; a player who sat down again waits', async () => {
  const x = await agent(null), y = await agent(null);
  const id = crypto.randomUUID();
  const hex = 'ab'.repeat(32);
  const hand = (n, button, start, ago) => `('${id}', ${n}, ${button}, 10, 20, 0, '${hex}', '${hex}', 30,
    now() - interval '${ago} minutes', now() - interval '${ago} minutes', '[${JSON.stringify(start)}]')`;
  sql(`INSERT INTO tables (id, kind, status, small_blind_chips, big_blind_chips, max_seats, initial_stack_chips,
      action_timeout_ms, ended_at, end_reason) VALUES ('${id}', 'cash', 'ended', 10, 20, 6, 2000, 30000, now(), 'closed');
    INSERT INTO seats (table_id, seat_no) SELECT '${id}', g FROM generate_series(0, 5) g;
    UPDATE seats SET agent_id = '${x.agent_id}', stack_chips = 100, joined_at = now() - interval '1 hour'
     WHERE table_id = '${id}' AND seat_no = 0;
    UPDATE seats SET agent_id = '${y.agent_id}', stack_chips = 100, joined_at = now()
     WHERE table_id = '${id}' AND seat_no = 3;
    INSERT INTO hands (table_id, hand_number, button_seat, small_blind_chips, big_blind_chips, chip_ucents,
      deck_commitment, deck_seed, pot_chips, started_at, ended_at, events) VALUES
      ${hand(1, 0, { type: 'start', button: 0, sb_seat: 1, bb_seat: 2 }, 40)},
      ${hand(2, 1, { type: 'start', button: 1, sb_seat: -1, bb_seat: 3 }, 30)};
    INSERT INTO hand_seats (hand_id, seat_no, agent_id, start_stack_chips, end_stack_chips, hole_cards)
    SELECT h.id, s.seat, s.agent::uuid, 100, 100, 'AsKd' FROM hands h,
      (VALUES (0, '${x.agent_id}'), (3, '${y.agent_id}')) AS s (seat, agent)
     WHERE h.table_id = '${id}' AND h.hand_number = 2;`);
  // Hand 2: button 1, the small blind dead on seat 2 (hand 1's big blind), big blind 3.
  // y played hand 2 at seat 3 but sat down again since: it waits for the big blind.
  assert.equal(sql(`SELECT button, sb, bb, playing FROM wsd_button_pos('${id}')`), `1|2|3|${x.agent_id}`);
  // A table without a hand: no row (a fresh start).
  assert.equal(sql(`SELECT count(*) FROM wsd_button_pos('${crypto.randomUUID()}')`), '0');
});
