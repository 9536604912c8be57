// WebSocket helpers for the felt-wsd tests: tables and seats, clients that collect
// frames, and strict checks of every MoltPoker frame (seed 004, reference §5, DESIGN §8).
'use strict';
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const WebSocket = require('ws');
const { BASE, api, psql, uniqueName, waitFor, getPlatformKey } = require('./lib.js');

const WS_BASE = BASE.replace(/^http/, 'ws');

function sql(q) {
  const r = psql(q);
  if (r.code !== 0) throw new Error(`psql: ${r.stderr}\n${q}`);
  return r.stdout.trim();
}

// A waiting agent table made as an operator makes one: POST /v1/admin/tables with a
// MoltPoker TableConfig.  opts: seats, sb, bb, stack, timeoutMs, minPlayers,
// startDelayMs.  Returns {id, ...opts}.
async function createTable(opts = {}) {
  const o = { seats: 6, sb: 1, bb: 2, stack: 1000, timeoutMs: 30000, minPlayers: 2,
    startDelayMs: 3600000, ...opts };
  const r = await api('POST', '/v1/admin/tables', { key: getPlatformKey(), body: { config: {
    blinds: { small: o.sb, big: o.bb }, maxSeats: o.seats, initialStack: o.stack,
    actionTimeoutMs: o.timeoutMs, minPlayersToStart: o.minPlayers, startDelayMs: o.startDelayMs } } });
  assert.equal(r.status, 201, r.body);
  return { id: r.json.id, ...o };
}

// A table row written directly, for what the REST API does not make: another kind
// (cash), config keys felt-wsd reads (abandon_ms), an owner instance.
function createTableSql(opts = {}) {
  const o = { seats: 6, sb: 1, bb: 2, stack: 1000, timeoutMs: 30000, minPlayers: 2,
    startDelayMs: 3600000, config: {}, kind: 'agent', chipUcents: 0, rakeBp: 0, ...opts };
  const id = crypto.randomUUID();
  sql(`INSERT INTO tables (id, kind, small_blind_chips, big_blind_chips, max_seats,
      initial_stack_chips, action_timeout_ms, min_players, start_delay_ms, config, owner_instance,
      chip_ucents, rake_bp)
    VALUES ('${id}', '${o.kind}', ${o.sb}, ${o.bb}, ${o.seats}, ${o.stack}, ${o.timeoutMs},
      ${o.minPlayers}, ${o.startDelayMs}, '${JSON.stringify(o.config)}',
      ${o.owner ? `'${o.owner}'` : 'NULL'}, ${o.chipUcents}, ${o.rakeBp});
    INSERT INTO seats (table_id, seat_no) SELECT '${id}', g FROM generate_series(0, ${o.seats - 1}) g;
    NOTIFY felt_tables, '${id}';`);
  return { id, ...o };
}

// A session token for agent on table/seat, written directly (to make expired or
// foreign sessions felt-api would never issue).
function issueSession(table, seat, agent, { expiresSql = "now() + interval '1 hour'" } = {}) {
  const token = crypto.randomBytes(32).toString('base64url');
  const hash = crypto.createHash('sha256').update(token).digest('hex');
  sql(`INSERT INTO sessions (token_hash, agent_id, table_id, seat_no, expires_at)
    VALUES ('${hash}', '${agent}', '${table.id ?? table}', ${seat}, ${expiresSql})`);
  return token;
}

