// Open Poker /ws helpers: funded agents, clients, a random legal bot, frame checks
// against reference/openpoker.md §2–§4, and state_hash recomputed by Python itself.
'use strict';
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { api, feltctl, uniqueName, getPlatformKey } = require('./lib.js');
const { Client, WS_BASE, sql } = require('./wslib.js');

// A registered agent with dollars credited (a string like '10.00', or null).
async function agent(dollars = '10.00') {
  const name = uniqueName('op');
  const r = await api('POST', '/api/register', { body: { name, email: `${name.toLowerCase()}@example.com`, terms_accepted: true } });
  assert.equal(r.status, 201, r.body);
  if (dollars) assert.equal(feltctl('credit', name, dollars, '--reason', 'op test').code, 0);
  return { ...r.json, name };
}

// A /ws client authenticated by header (default) or by ?token=.
function opConnect(key, { query = false, label = 'op' } = {}) {
  if (query) return new Client(`${WS_BASE}/ws?token=${encodeURIComponent(key)}`, { label });
  return new Client(`${WS_BASE}/ws`, { label, options: key ? { headers: { Authorization: `Bearer ${key}` } } : {} });
}

const type = (t) => (m) => m.type === t;

// Balance and in-play of an agent, ucents (the ledger's own accounts).
function money(agentId) {
  const [b, p] = sql(`SELECT balance_ucents, in_play_ucents FROM agent_balances WHERE agent_id = '${agentId}'`).split('|');
  return { balance: Number(b), inPlay: Number(p) };
}

// reference §2: drop ts/table_seq/hand_seq/state_hash, json.dumps(sort_keys, ensure_ascii,
// compact), SHA-256.  Python does it, from the text as received.
function pythonHashes(texts) {
  const prog = 'import sys,json,hashlib\n'
    + 'for line in sys.stdin:\n'
    + '    o = json.loads(line)\n'
    + '    for k in ("ts","table_seq","hand_seq","state_hash"): o.pop(k, None)\n'
    + '    s = json.dumps(o, sort_keys=True, ensure_ascii=True, separators=(",",":"))\n'
    + '    print("sha256:" + hashlib.sha256(s.encode()).hexdigest())\n';
  const r = spawnSync('python3', ['-c', prog], { input: texts.map((t) => t.replace(/\n/g, ' ')).join('\n') + '\n' });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout.toString().trim().split('\n');
}

function keys(o, required, optional, ctx) {
  for (const k of required) assert.ok(k in o, `${ctx}: ${k} missing in ${JSON.stringify(o).slice(0, 300)}`);
  for (const k of Object.keys(o)) assert.ok(required.includes(k) || optional.includes(k), `${ctx}: unexpected ${k}`);
}

const ENVELOPE = ['stream', 'table_id', 'hand_id', 'table_seq', 'hand_seq', 'ts'];
const CARD = /^[2-9TJQKA][hdcs]$/;
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/;

// Every frame a client got: its shape, its envelope, table_seq strictly increasing per
// table, state_hash as Python computes it, and no other seat's hole cards ever.
function checkOpFrames(c) {
  const states = [];
  const lastSeq = new Map();
  let mySeat = null;
  c.frames.forEach((m, i) => {
    const ctx = `${c.label} frame ${i} ${m.type}`;
    if (['connected', 'lobby_joined', 'auto_rebuy_set', 'error'].includes(m.type)) {
      assert.ok(!('table_seq' in m), `${ctx}: no envelope`);
      if (m.type === 'connected') keys(m, ['type', 'agent_id', 'name'], [], ctx);
      if (m.type === 'error') keys(m, ['type', 'code', 'message'], ['table_id', 'details'], ctx);
      if (m.type === 'lobby_joined') keys(m, ['type', 'position', 'estimated_wait'], [], ctx);
      return;
    }
    // Answers to a socket at no table have no table to number them.
    if (['action_rejected', 'resync_response'].includes(m.type) && !('table_id' in m)) return;
    for (const k of ENVELOPE) assert.ok(k in m, `${ctx}: envelope ${k}`);
    assert.match(m.ts, ISO, ctx);
    assert.ok(Number.isInteger(m.table_seq) && Number.isInteger(m.hand_seq), ctx);
    assert.ok(m.table_seq > (lastSeq.get(m.table_id) ?? -1), `${ctx}: table_seq ${m.table_seq} not increasing`);
    lastSeq.set(m.table_id, m.table_seq);
    if (m.type === 'action_ack') assert.ok(!('state_hash' in m), ctx);
    else if (m.stream === 'state') { assert.match(m.state_hash, /^sha256:[0-9a-f]{64}$/, ctx); states.push(i); }
    else assert.equal(m.state_hash, null, ctx);
    switch (m.type) {
      case 'table_joined': mySeat = m.seat; keys(m, [...ENVELOPE, 'type', 'seat', 'players', 'state_hash'], [], ctx); break;
      case 'hand_start':
        keys(m, [...ENVELOPE, 'type', 'seat', 'dealer_seat', 'blinds', 'state_hash'], [], ctx);
        assert.deepEqual(Object.keys(m.blinds).sort(), ['big_blind', 'small_blind']);
        break;
      case 'hole_cards': assert.equal(m.cards.length, 2); for (const x of m.cards) assert.match(x, CARD); break;
      case 'table_state':
        for (const k of ['street', 'dealer_seat', 'small_blind', 'big_blind', 'pot', 'board', 'seats', 'hero']) assert.ok(k in m, `${ctx}: ${k}`);
        if (m.hero && mySeat !== null) assert.equal(m.hero.seat, mySeat, ctx);
        for (const s of m.seats) assert.ok(!('hole_cards' in s), ctx);
        break;
      case 'your_turn':
        for (const k of ['valid_actions', 'turn_token', 'pot', 'community_cards', 'players', 'seat']) assert.ok(k in m, `${ctx}: ${k}`);
        for (const a of m.valid_actions) keys(a, ['action', 'amount', 'min', 'max'], [], ctx);
        break;
      case 'player_action':
        for (const k of ['seat', 'name', 'action', 'amount', 'amount_mode', 'street', 'stack', 'pot', 'pot_before', 'pot_after',
          'to_call_before', 'stack_before', 'stack_after', 'contribution_delta', 'action_id', 'reason']) assert.ok(k in m, `${ctx}: ${k}`);
        assert.equal(m.stack_before - m.stack_after, m.contribution_delta, ctx);
        assert.equal(m.pot_after - m.pot_before, m.contribution_delta, ctx);
        break;
      case 'community_cards': assert.ok([3, 4, 5].includes(m.cards.length), ctx); break;
      case 'hand_result':
        for (const k of ['winners', 'payouts', 'final_stacks', 'shown_cards', 'rake', 'pot', 'total_pot', 'actions']) assert.ok(k in m, `${ctx}: ${k}`);
        for (const [seat, cards] of Object.entries(m.shown_cards)) { assert.equal(cards.length, 2); assert.ok(Number(seat) >= 0); }
        break;
      case 'action_ack': assert.equal(m.status, 'accepted'); assert.ok('client_action_id' in m); break;
      case 'action_rejected': keys(m, [...ENVELOPE, 'type', 'code', 'reason', 'details', 'state_hash'], [], ctx); break;
      default: break;
    }
  });
  if (states.length) {
    const want = pythonHashes(states.map((i) => c.texts[i]));
    states.forEach((i, k) => assert.equal(c.frames[i].state_hash, want[k], `${c.label} frame ${i}: state_hash`));
  }
  return states.length;
}

