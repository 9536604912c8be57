// The MoltPoker WebSocket protocol's edges: every error code, refusals at connect in
// both formats, flat frames with format=agent (pong and errors too), idempotent resends,
// heads-up order, observers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { sql, createTable, seatAgent, issueSession, command, connect, observe, body,
  checkFrames, WS_BASE } = require('./wslib.js');

// A heads-up table that starts at once (full), both players connected.
async function headsUp(opts = {}) {
  const t = await createTable({ seats: 2, stack: 500, ...opts });
  const p = [await seatAgent(t, 0), await seatAgent(t, 1)];
  const c = [connect(p[0].token, { base: p[0].wsUrl, label: 'a0' }),
    connect(p[1].token, { agent: false, base: p[1].wsUrl, label: 'e1' })];
  const st = [];
  for (let i = 0; i < 2; i++) {
    await c[i].next((m) => body(m).type === 'welcome');
    st.push(body(await c[i].next((m) => body(m).type === 'game_state' && body(m).phase === 'preflop')));
  }
  return { t, p, c, st };
}

// The game_state where seat may act, from client c.
function myTurn(c, seat) {
  return c.next((m) => {
    const b = body(m);
    return b.type === 'game_state' && (c.agent ? b.turn === seat && b.actions : b.currentSeat === seat && b.legalActions);
  }, { what: `turn of seat ${seat}` }).then(body);
}

function act(c, st, action, extra = {}) {
  c.send({ type: 'action', action: { turn_token: st.turn_token, ...action }, expected_seq: st.seq, ...extra });
}

const error = (c) => c.next((m) => body(m).type === 'error', { what: 'error' }).then(body);

test('connect refusals: the error, then close 1008, flat with format=agent', async () => {
  const cases = [
    [`${WS_BASE}/v1/ws`, 'UNAUTHORIZED'],
    [`${WS_BASE}/v1/ws?format=agent`, 'UNAUTHORIZED'],
    [`${WS_BASE}/v1/ws?token=nope`, 'UNAUTHORIZED'],
    [`${WS_BASE}/v1/ws?token=nope&format=agent`, 'UNAUTHORIZED'],
    [`${WS_BASE}/v1/ws/observe/00000000-0000-4000-8000-000000000000`, 'TABLE_NOT_FOUND'],
    [`${WS_BASE}/v1/ws/observe/00000000-0000-4000-8000-000000000000?format=agent`, 'TABLE_NOT_FOUND'],
  ];
  for (const [url, code] of cases) {
    const { Client } = require('./wslib.js');
    const c = new Client(url, { label: url });
    c.agent = url.includes('format=agent');
    const m = await c.next();
    const closed = await c.waitClose();
    assert.equal(closed.code, 1008, url);
    assert.equal(body(m).type, 'error', url);
    assert.equal(body(m).code, code, url);
    if (c.agent) {
      assert.deepEqual(Object.keys(m).sort(), ['code', 'message', 'type'], url);
    } else {
      assert.equal(typeof m.ts, 'number');
      assert.equal(m.payload.min_supported_protocol_version, '0.1');
      assert.match(m.payload.skill_doc_url, /\/skill\.md$/);
    }
  }
});

test('expired, revoked and ended sessions: SESSION_EXPIRED, TABLE_ENDED', async () => {
  const t = await createTable({ seats: 3 });
  const a = await seatAgent(t, 0);
  const expired = issueSession(t, 0, a.agent, { expiresSql: "now() + interval '1 second'" });
  sql(`UPDATE sessions SET created_at = now() - interval '1 hour', expires_at = now() - interval '1 minute'
       WHERE agent_id = '${a.agent}' AND expires_at < now() + interval '1 minute'`);
  let c = connect(expired);
  assert.equal(body(await c.next()).code, 'SESSION_EXPIRED');
  assert.equal((await c.waitClose()).code, 1008);

  const revoked = issueSession(t, 0, a.agent);
  sql(`UPDATE sessions SET revoked_at = now() WHERE token_hash = encode(sha256('${revoked}'::bytea), 'hex')`);
  c = connect(revoked, { agent: false });
  assert.equal(body(await c.next()).code, 'SESSION_EXPIRED');
  assert.equal((await c.waitClose()).code, 1008);

  // A session for a seat someone else holds now.
  const b = await seatAgent(t, 1);
  const wrong = issueSession(t, 2, b.agent);
  c = connect(wrong);
  assert.equal(body(await c.next()).code, 'SESSION_EXPIRED');

  // The table stopped: the old token meets TABLE_ENDED.
  const live = connect(a.token);
  await live.next((m) => body(m).type === 'table_status');
  await command(t, 'stop');
  const ended = body(await live.next((m) => body(m).type === 'table_status' && body(m).status === 'ended'));
  assert.equal(ended.reason, 'admin_stopped');
  assert.deepEqual(ended.final_stacks.map((s) => s.seat_id), [0, 1]);
  assert.deepEqual(await live.waitClose(), { code: 1000, reason: 'Table ended' });
  c = connect(a.token);
  assert.equal(body(await c.next()).code, 'TABLE_ENDED');
  checkFrames(live, 0);
});

