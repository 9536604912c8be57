// felt-wsd dying and PostgreSQL restarting under play (DESIGN §5), and two felt-wsd
// instances on one database (DESIGN §1): nothing committed is lost, nothing half done
// is kept, players reconnect with their tokens.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { pgStop, pgStart } = require('./lib.js');
const { sql, createTable, createTableSql, seatAgent, command, connect, body, stack, waitFor, WS_BASE } =
  require('./wslib.js');

const VAR = process.env.FELT_TEST_VAR;
const isState = (m) => body(m).type === 'game_state';
const act = (c, st, kind) => c.send({ type: 'action', action: { turn_token: st.turn_token, kind }, expected_seq: st.seq });

// Check or call on every turn while bot.on and fewer than `hands` hands are complete;
// record the seeds of completed hands.  The limit is checked in the frame handler, so play
// stops exactly there: each connection gets a hand's hand_complete before the next hand's
// states, whatever the test's own polling sees later.
function bot(c, seen, hands = Infinity) {
  const b = { on: true };
  c.ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    if (m.type === 'hand_complete') seen.set(m.hand, m.deck_seed);
    if (m.type === 'game_state' && m.actions && b.on && seen.size < hands) {
      act(c, m, m.actions.some((a) => a.kind === 'check') ? 'check' : Math.random() < 0.1 ? 'fold' : 'call');
    }
  });
  return b;
}

function pidOf(name) {
  return Number(fs.readFileSync(path.join(VAR, 'run', `${name}.pid`), 'utf8'));
}

function wsdPort(name) {
  if (name === 'main') return process.env.FELT_WSD_PORT;
  const m = (process.env.FELT_WSD_INSTANCES || '').match(new RegExp(`(?:^| )${name}=(\\d+)`));
  return m && m[1];
}

test('kill -9 of felt-wsd mid-hand: the table resumes from the last committed hand', { timeout: 120000 }, async () => {
  const t = await createTable({ seats: 2, stack: 1000 });
  const p = [await seatAgent(t, 0), await seatAgent(t, 1)];
  let c = p.map((x, i) => connect(x.token, { label: `k${i}` }));
  const seen = new Map();
  const bots = c.map((cl) => bot(cl, seen, 3));
  // Play three hands, then stop acting: hand 4 stays in progress.
  await waitFor(() => seen.size >= 3, { tries: 600 });
  bots.forEach((b) => { b.on = false; });
  // The bots may have played a few more hands before they stopped (a loaded machine
  // polls late): the hand in progress is the one of the last state, once play stalls.
  let last;
  await waitFor(() => {
    const states = c[0].frames.filter(isState).map(body);
    last = states[states.length - 1];
    return last && last.hand >= 4 && 'turn' in last
      && Number(sql(`SELECT hand_number FROM tables WHERE id = '${t.id}'`)) === last.hand - 1;
  }, { tries: 600 });
  const hand = last.hand;
  const committed = sql(`SELECT string_agg(stack_chips::text, ',' ORDER BY seat_no) FROM seats
      WHERE table_id = '${t.id}' AND agent_id IS NOT NULL`);
  const maxSeq = Math.max(...c.flatMap((cl) => cl.frames.filter(isState).map((m) => body(m).seq)));

  process.kill(pidOf('wsd'), 'SIGKILL');
  for (const cl of c) await cl.waitClose();
  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);

  // Same tokens: the hand in flight never happened; a fresh one with the same number.
  c = p.map((x, i) => connect(x.token, { label: `r${i}` }));
  for (const cl of c) assert.equal(body(await cl.next()).type, 'welcome');
  const st = body(await c[0].next((m) => isState(m) && body(m).phase === 'preflop'));
  assert.equal(st.hand, hand);
  assert.ok(st.seq > maxSeq, `seq ${st.seq} after ${maxSeq}: it never goes back`);
  assert.equal(st.players.reduce((s, x) => s + x.stack + x.bet, 0), 2000);
  assert.equal(sql(`SELECT count(*) FROM hands WHERE table_id = '${t.id}' AND hand_number >= ${hand}`), '0');
  assert.equal(sql(`SELECT string_agg(stack_chips::text, ',' ORDER BY seat_no) FROM seats
      WHERE table_id = '${t.id}' AND agent_id IS NOT NULL`), committed);
  // And play goes on, committing hand after hand from there.
  const after = new Map();
  c.forEach((cl) => bot(cl, after));
  await waitFor(() => after.size >= 2, { tries: 600 });
  const numbers = sql(`SELECT string_agg(hand_number::text, ',' ORDER BY hand_number) FROM hands WHERE table_id = '${t.id}'`);
  const list = numbers.split(',').map(Number);
  assert.ok(list.length >= hand + 1);
  list.forEach((n, i) => assert.equal(n, i + 1, 'hand numbers without a gap'));
  await command(t, 'stop');
  for (const cl of c) await cl.waitClose();
});

