// A table's life over the MoltPoker protocol (DESIGN §4): waiting and starting, the
// action clock, leaving and kicks mid-hand, session takeover, reconnecting mid-hand,
// elimination and game_complete, abandonment.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sql, createTable, createTableSql, seatAgent, command, connect, body, checkFrames, waitFor } =
  require('./wslib.js');

const isState = (m) => body(m).type === 'game_state';
const turnOf = (c, seat) => (m) => {
  const b = body(m);
  return b.type === 'game_state' && (c.agent ? b.turn === seat && b.actions : b.currentSeat === seat && b.legalActions);
};
const act = (c, st, action) => c.send({ type: 'action', action: { turn_token: st.turn_token, ...action }, expected_seq: st.seq });

// Connect everyone and wait for their first preflop state.
async function seated(t, n, { formats } = {}) {
  const p = [], c = [];
  for (let s = 0; s < n; s++) p.push(await seatAgent(t, s));
  for (let s = 0; s < n; s++) c.push(connect(p[s].token, { agent: formats ? formats[s] : true, label: `s${s}` }));
  const first = [];
  for (const cl of c) first.push(body(await cl.next((m) => isState(m) && body(m).phase === 'preflop')));
  return { p, c, first };
}

test('waiting: table_status as players join, then the start delay, then play', async () => {
  const t = await createTable({ seats: 4, startDelayMs: 500 });
  const a = await seatAgent(t, 0);
  const ca = connect(a.token);
  assert.equal(body(await ca.next()).type, 'welcome');
  let st = body(await ca.next());
  assert.deepEqual([st.type, st.status, st.seat_id, st.current_players, st.min_players_to_start],
    ['table_status', 'waiting', 0, 1, 2]);
  const b = await seatAgent(t, 2);
  const joined = body(await ca.next((m) => body(m).type === 'player_joined'));
  assert.deepEqual([joined.seatId, joined.agentId, joined.agentName, joined.stack], [2, b.agent, b.name, 1000]);
  st = body(await ca.next((m) => body(m).type === 'table_status'));
  assert.equal(st.current_players, 2);
  const cb = connect(b.token, { agent: false });
  assert.equal(body(await cb.next()).type, 'welcome');
  // Two seated of four: it starts once the delay has run.
  st = body(await ca.next((m) => body(m).type === 'table_status' && body(m).status === 'running'));
  const gs = body(await ca.next(isState));
  assert.equal(gs.phase, 'preflop');
  assert.equal(gs.hand, 1);
  assert.match(gs.deck_commitment, /^[0-9a-f]{64}$/);
  await cb.next(isState);
  assert.equal(sql(`SELECT status FROM tables WHERE id = '${t.id}'`), 'running');
  checkFrames(ca, 0);
  checkFrames(cb, 2);
  ca.close(); cb.close();
});

test('the clock: a player who does not act checks if free, else folds', async () => {
  const t = await createTable({ seats: 2, timeoutMs: 1000 });
  const { c, first } = await seated(t, 2);
  const idle = first[0].turn;
  // Nobody acts: the button (small blind, facing the big blind) is folded.
  const after = body(await c[1 - idle].next((m) => isState(m) && body(m).last && body(m).last.seat === idle));
  assert.equal(after.last.kind, 'fold');
  assert.equal(after.phase, 'ended');
  assert.ok(!c[idle].frames.some((m) => body(m).type === 'ack'), 'no ack for a timeout');
  // Hand 2: the other player is to act first; a free check is taken as a check.
  const s2 = body(await c[1 - idle].next(turnOf(c[1 - idle], 1 - idle)));
  act(c[1 - idle], s2, { kind: 'call' });
  const checked = body(await c[idle].next((m) => isState(m) && body(m).last && body(m).last.seat === idle && body(m).hand === 2));
  assert.equal(checked.last.kind, 'check');
  await waitFor(() => sql(`SELECT count(*) FROM table_events WHERE table_id = '${t.id}'
      AND type = 'PLAYER_ACTION' AND (payload->>'isTimeout')::boolean`) >= '1');
  await command(t, 'stop');
  for (const cl of c) await cl.waitClose();
});