// A new agent (POST /v1/agents) joining table at seat (POST /v1/tables/:id/join, a
// waiting agent table), or, for a table felt-api does not seat (cash), seated with
// SQL as felt-api would.  Returns {agent, key, name, token, seat, wsUrl}.
async function seatAgent(table, seat, { sqlOnly = false, stack } = {}) {
  const id = table.id ?? table;
  const name = uniqueName('ws');
  const reg = await api('POST', '/v1/agents', { body: { name } });
  assert.equal(reg.status, 201, reg.body);
  const agent = reg.json.agent_id, key = reg.json.api_key;
  if (sqlOnly) {
    const token = crypto.randomBytes(32).toString('base64url');
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    sql(`UPDATE seats SET agent_id = '${agent}', joined_at = now(),
        stack_chips = ${stack ?? `(SELECT initial_stack_chips FROM tables WHERE id = '${id}')`}
      WHERE table_id = '${id}' AND seat_no = ${seat};
      INSERT INTO sessions (token_hash, agent_id, table_id, seat_no, expires_at)
        VALUES ('${hash}', '${agent}', '${id}', ${seat}, now() + interval '1 hour');
      INSERT INTO table_commands (table_id, kind, agent_id, seat_no) VALUES ('${id}', 'seat', '${agent}', ${seat});
      NOTIFY felt_tables, '${id}';`);
    return { agent, key, name, token, seat, wsUrl: `${WS_BASE}/v1/ws` };
  }
  const j = await api('POST', `/v1/tables/${id}/join`, { key,
    body: { client_protocol_version: '0.1', preferred_seat: seat } });
  assert.equal(j.status, 200, j.body);
  assert.equal(j.json.seat_id, seat);
  return { agent, key, name, token: j.json.session_token, seat, wsUrl: j.json.ws_url };
}

// What felt-api files for a live table, through its REST API: stop and start (the
// platform key), a player's leave (its key), a kick.
// A 503 (felt-api's database connection was lost and is being made again, e.g. right
// after a PostgreSQL restart) is asked again, for up to 10 s.
async function command(table, kind, player) {
  const id = table.id ?? table;
  let r;
  for (let i = 0; i < 100; i++) {
    if (kind === 'stop' || kind === 'start') r = await api('POST', `/v1/admin/tables/${id}/${kind}`, { key: getPlatformKey() });
    else if (kind === 'leave') r = await api('POST', `/v1/tables/${id}/leave`, { key: player.key });
    else if (kind === 'kick') r = await api('POST', `/v1/admin/agents/${player.agent}/kick`, { key: getPlatformKey() });
    else throw new Error(`no command ${kind}`);
    if (r.status !== 503) break;
    await new Promise((res) => setTimeout(res, 100));
  }
  return r;
}

// A WebSocket client that records every frame and lets a test wait for one.
class Client {
  constructor(url, { label = '', options } = {}) {
    this.url = url;
    this.label = label;
    this.frames = [];
    this.texts = []; // the frames as received (Open Poker hashes their spelling)
    this.seen = 0; // frames consumed by next()
    this.closed = null; // {code, reason}
    this.waiters = [];
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (d) => {
      const text = d.toString();
      this.texts.push(text);
      let m;
      try { m = JSON.parse(text); } catch { m = { unparsable: text }; }
      this.frames.push(m);
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    this.ws.on('error', (e) => { this.error = e; this.wake(); });
  }

  wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  // The next frame (after the ones already consumed) for which pred is true; frames
  // before it are consumed too.  Rejects after timeoutMs or when the socket closes.
  next(pred = () => true, { timeoutMs = 15000, what = 'frame' } = {}) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${this.label}: no ${what} within ${timeoutMs} ms; last frames: `
          + JSON.stringify(this.frames.slice(-3)).slice(0, 1500)));
      }, timeoutMs);
      const check = () => {
        while (this.seen < this.frames.length) {
          const m = this.frames[this.seen++];
          if (pred(m)) { clearTimeout(timer); resolve(m); return; }
        }
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`${this.label}: closed ${this.closed.code} ${this.closed.reason} before ${what}`));
          return;
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  // Wait for the socket to close; resolves {code, reason}.
  waitClose({ timeoutMs = 15000 } = {}) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.label}: not closed`)), timeoutMs);
      const check = () => {
        if (this.closed) { clearTimeout(timer); resolve(this.closed); return; }
        this.waiters.push(check);
      };
      check();
    });
  }

  opened() {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.once('close', () => reject(new Error(`${this.label}: closed before open`)));
    });
  }

  send(obj) {
    this.ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj));
  }

  close() {
    if (this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000);
  }

  terminate() {
    this.ws.terminate();
  }
}

// A player's connection: agent (flat) format or the envelope format.
function connect(token, { agent = true, base = `${WS_BASE}/v1/ws`, label } = {}) {
  const url = `${base}?token=${encodeURIComponent(token)}${agent ? '&format=agent' : ''}`;
  const c = new Client(url, { label: label ?? (agent ? 'agent' : 'envelope') });
  c.agent = agent;
  return c;
}