test('validation, turn, seq and action errors; resends acknowledged again', async () => {
  const { c, st } = await headsUp();
  // Heads-up: the button posts the small blind and acts first preflop.
  const a = st[0], e = st[1];
  assert.equal(a.dealer, e.dealerSeat);
  const first = a.turn;
  assert.equal(first, a.dealer);
  const actor = c[first], other = c[1 - first];
  const s = first === 0 ? a : e;
  const tok = s.turn_token;

  for (const [cl, bad, why] of [
    [other, '{nope', 'Invalid JSON'],
    [other, '{"type":"dance"}', null],
    [other, '[1,2]', null],
    [actor, { type: 'action', action: { turn_token: tok, kind: 'bet', amount: 4 } }, null],
    [actor, { type: 'action', action: { turn_token: tok, kind: 'raiseTo', amount: 0 } }, null],
    [actor, { type: 'action', action: { turn_token: tok, kind: 'raiseTo', amount: 4.5 } }, null],
    [actor, { type: 'action', action: { kind: 'call' } }, null],
    [actor, { type: 'action', action: { turn_token: tok, kind: 'call' }, expected_seq: 'x' }, null],
    [actor, { type: 'action', action: { turn_token: tok, kind: 'call', reasoning: 'x'.repeat(2001) } }, null],
    [actor, { type: 'ping', payload: { timestamp: 'now' } }, null],
  ]) {
    cl.send(bad);
    const err = await error(cl);
    assert.equal(err.code, 'VALIDATION_ERROR', JSON.stringify(bad).slice(0, 80));
    if (why) assert.equal(err.message, why);
  }

  // Not your turn; stale seq; illegal actions: the turn stays open.
  const os = first === 0 ? e : a;
  other.send({ type: 'action', action: { turn_token: tok, kind: 'call' }, expected_seq: os.seq });
  assert.equal((await error(other)).code, 'NOT_YOUR_TURN');
  act(actor, s, { kind: 'call' }, { expected_seq: s.seq - 1 });
  assert.equal((await error(actor)).code, 'STALE_SEQ');
  act(actor, s, { kind: 'check' });
  let err = await error(actor);
  assert.equal(err.code, 'INVALID_ACTION');
  assert.match(err.message, /to call/);
  act(actor, s, { kind: 'raiseTo', amount: 3 });
  err = await error(actor);
  assert.equal(err.code, 'INVALID_ACTION');
  assert.match(err.message, /at least 4/);
  act(actor, s, { kind: 'raiseTo' });
  assert.equal((await error(actor)).code, 'INVALID_ACTION');
  act(actor, s, { kind: 'raiseTo', amount: 5000 });
  assert.equal((await error(actor)).code, 'INVALID_ACTION');
  actor.send({ type: 'action', action: { turn_token: 'not-the-token', kind: 'call' } });
  assert.equal((await error(actor)).code, 'INVALID_ACTION');

  // The call goes through (amount is ignored for a call, null is fine); the same
  // message again gets the same ack and changes nothing.
  act(actor, s, { kind: 'call', amount: null, reasoning: 'limp ♠ with reasoning' });
  const ack1 = body(await actor.next((m) => body(m).type === 'ack'));
  assert.equal(ack1.turn_token, tok);
  assert.equal(ack1.seq, s.seq + 1);
  act(actor, s, { kind: 'call' });
  const ack2 = body(await actor.next((m) => body(m).type === 'ack'));
  assert.equal(ack2.seq, ack1.seq);
  assert.equal(ack2.turn_token, tok);
  // The big blind has the option: check.
  const bb = await myTurn(other, 1 - first);
  assert.equal(bb.seq, ack1.seq, 'the resend applied nothing');
  assert.equal(bb.toCall, 0);
  act(other, bb, { kind: 'check' });
  // After the flop the big blind (not the button) acts first.
  const flop = await myTurn(other, 1 - first);
  assert.equal(flop.phase, 'flop');
  const dealt = body(other.frames.find((m) => body(m).type === 'street_dealt'));
  assert.equal(dealt.street, 'flop');
  assert.equal(dealt.cards.length, 3);

  // ping/pong in both formats, with and without a payload.
  for (const cl of c) {
    cl.send({ type: 'ping', payload: { timestamp: 12345 } });
    const pong = await cl.next((m) => m.type === 'pong');
    assert.equal(body(pong).timestamp, 12345);
    if (cl.agent) assert.deepEqual(pong, { type: 'pong', timestamp: 12345 });
    cl.send({ type: 'ping' });
    assert.ok(Number.isInteger(body(await cl.next((m) => m.type === 'pong')).timestamp));
  }
  checkFrames(c[0], 0);
  checkFrames(c[1], 1);
  for (const cl of c) cl.close();
});