test('leave and kick mid-hand: fold at the turn, chips in the pot stay, the rest forfeited', async () => {
  const t = await createTable({ seats: 4, stack: 100 });
  const { p, c, first } = await seated(t, 4);
  const toAct = first[0].turn;
  const leaver = (toAct + 1) % 4; // not the one to act now
  const kicked = (toAct + 2) % 4;
  assert.equal((await command(t, 'leave', p[leaver])).status, 200);
  assert.deepEqual(await c[leaver].waitClose(), { code: 1000, reason: 'Left the table' });
  const left = body(await c[toAct].next((m) => body(m).type === 'player_left'));
  assert.deepEqual([left.seatId, left.agentId], [leaver, p[leaver].agent]);
  assert.equal((await command(t, 'kick', p[kicked])).status, 200);
  assert.deepEqual(await c[kicked].waitClose(), { code: 1000, reason: 'Kicked by admin' });
  // The one to act calls; the leaver's and the kicked one's turns fold at once.
  act(c[toAct], first[toAct], { kind: 'call' });
  const folds = body(await c[toAct].next((m) => isState(m) && body(m).players.filter((x) => x.folded).length >= 2));
  assert.ok(folds.players.find((x) => x.seat === leaver).folded);
  // Play on (check or call), then: seats cleared, PLAYER_LEFT with the forfeit, and
  // the chips add up.
  const rest = [0, 1, 2, 3].filter((s) => s !== leaver && s !== kicked);
  for (const s of rest) {
    c[s].ws.on('message', (d) => {
      const m = body(JSON.parse(d.toString()));
      if (m.type === 'game_state' && m.actions) act(c[s], m, { kind: m.actions.some((a) => a.kind === 'check') ? 'check' : 'call' });
    });
  }
  await waitFor(() => sql(`SELECT count(*) FROM seats WHERE table_id = '${t.id}' AND agent_id IS NOT NULL`) === '2',
    { tries: 400 });
  assert.equal(sql(`SELECT count(*) FROM table_events WHERE table_id = '${t.id}' AND type = 'PLAYER_LEFT'`), '2');
  const forfeits = sql(`SELECT sum((payload->>'forfeitedChips')::bigint) FROM table_events
      WHERE table_id = '${t.id}' AND type = 'PLAYER_LEFT'`);
  assert.ok(Number(forfeits) > 0);
  await waitFor(() => {
    // Between hands the committed stacks and the forfeits add up to the table's chips.
    const stacks = sql(`SELECT sum(stack_chips) FROM seats WHERE table_id = '${t.id}'`);
    return Number(stacks) + Number(forfeits) === 400;
  });
  assert.equal(sql(`SELECT count(*) FROM sessions WHERE table_id = '${t.id}' AND revoked_at IS NOT NULL`), '2');
  await command(t, 'stop');
  for (const s of rest) await c[s].waitClose();
});

test('takeover and reconnect: the new connection wins, the hand continues', async () => {
  const t = await createTable({ seats: 2 });
  const { p, c, first } = await seated(t, 2, { formats: [true, false] });
  const toAct = first[0].turn;
  // A second connection on the same session: the first is closed 1008.
  const again = connect(p[toAct].token, { agent: toAct === 0, label: 'again' });
  assert.equal((await c[toAct].waitClose()).code, 1008);
  assert.equal(body(await again.next()).type, 'welcome');
  const st = body(await again.next(isState));
  const mine = st.players.find((x) => (again.agent ? x.seat : x.seatId) === toAct);
  assert.ok(again.agent ? mine.cards.length === 2 : mine.holeCards.length === 2, 'own cards after reconnecting');
  assert.equal(st.turn_token, first[toAct].turn_token, 'same turn, same token');
  // Drop it and come back once more: same hand, same turn.
  again.terminate();
  const back = connect(p[toAct].token, { agent: toAct === 0, label: 'back' });
  const st2 = body(await back.next(isState));
  assert.equal(st2.turn_token, first[toAct].turn_token);
  act(back, st2, { kind: 'call' });
  assert.equal(body(await back.next((m) => body(m).type === 'ack')).turn_token, st2.turn_token);
  await command(t, 'stop');
  await back.waitClose();
  await c[1 - toAct].waitClose();
});