test('PostgreSQL restarts under play: dealing pauses, every completed hand is stored', { timeout: 180000 }, async () => {
  const t = await createTable({ seats: 2, stack: 1000 });
  const p = [await seatAgent(t, 0), await seatAgent(t, 1)];
  const c = p.map((x, i) => connect(x.token, { label: `p${i}` }));
  const seen = new Map();
  c.forEach((cl) => bot(cl, seen));
  await waitFor(() => seen.size >= 2, { tries: 600 });
  pgStop();
  pgStart();
  const before = seen.size;
  // Play resumes once felt-wsd is connected again.
  await waitFor(() => seen.size >= before + 3, { tries: 1200 });
  await command(t, 'stop');
  for (const cl of c) await cl.waitClose();
  // Every hand a player saw complete is in the database with its seed, and no other.
  const stored = new Map(sql(`SELECT hand_number, deck_seed FROM hands WHERE table_id = '${t.id}'`)
    .split('\n').map((l) => l.split('|')).map(([n, s]) => [Number(n), s]));
  for (const [n, seed] of seen) assert.equal(stored.get(n), seed, `hand ${n}`);
  assert.equal(stored.size, Math.max(...stored.keys()));
  const log = fs.readFileSync(path.join(VAR, 'log', 'wsd.log'), 'utf8');
  assert.match(log, /event=db_down/);
});

test('two felt-wsd instances: tables split, a dead one\'s tables taken over', { timeout: 180000 }, async () => {
  const port = wsdPort('b');
  assert.ok(port, 'FELT_WSD_INSTANCES names instance b');
  stack(`felt_wsd_start b ${port}`);
  try {
    // Each instance publishes its ws_url (felt-api hands it out with a join).
    const url = (inst) => sql(`SELECT stats->>'ws_url' FROM wsd_live_instances(15) l
        JOIN heartbeats h ON h.component = 'wsd' AND h.instance = l.instance WHERE l.instance = '${inst}'`);
    await waitFor(() => url('b') !== '');
    // One table for each instance (as felt-api assigns them); the join answers the
    // owner's ws_url.
    const tables = [createTableSql({ seats: 2, owner: 'main' }), createTableSql({ seats: 2, owner: 'b' })];
    const urls = [url('main'), url('b')];
    assert.equal(urls[0], `${WS_BASE}/v1/ws`);
    assert.equal(urls[1], `${WS_BASE}/wsd/b/v1/ws`);
    const players = [];
    for (const x of tables) players.push([await seatAgent(x, 0), await seatAgent(x, 1)]);
    players.forEach((ps, i) => ps.forEach((x) => assert.equal(x.wsUrl, urls[i])));
    const clients = players.map((ps, i) => ps.map((x, j) => connect(x.token, { base: urls[i], label: `t${i}s${j}` })));
    for (const cs of clients) for (const cl of cs) await cl.next(isState);
    assert.equal(sql(`SELECT owner_instance FROM tables WHERE id = '${tables[0].id}'`), 'main');
    assert.equal(sql(`SELECT owner_instance FROM tables WHERE id = '${tables[1].id}'`), 'b');

    // b dies; after its lease main owns the table, and b's players, reconnecting to
    // b's address, reach main through nginx and play on.
    process.kill(pidOf('wsd-b'), 'SIGKILL');
    for (const cl of clients[1]) await cl.waitClose();
    await waitFor(() => sql(`SELECT owner_instance FROM tables WHERE id = '${tables[1].id}'`) === 'main',
      { tries: 400 });
    const again = players[1].map((x, j) => connect(x.token, { base: urls[1], label: `again${j}` }));
    const seen = new Map();
    again.forEach((cl) => bot(cl, seen));
    await waitFor(() => seen.size >= 2, { tries: 600 });
    for (const x of tables) await command(x, 'stop');
    for (const cl of [...clients[0], ...again]) await cl.waitClose();
  } finally {
    // b comes back and stops cleanly, so its last heartbeat says it drains: felt-api
    // gives no more tables to a dead b for the next tests.
    try { process.kill(pidOf('wsd-b'), 'SIGKILL'); } catch { /* dead already */ }
    stack(`felt_wsd_start b ${port} && felt_kill wsd-b`);
  }
});

test('SIGTERM: hands finish, tables are released, sockets close 1001, exit 0; a restart resumes', { timeout: 120000 }, async () => {
  const t = await createTable({ seats: 2 });
  const p = [await seatAgent(t, 0), await seatAgent(t, 1)];
  const c = p.map((x, i) => connect(x.token, { label: `term${i}` }));
  const seen = new Map();
  c.forEach((cl) => bot(cl, seen));
  await waitFor(() => seen.size >= 1, { tries: 600 });
  const pid = pidOf('wsd');
  process.kill(pid, 'SIGTERM');
  for (const cl of c) assert.deepEqual(await cl.waitClose(), { code: 1001, reason: 'Server shutting down' });
  await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, { tries: 400 });
  const log = fs.readFileSync(path.join(VAR, 'log', 'wsd.log'), 'utf8');
  assert.match(log, /event=stopped/);
  assert.equal(sql(`SELECT coalesce(owner_instance, 'none') FROM tables WHERE id = '${t.id}'`), 'none');
  // No hand was cut: every hand dealt before the stop is stored complete.
  const stored = Number(sql(`SELECT hand_number FROM tables WHERE id = '${t.id}'`));
  assert.ok(stored >= seen.size);
  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);
  const again = p.map((x, i) => connect(x.token, { label: `after${i}` }));
  // The first state may still show the last stored hand (attached before the next deal);
  // the first hand dealt after the restart is the one after it.
  const st = body(await again[0].next((m) => isState(m) && body(m).hand > stored, { timeoutMs: 30000 }));
  assert.equal(st.hand, stored + 1);
  await command(t, 'stop');
  for (const cl of again) await cl.waitClose();
});