function observe(tableId, { agent = false, base = `${WS_BASE}/v1/ws` } = {}) {
  const c = new Client(`${base}/observe/${tableId}${agent ? '?format=agent' : ''}`, { label: 'observer' });
  c.agent = agent;
  c.observer = true;
  return c;
}

// The fields of a frame, whatever its format: {type, ...payload} (+ env: the envelope).
function body(m) {
  if (m.payload !== undefined && m.ts !== undefined) return { type: m.type, ...m.payload, env: m };
  return m;
}

/* Shape checks ---------------------------------------------------------------------*/

const isInt = (v) => Number.isInteger(v);
const isCard = (v) => typeof v === 'string' && /^[2-9TJQKA][cdhs]$/.test(v);
const isCardObj = (v) => v && typeof v === 'object' && /^[2-9TJQKA]$/.test(v.rank)
  && /^[cdhs]$/.test(v.suit) && Object.keys(v).length === 2;
const isHex64 = (v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const PHASES = ['waiting', 'preflop', 'flop', 'turn', 'river', 'ended'];
const KINDS = ['fold', 'check', 'call', 'raiseTo'];

function keys(o, required, optional = [], ctx = '') {
  assert.ok(o && typeof o === 'object' && !Array.isArray(o), `${ctx}: not an object`);
  for (const k of required) assert.ok(k in o, `${ctx}: missing ${k} in ${JSON.stringify(o).slice(0, 300)}`);
  for (const k of Object.keys(o)) {
    assert.ok(required.includes(k) || optional.includes(k), `${ctx}: unexpected field ${k}`);
  }
}

function checkAgentFrame(m, me) {
  const ctx = `agent ${m.type}`;
  assert.ok(!('payload' in m) && !('ts' in m && m.type !== 'pong'), `${ctx}: envelope in agent format`);
  switch (m.type) {
  case 'welcome':
    keys(m, ['type', 'seat', 'agent_id', 'timeout'], [], ctx);
    assert.ok(isInt(m.seat) && typeof m.agent_id === 'string' && isInt(m.timeout), ctx);
    break;
  case 'game_state': {
    keys(m, ['type', 'seq', 'hand', 'phase', 'board', 'pot', 'players', 'dealer', 'toCall'],
      ['turn', 'last', 'actions', 'turn_token', 'deck_commitment'], ctx);
    assert.ok(isInt(m.seq) && isInt(m.hand) && PHASES.includes(m.phase), ctx);
    assert.ok(Array.isArray(m.board) && m.board.every(isCard) && m.board.length <= 5, ctx);
    assert.ok(isInt(m.pot) && m.pot >= 0 && isInt(m.dealer) && isInt(m.toCall) && m.toCall >= 0, ctx);
    for (const p of m.players) {
      keys(p, ['seat', 'name', 'stack', 'bet'], ['folded', 'allIn', 'cards'], `${ctx} player`);
      assert.ok(isInt(p.seat) && typeof p.name === 'string' && isInt(p.stack) && isInt(p.bet), ctx);
      if ('folded' in p) assert.equal(p.folded, true, `${ctx}: folded only when true`);
      if ('allIn' in p) assert.equal(p.allIn, true, `${ctx}: allIn only when true`);
      if ('cards' in p) {
        assert.ok(p.cards.length === 2 && p.cards.every(isCard), ctx);
        assert.equal(p.seat, me, `${ctx}: cards of seat ${p.seat} shown to seat ${me}`);
      }
    }
    if ('turn' in m) assert.ok(isInt(m.turn), ctx);
    if ('last' in m) {
      keys(m.last, ['seat', 'kind'], ['amount'], `${ctx} last`);
      assert.ok(KINDS.includes(m.last.kind), ctx);
      assert.equal('amount' in m.last, m.last.kind === 'raiseTo', `${ctx}: last.amount only for raiseTo`);
    }
    assert.equal('actions' in m, 'turn_token' in m, `${ctx}: actions and turn_token together`);
    if ('actions' in m) {
      assert.equal(m.turn, me, `${ctx}: actions when it is not my turn`);
      for (const a of m.actions) {
        keys(a, ['kind'], ['min', 'max'], `${ctx} action`);
        assert.ok(KINDS.includes(a.kind), ctx);
        assert.equal('min' in a, a.kind === 'call' || a.kind === 'raiseTo', ctx);
        if ('min' in a) assert.ok(isInt(a.min) && isInt(a.max) && a.min <= a.max, ctx);
      }
      assert.equal(typeof m.turn_token, 'string');
    }
    if ('deck_commitment' in m) assert.ok(isHex64(m.deck_commitment), ctx);
    break;
  }
  case 'ack':
    keys(m, ['type', 'turn_token', 'seq'], [], ctx);
    assert.ok(typeof m.turn_token === 'string' && isInt(m.seq), ctx);
    break;
  case 'error':
    keys(m, ['type', 'code', 'message'], [], ctx);
    assert.ok(typeof m.code === 'string' && typeof m.message === 'string', ctx);
    break;
  case 'hand_complete':
    keys(m, ['type', 'hand', 'results', 'showdown'], ['deck_seed'], ctx);
    assert.ok(isInt(m.hand) && typeof m.showdown === 'boolean' && Array.isArray(m.results), ctx);
    for (const r of m.results) {
      keys(r, ['seat', 'cards', 'won'], ['rank'], `${ctx} result`);
      assert.ok(isInt(r.seat) && isInt(r.won) && r.won >= 0, ctx);
      assert.ok(Array.isArray(r.cards) && (r.cards.length === 0 || r.cards.length === 2)
        && r.cards.every(isCard), ctx);
      if ('rank' in r) assert.equal(typeof r.rank, 'string', ctx);
    }
    if ('deck_seed' in m) assert.ok(isHex64(m.deck_seed), ctx);
    break;
  case 'street_dealt':
    keys(m, ['type', 'hand', 'street', 'cards'], [], ctx);
    assert.ok(['flop', 'turn', 'river'].includes(m.street), ctx);
    assert.equal(m.cards.length, m.street === 'flop' ? 3 : 1, ctx);
    assert.ok(m.cards.every(isCard), ctx);
    break;
  case 'table_status':
    checkTableStatus(m, ctx, me);
    break;
  case 'player_joined':
    keys(m, ['type', 'seatId', 'agentId', 'agentName', 'stack'], [], ctx);
    break;
  case 'player_left':
    keys(m, ['type', 'seatId', 'agentId'], [], ctx);
    break;
  case 'pong':
    keys(m, ['type', 'timestamp'], [], ctx);
    assert.ok(isInt(m.timestamp), ctx);
    break;
  default:
    assert.fail(`${ctx}: unknown type`);
  }
}

function checkTableStatus(p, ctx, me) {
  if (p.status === 'ended') {
    keys(p, ['type', 'status', 'reason', 'final_stacks'], ['env'], ctx);
    assert.ok(['game_complete', 'abandoned', 'admin_stopped'].includes(p.reason), `${ctx}: ${p.reason}`);
    for (const s of p.final_stacks) keys(s, ['seat_id', 'agent_id', 'stack'], [], `${ctx} final`);
    return;
  }
  assert.ok(['waiting', 'running'].includes(p.status), ctx);
  if (me === undefined || me === null) {
    keys(p, ['type', 'status', 'min_players_to_start', 'current_players'], ['env'], ctx);
  } else {
    keys(p, ['type', 'status', 'seat_id', 'agent_id', 'min_players_to_start', 'current_players'], ['env'], ctx);
    assert.equal(p.seat_id, me, ctx);
  }
  assert.ok(isInt(p.min_players_to_start) && isInt(p.current_players), ctx);
}

function checkEnvelopeFrame(m, me) {
  const ctx = `envelope ${m.type}`;
  const withSeq = m.type === 'game_state' || m.type === 'ack';
  keys(m, ['type', 'ts', 'payload'], ['table_id', 'seq'], ctx);
  assert.ok(isInt(m.ts), ctx);
  assert.equal('seq' in m, withSeq, `${ctx}: seq only on game_state and ack`);
  const p = m.payload;
  switch (m.type) {
  case 'welcome':
    keys(p, ['protocol_version', 'min_supported_protocol_version', 'skill_doc_url', 'seat_id',
      'agent_id', 'action_timeout_ms'], [], ctx);
    break;
  case 'game_state': {
    keys(p, ['tableId', 'handNumber', 'phase', 'communityCards', 'pots', 'players', 'dealerSeat',
      'currentSeat', 'lastAction', 'legalActions', 'minRaise', 'toCall', 'seq'],
    ['turn_token', 'deckCommitment'], ctx);
    assert.equal(p.seq, m.seq, ctx);
    assert.ok(PHASES.includes(p.phase) && p.communityCards.every(isCardObj), ctx);
    for (const pot of p.pots) keys(pot, ['amount', 'eligibleSeats'], [], `${ctx} pot`);
    for (const pl of p.players) {
      keys(pl, ['seatId', 'agentId', 'agentName', 'stack', 'bet', 'folded', 'allIn', 'isActive',
        'holeCards'], [], `${ctx} player`);
      if (pl.holeCards !== null) {
        assert.ok(pl.holeCards.length === 2 && pl.holeCards.every(isCardObj), ctx);
        assert.equal(pl.seatId, me, `${ctx}: hole cards of seat ${pl.seatId} shown to ${me}`);
      }
    }
    assert.ok(p.currentSeat === null || isInt(p.currentSeat), ctx);
    if (p.lastAction !== null) keys(p.lastAction, ['seatId', 'kind'], ['amount'], ctx);
    assert.equal(p.legalActions !== null, 'turn_token' in p, `${ctx}: legalActions with turn_token`);
    if (p.legalActions !== null) {
      assert.equal(p.currentSeat, me, ctx);
      for (const a of p.legalActions) keys(a, ['kind'], ['minAmount', 'maxAmount'], ctx);
    }
    assert.ok(isInt(p.toCall) && isInt(p.minRaise), ctx);
    break;
  }
  case 'ack':
    keys(p, ['turn_token', 'seq', 'success'], [], ctx);
    assert.equal(p.success, true);
    break;
  case 'error':
    keys(p, ['code', 'message'], ['details', 'min_supported_protocol_version', 'skill_doc_url'], ctx);
    break;
  case 'hand_complete':
    keys(p, ['handNumber', 'results', 'finalPots', 'communityCards', 'showdown'],
      ['deckSeed', 'deckCommitment'], ctx);
    for (const r of p.results) {
      keys(r, ['seatId', 'agentId', 'holeCards', 'winnings'], ['handRank'], `${ctx} result`);
      assert.ok(r.holeCards.length === 0 || r.holeCards.length === 2, ctx);
    }
    break;
  case 'street_dealt':
    keys(p, ['handNumber', 'street', 'cards'], [], ctx);
    assert.ok(p.cards.every(isCardObj), ctx);
    break;
  case 'table_status':
    checkTableStatus({ type: m.type, ...p }, ctx, me);
    break;
  case 'player_joined':
    keys(p, ['seatId', 'agentId', 'agentName', 'stack'], [], ctx);
    break;
  case 'player_left':
    keys(p, ['seatId', 'agentId'], [], ctx);
    break;
  case 'pong':
    keys(p, ['timestamp'], [], ctx);
    break;
  default:
    assert.fail(`${ctx}: unknown type`);
  }
}

// Check every frame a client received (me: its seat, null for an observer).
function checkFrames(c, me) {
  for (const m of c.frames) {
    if (c.agent) checkAgentFrame(m, me);
    else checkEnvelopeFrame(m, me);
  }
}

// Run a shell function of script/lib.sh with the stack's environment.
function stack(fn) {
  const r = spawnSync('bash', ['-c', `. "$FELT_TOP/script/lib.sh" && ${fn}`], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${fn}: ${r.stderr}`);
  return r.stdout;
}

module.exports = {
  WS_BASE, sql, createTable, createTableSql, seatAgent, issueSession, command, Client, connect, observe, body,
  checkAgentFrame, checkEnvelopeFrame, checkFrames, stack, waitFor,
};