test('elimination and game_complete: the busted stay seated with 0', async () => {
  const t = await createTable({ seats: 3, stack: 6, sb: 1, bb: 2 });
  const { c } = await seated(t, 3, { formats: [true, false, true] });
  // Everyone shoves or calls every hand until one player has everything.
  c.forEach((cl) => cl.ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    const acts = cl.agent ? m.actions : m.legalActions;
    if (m.type !== 'game_state' || !acts) return;
    const r = acts.find((a) => a.kind === 'raiseTo');
    if (r) act(cl, m, { kind: 'raiseTo', amount: cl.agent ? r.max : r.maxAmount });
    else act(cl, m, { kind: acts.some((a) => a.kind === 'call') ? 'call' : 'check' });
  }));
  const ended = await Promise.all(c.map((cl) => cl.next((m) => body(m).type === 'table_status' && body(m).status === 'ended', { timeoutMs: 60000 }).then(body)));
  for (const e of ended) {
    assert.equal(e.reason, 'game_complete');
    assert.equal(e.final_stacks.length, 3, 'busted players stay seated');
    assert.deepEqual(e.final_stacks.map((s) => s.stack).sort((x, y) => x - y), [0, 0, 18]);
  }
  assert.equal(sql(`SELECT end_reason FROM tables WHERE id = '${t.id}'`), 'game_complete');
  // A busted player is never dealt in again.
  assert.equal(sql(`SELECT count(*) FROM hand_seats hs JOIN hands h ON h.id = hs.hand_id
      WHERE h.table_id = '${t.id}' AND hs.start_stack_chips = 0`), '0');
  for (let s = 0; s < 3; s++) checkFrames(c[s], s);
});

test('abandoned: nobody connected for the grace ends the table', async () => {
  const t = createTableSql({ seats: 2, config: { abandon_ms: 500 } });
  const { c } = await seated(t, 2);
  for (const cl of c) cl.close();
  await waitFor(() => sql(`SELECT end_reason FROM tables WHERE id = '${t.id}'`) === 'abandoned', { tries: 200 });
  assert.equal(sql(`SELECT payload->>'reason' FROM table_events WHERE table_id = '${t.id}' AND type = 'TABLE_ENDED'`),
    'abandoned');
});

test('admin start: two seated of a table that wants more start now', async () => {
  const t = await createTable({ seats: 6, minPlayers: 4 });
  const a = await seatAgent(t, 1), b = await seatAgent(t, 4);
  const ca = connect(a.token);
  await ca.next((m) => body(m).type === 'table_status' && body(m).current_players === 2);
  await command(t, 'start');
  await ca.next((m) => body(m).type === 'table_status' && body(m).status === 'running');
  const gs = body(await ca.next(isState));
  assert.deepEqual(gs.players.map((x) => x.seat), [1, 4]);
  await waitFor(() => sql(`SELECT result FROM table_commands WHERE table_id = '${t.id}' AND kind = 'start'`) === 'ok');
  // A second start on a running table is refused (felt-api knows it runs).
  const again = await command(t, 'start');
  assert.equal(again.status, 400);
  assert.equal(again.json.error.code, 'INVALID_TABLE_STATE');
  void b;
  await command(t, 'stop');
  await ca.waitClose();
});

test('heartbeat: ws_url and the game figures /health adds up', async () => {
  const row = await waitFor(() => {
    const r = sql(`SELECT stats FROM heartbeats WHERE component = 'wsd' AND instance = 'main'
        AND last_seen_at > now() - interval '10 seconds'`);
    return r && JSON.parse(r);
  });
  assert.equal(row.ws_url, `${require('./wslib.js').WS_BASE}/v1/ws`);
  for (const k of ['active_tables', 'waiting_tables', 'active_connections', 'hands_committed']) {
    assert.ok(Number.isInteger(row[k]), k);
  }
  assert.equal(row.draining, false);
});