test('observers see the public state, never a hole card before the hand is complete', async () => {
  const { t, c, st: first2 } = await headsUp();
  const o = observe(t.id);
  const oa = observe(t.id, { agent: true });
  const gs = body(await o.next((m) => m.type === 'game_state'));
  assert.ok(gs.players.every((p) => p.holeCards === null));
  const ga = await oa.next((m) => m.type === 'game_state');
  assert.ok(ga.players.every((p) => !('cards' in p)));
  assert.ok(!('actions' in ga) && ga.toCall === 0);
  // An observer's actions are ignored; it still gets pongs.
  o.send({ type: 'action', action: { turn_token: 'x', kind: 'fold' } });
  o.send({ type: 'ping', payload: { timestamp: 1 } });
  assert.equal(body(await o.next((m) => m.type === 'pong')).timestamp, 1);
  // Play the hand out by folding: the observer sees it end.
  const first = first2[0].turn;
  act(c[first], first2[first], { kind: 'fold' });
  const hc = body(await o.next((m) => m.type === 'hand_complete'));
  assert.equal(hc.showdown, false);
  assert.ok(hc.results.every((r) => r.holeCards.length === 0), 'no cards without a showdown');
  assert.match(hc.deckSeed, /^[0-9a-f]{64}$/);
  await oa.next((m) => m.type === 'hand_complete');
  checkFrames(o, null);
  checkFrames(oa, null);
  for (const cl of [...c, o, oa]) cl.close();
});

test('bounds: a flood is refused then closed 1008, an oversized message closed 1009', async () => {
  const t = await createTable({ seats: 3 });
  const a = await seatAgent(t, 0);
  const c = connect(a.token);
  await c.next((m) => body(m).type === 'table_status');
  for (let i = 0; i < 1000; i++) c.send({ type: 'ping', payload: { timestamp: i } });
  const limited = await c.next((m) => m.type === 'error', { what: 'RATE_LIMITED' });
  assert.equal(limited.code, 'RATE_LIMITED');
  assert.deepEqual(await c.waitClose(), { code: 1008, reason: 'Too many messages' });

  const d = connect(a.token, { label: 'big' });
  await d.next((m) => body(m).type === 'table_status');
  d.send({ type: 'action', action: { turn_token: 'x', kind: 'fold', reasoning: 'y'.repeat(20000) } });
  assert.equal((await d.waitClose()).code, 1009);
  await command(t, 'stop');
});

test('a WebSocket path without an upgrade is 426, not unknown', async () => {
  const { api } = require('./lib.js');
  for (const p of ['/v1/ws', '/v1/ws?token=x&format=agent']) {
    const r = await api('GET', p);
    assert.equal(r.status, 426, `${p}: ${r.body}`);
    assert.equal(r.json.error.code, 'UPGRADE_REQUIRED');
  }
  assert.equal((await api('GET', '/v1/wsx')).status, 404);
});

test('a silent connection gets felt-wsd\'s ping (FELT_WSD_PING_S), and answering keeps it open', async () => {
  const t = await createTable({ seats: 2, stack: 500 });
  const o = observe(t.id);
  let pings = 0;
  // script/test sets FELT_WSD_PING_S=1: a second ping means the pong to the first counted.
  const two = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${pings} pings within 15 s`)), 15000);
    o.ws.on('ping', () => { if (++pings === 2) { clearTimeout(timer); resolve(); } });
  });
  await o.opened();
  await two;
  assert.equal(o.closed, null, 'still open');
  o.ws.close();
});
