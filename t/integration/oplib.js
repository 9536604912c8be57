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

/* Field-by-field shapes of reference §2/§4 (checkOpShapes) -------------------------------*/

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const STREETS = ['preflop', 'flop', 'turn', 'river'];
const ACTIONS = ['fold', 'check', 'call', 'raise', 'all_in'];
const ERROR_CODES = ['auth_failed', 'unknown_message', 'invalid_message', 'invalid_action', 'rate_limited',
  'already_in_lobby', 'already_seated', 'not_at_table', 'insufficient_funds', 'insufficient_season_chips',
  'not_registered_for_season', 'flood_warning', 'flood_kick', 'scope_connection_already_active',
  'service_unavailable'];
const REJECT_CODES = ['stale_turn_token', 'stale_hand_action', 'invalid_action', 'not_your_turn',
  'no_hand_in_progress', 'missing_action_id', 'action_id_conflict', 'legacy_action_protocol'];
const isInt = (v) => Number.isInteger(v);
const intOrNull = (v) => v === null || Number.isInteger(v);
const strOrNull = (v) => v === null || typeof v === 'string';
const isCards = (v, n) => Array.isArray(v) && (n === undefined || v.length === n) && v.every((x) => CARD.test(x));
const seatNo = (v) => isInt(v) && v >= 0 && v < 10;

function check(ok, ctx, what) {
  assert.ok(ok, `${ctx}: ${what}`);
}

// {seat, name, stack, avatar_url, public_profile_slug, is_pro}: table_joined, your_turn.
function playerShape(p, ctx) {
  keys(p, ['seat', 'name', 'stack', 'avatar_url', 'public_profile_slug', 'is_pro'], [], ctx);
  check(seatNo(p.seat) && typeof p.name === 'string' && isInt(p.stack) && p.stack >= 0, ctx, 'seat/name/stack');
  check(strOrNull(p.avatar_url) && strOrNull(p.public_profile_slug) && typeof p.is_pro === 'boolean', ctx, 'profile');
}

function tableStateShape(m, ctx) {
  keys(m, ['type', ...ENVELOPE, 'state_hash', 'street', 'dealer_seat', 'small_blind', 'big_blind', 'pot', 'board',
    'seats', 'hero'], ['waiting_reason', 'waiting_details', 'actor_seat', 'to_call', 'min_raise_to', 'max_raise_to',
    'current_bet'], ctx);
  check(['idle', ...STREETS].includes(m.street), ctx, `street ${m.street}`);
  if (m.street === 'idle') {
    check(['between_hands_delay', 'awaiting_hand_start', 'insufficient_players'].includes(m.waiting_reason), ctx,
      `waiting_reason ${m.waiting_reason}`);
    check(m.waiting_details && typeof m.waiting_details === 'object', ctx, 'waiting_details');
    for (const v of Object.values(m.waiting_details)) check(typeof v === 'number', ctx, 'waiting_details numbers');
    check(!('actor_seat' in m), ctx, 'actor_seat when idle');
  } else {
    check(!('waiting_reason' in m) && seatNo(m.actor_seat), ctx, 'actor_seat during a hand');
  }
  check(intOrNull(m.dealer_seat) && isInt(m.small_blind) && isInt(m.big_blind) && isInt(m.pot) && m.pot >= 0, ctx,
    'dealer/blinds/pot');
  for (const k of ['to_call', 'min_raise_to', 'max_raise_to', 'current_bet']) if (k in m) check(isInt(m[k]) && m[k] >= 0, ctx, k);
  check(isCards(m.board) && m.board.length <= 5, ctx, 'board');
  check(Array.isArray(m.seats) && m.seats.length >= 2, ctx, 'seats');
  m.seats.forEach((s, i) => {
    const sc = `${ctx} seat ${i}`;
    if (s.status === 'empty') { keys(s, ['seat', 'status'], [], sc); return; }
    keys(s, ['seat', 'name', 'stack', 'bet', 'status', 'in_hand', 'public_profile_slug', 'is_pro'],
      ['folded', 'avatar_url'], sc);
    check(s.seat === i && typeof s.name === 'string' && isInt(s.stack) && isInt(s.bet) && typeof s.in_hand === 'boolean',
      sc, 'seat/name/stack/bet/in_hand');
    check(['active', 'waiting', 'playing', 'folded'].includes(s.status), sc, `status ${s.status}`);
    check(('folded' in s) === s.in_hand && (!s.in_hand || typeof s.folded === 'boolean'), sc, 'folded only in hand');
  });
  if (m.hero !== null) {
    keys(m.hero, ['seat'], ['hole_cards', 'valid_actions', 'turn_token'], `${ctx} hero`);
    check(seatNo(m.hero.seat), ctx, 'hero.seat');
    if ('hole_cards' in m.hero) check(isCards(m.hero.hole_cards, 2), ctx, 'hero.hole_cards');
    if ('valid_actions' in m.hero) {
      m.hero.valid_actions.forEach((a) => validActionShape(a, ctx));
      check(m.actor_seat === m.hero.seat, ctx, 'valid_actions when not acting');
    }
    if ('min_raise_to' in m) check('valid_actions' in m.hero, ctx, 'min_raise_to only for the actor');
    if ('turn_token' in m.hero) check(UUID.test(m.hero.turn_token), ctx, 'hero.turn_token');
  }
}