// A bot: answers each your_turn (once per token) with a random legal action, while
// its on is true (raiseRate 0, foldRate 0, allIn false: it only checks and calls).
function bot(c, { raiseRate = 0.2, foldRate = 0.05, allIn = true } = {}) {
  let n = 0;
  const b = { on: true };
  const answer = (m) => {
    if (m.type !== 'your_turn' || !b.on) return;
    const by = (k) => m.valid_actions.find((x) => x.action === k);
    const p = Math.random();
    let a;
    if (p < foldRate && by('fold')) a = { action: 'fold' };
    else if (p < foldRate + raiseRate && by('raise')) {
      const r = by('raise');
      a = { action: 'raise', amount: r.min + Math.floor(Math.random() * Math.min(r.max - r.min + 1, 40)) };
    } else if (allIn && p > 0.995 && by('all_in')) a = { action: 'all_in' };
    else a = by('check') ? { action: 'check' } : by('call') ? { action: 'call' } : { action: 'fold' };
    c.send({ type: 'action', hand_id: m.hand_id, turn_token: m.turn_token, client_action_id: `${c.label}-${n++}`, ...a });
  };
  c.ws.on('message', (d) => answer(JSON.parse(d.toString())));
  // A turn that came before the bot started (a stale one is refused, harmlessly).
  const last = [...c.frames].reverse().find((m) => m.type === 'your_turn');
  if (last) answer(last);
  return b;
}

// Two funded agents seated together at a fresh table.
async function pair(buyIns = [2000, 2000]) {
  const a = await agent(), b = await agent();
  const ca = opConnect(a.api_key, { label: 'a' }), cb = opConnect(b.api_key, { label: 'b', query: true });
  await ca.next(type('connected')); await cb.next(type('connected'));
  ca.send({ type: 'join_lobby', buy_in: buyIns[0] });
  await ca.next(type('lobby_joined'));
  const ja = await ca.next(type('table_joined'));
  cb.send({ type: 'join_lobby', buy_in: buyIns[1] });
  await cb.next(type('lobby_joined'));
  const jb = await cb.next(type('table_joined'));
  assert.equal(ja.table_id, jb.table_id, 'the lobby tops the first table up');
  return { a, b, ca, cb, table: ja.table_id };
}

// Each seated agent's in-play equals its seat's committed stack (one snapshot).
function inPlayMatchesStacks(table, chipUcents = 10) {
  const rows = sql(`SELECT s.agent_id, s.stack_chips, b.in_play_ucents FROM seats s
    JOIN agent_balances b ON b.agent_id = s.agent_id WHERE s.table_id = '${table}'`);
  for (const line of rows.split('\n').filter(Boolean)) {
    const [id, stack, inPlay] = line.split('|');
    assert.equal(Number(inPlay), Number(stack) * chipUcents, `in-play of ${id}`);
  }
}

async function accountingHolds() {
  const r = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.drift_ucents, 0, r.body);
  assert.equal(r.json.balance_drift_ucents, 0, r.body);
}

module.exports = { agent, opConnect, type, money, pythonHashes, checkOpFrames, bot, sql, pair,
  inPlayMatchesStacks, accountingHolds };