function validActionShape(a, ctx) {
  keys(a, ['action', 'amount', 'min', 'max'], [], `${ctx} valid_action`);
  check(ACTIONS.includes(a.action) && intOrNull(a.amount) && intOrNull(a.min) && intOrNull(a.max), ctx,
    `valid_action ${JSON.stringify(a)}`);
  if (a.action === 'raise') check(isInt(a.min) && isInt(a.max) && a.min <= a.max && a.amount === null, ctx, 'raise range');
  else check(a.min === null && a.max === null, ctx, `${a.action} has no range`);
  if (a.action === 'call' || a.action === 'all_in') check(isInt(a.amount) && a.amount > 0, ctx, `${a.action} amount`);
  if (a.action === 'fold' || a.action === 'check') check(a.amount === null, ctx, `${a.action} amount`);
}

// Every frame a client got, field by field (names and types) as reference §2/§4 spell
// them; checkOpFrames does the envelope's order and state_hash.
function checkOpShapes(c) {
  c.frames.forEach((m, i) => {
    const ctx = `${c.label} frame ${i} ${m.type}`;
    const env = [...ENVELOPE, 'type'];
    if ('table_id' in m && m.type !== 'error') {
      check(UUID.test(m.table_id) && (m.hand_id === null || UUID.test(m.hand_id)), ctx, 'table_id/hand_id');
      check(['event', 'state'].includes(m.stream) && (m.stream === 'state') === (m.type === 'table_state'), ctx, 'stream');
      check(m.hand_seq >= 0 && m.table_seq > 0, ctx, 'sequence numbers');
    }
    switch (m.type) {
    case 'connected': keys(m, ['type', 'agent_id', 'name'], [], ctx); break;
    case 'lobby_joined':
      keys(m, ['type', 'position', 'estimated_wait'], [], ctx);
      check(isInt(m.position) && m.position >= 1 && typeof m.estimated_wait === 'string', ctx, 'position/estimated_wait');
      break;
    case 'error':
      keys(m, ['type', 'code', 'message'], ['table_id', 'details'], ctx);
      check(ERROR_CODES.includes(m.code) && typeof m.message === 'string', ctx, `code ${m.code}`);
      break;
    case 'table_joined':
      keys(m, [...env, 'state_hash', 'seat', 'players'], [], ctx);
      check(seatNo(m.seat) && m.players.some((p) => p.seat === m.seat), ctx, 'own seat among the players');
      m.players.forEach((p) => playerShape(p, ctx));
      break;
    case 'table_state': tableStateShape(m, ctx); break;
    case 'hand_start':
      keys(m, [...env, 'state_hash', 'seat', 'dealer_seat', 'blinds'], [], ctx);
      check(UUID.test(m.hand_id) && (m.seat === null || seatNo(m.seat)) && seatNo(m.dealer_seat), ctx, 'hand_id/seat/dealer');
      // Reference §2: "hand_seq resets to 1 at hand_start"; felt numbers each recipient's
      // copy of a broadcast, so only the first seat's hand_start has 1 (reported).
      check(m.hand_seq >= 1, ctx, 'hand_seq counts from 1 at hand_start');
      keys(m.blinds, ['small_blind', 'big_blind'], [], ctx);
      check(isInt(m.blinds.small_blind) && isInt(m.blinds.big_blind), ctx, 'blinds');
      break;
    case 'hole_cards': keys(m, [...env, 'state_hash', 'cards'], [], ctx); check(isCards(m.cards, 2), ctx, 'cards'); break;
    case 'your_turn':
      keys(m, [...env, 'state_hash', 'seat', 'valid_actions', 'pot', 'community_cards', 'players', 'min_raise',
        'max_raise', 'turn_token'], ['to_call'], ctx);
      check(seatNo(m.seat) && isInt(m.pot) && isCards(m.community_cards) && UUID.test(m.turn_token), ctx, 'seat/pot/cards/token');
      check(intOrNull(m.min_raise) && intOrNull(m.max_raise), ctx, 'min_raise/max_raise');
      check(m.valid_actions.length > 0, ctx, 'valid_actions empty');
      m.valid_actions.forEach((a) => validActionShape(a, ctx));
      m.players.forEach((p) => playerShape(p, ctx));
      {
        const r = m.valid_actions.find((a) => a.action === 'raise');
        if (r) check(m.min_raise === r.min && m.max_raise === r.max, ctx, 'min_raise/max_raise repeat the raise entry');
      }
      break;
    case 'action_ack':
      keys(m, [...env, 'client_action_id', 'status'], [], ctx);
      check(m.status === 'accepted' && strOrNull(m.client_action_id), ctx, 'status');
      break;
    case 'action_rejected':
      if ('table_id' in m) keys(m, [...env, 'state_hash', 'code', 'reason', 'details'], [], ctx);
      else keys(m, ['type', 'code', 'reason', 'details'], [], ctx);
      check(REJECT_CODES.includes(m.code) && typeof m.reason === 'string' && m.details.code === m.code, ctx, `code ${m.code}`);
      break;
    case 'player_action':
      keys(m, [...env, 'state_hash', 'seat', 'name', 'action', 'amount', 'amount_mode', 'reason', 'action_id', 'street',
        'stack', 'pot', 'pot_before', 'pot_after', 'to_call_before', 'stack_before', 'stack_after', 'contribution_delta',
        'player_stack_before', 'player_stack_after'], [], ctx);
      check(seatNo(m.seat) && typeof m.name === 'string' && ACTIONS.includes(m.action), ctx, 'seat/name/action');
      check([...STREETS, 'showdown'].includes(m.street), ctx, `street ${m.street}`);
      check(m.amount_mode === (m.action === 'raise' ? 'to_total' : m.amount_mode) &&
        ['to_total', 'incremental'].includes(m.amount_mode), ctx, 'amount_mode');
      if (['check', 'fold', 'call'].includes(m.action)) check(m.amount === null, ctx, `amount of a ${m.action}`);
      else check(isInt(m.amount) && m.amount > 0, ctx, `amount of ${m.action}`);
      check(strOrNull(m.reason) && strOrNull(m.action_id) && intOrNull(m.to_call_before), ctx, 'reason/action_id/to_call_before');
      for (const k of ['stack', 'pot', 'pot_before', 'pot_after', 'stack_before', 'stack_after', 'contribution_delta',
        'player_stack_before', 'player_stack_after']) check(isInt(m[k]) && m[k] >= 0, ctx, k);
      check(m.stack === m.stack_after && m.pot === m.pot_after && m.player_stack_before === m.stack_before &&
        m.player_stack_after === m.stack_after, ctx, 'duplicated figures agree');
      if (m.action === 'check' || m.action === 'fold') check(m.contribution_delta === 0, ctx, 'a check/fold moves no chips');
      break;
    case 'community_cards':
      keys(m, [...env, 'state_hash', 'cards', 'street'], [], ctx);
      check(isCards(m.cards) && m.cards.length === { flop: 3, turn: 4, river: 5 }[m.street], ctx, 'cards of the street');
      break;
    case 'hand_result':
      keys(m, [...env, 'state_hash', 'winners', 'pot', 'total_pot', 'transferable_pot', 'payouts', 'final_stacks', 'actions',
        'shown_cards', 'pot_kind', 'outcome_kind', 'rake'], [], ctx);
      check(UUID.test(m.hand_id) && m.pot_kind === 'transferable' && m.outcome_kind === 'win', ctx, 'hand_id/kinds');
      for (const k of ['pot', 'total_pot', 'transferable_pot', 'rake']) check(isInt(m[k]) && m[k] >= 0, ctx, k);
      check(m.pot === m.transferable_pot, ctx, 'pot is the transferable pot');
      m.winners.forEach((w) => {
        keys(w, ['seat', 'name', 'stack', 'amount', 'hand_description'], [], `${ctx} winner`);
        check(seatNo(w.seat) && typeof w.name === 'string' && isInt(w.stack) && isInt(w.amount) && strOrNull(w.hand_description),
          ctx, 'winner fields');
      });
      m.payouts.forEach((p) => { keys(p, ['seat', 'amount'], [], `${ctx} payout`); check(seatNo(p.seat) && isInt(p.amount) && p.amount > 0, ctx, 'payout'); });
      check(m.payouts.reduce((s, p) => s + p.amount, 0) + m.rake === m.total_pot, ctx, 'payouts + rake = total pot');
      for (const [k, v] of Object.entries(m.final_stacks)) check(/^\d$/.test(k) && isInt(v) && v >= 0, ctx, 'final_stacks');
      m.actions.forEach((a) => {
        keys(a, ['seat', 'action', 'amount', 'street'], [], `${ctx} action`);
        check(seatNo(a.seat) && ACTIONS.includes(a.action) && intOrNull(a.amount) && STREETS.includes(a.street), ctx, 'action');
      });
      for (const [k, v] of Object.entries(m.shown_cards)) check(/^\d$/.test(k) && isCards(v, 2) && k in m.final_stacks, ctx, 'shown_cards');
      break;
    case 'busted':
      keys(m, [...env, 'state_hash', 'options'], [], ctx);
      check(Array.isArray(m.options) && m.options.includes('rebuy'), ctx, 'options');
      break;
    case 'player_joined':
      keys(m, [...env, 'state_hash', 'seat', 'name', 'stack'], [], ctx);
      check(seatNo(m.seat) && typeof m.name === 'string' && isInt(m.stack), ctx, 'seat/name/stack');
      break;
    case 'player_left':
      keys(m, [...env, 'state_hash', 'seat', 'name', 'reason'], [], ctx);
      check(seatNo(m.seat) && typeof m.name === 'string' && typeof m.reason === 'string', ctx, 'seat/name/reason');
      break;
    case 'table_closed':
      keys(m, [...env, 'state_hash', 'reason'], [], ctx);
      check(typeof m.reason === 'string', ctx, 'reason');
      break;
    case 'auto_rebuy_set': keys(m, ['type', 'enabled'], [], ctx); break;
    case 'resync_response':
      for (const k of ['role', 'from_table_seq', 'to_table_seq', 'replayed_events', 'snapshot']) check(k in m, ctx, k);
      check(['player', 'spectator'].includes(m.role) && Array.isArray(m.replayed_events), ctx, 'role/replayed_events');
      if (m.snapshot) tableStateShape({ ...m.snapshot, state_hash: m.snapshot.state_hash ?? null }, `${ctx} snapshot`);
      break;
    default:
      assert.fail(`${ctx}: a frame type the reference does not have`);
    }
  });
}

module.exports.checkOpShapes = checkOpShapes;
module.exports.OP_UUID = UUID;
