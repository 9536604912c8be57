// Six funded agents play 200 committed hands of Open Poker through nginx (issue 10, Done
// means): they join the lobby over /ws, answer each your_turn with a random legal action
// from its valid_actions (min and max raises, all-ins), rebuy after busted, leave and
// rejoin, one drops its connection past the grace and comes back.  Checked: every frame's
// shape (reference §2/§4) and state_hash (Python), table_seq per table, no hole cards of
// another seat before showdown nor of a folded hand, each agent's balance + in-play against
// its credits and the committed hands, /api/accounting with drift 0 after the run and after
// kill -9 of felt-wsd mid-hand, and every stored hand through felt-replay.
//
// Written to hold whatever the lobby does (queue positions, tables closing when empty or
// not), whether a newcomer is dealt at once or waits for the big blind, and whether
// hand_id is the hands row's id or not (hands are matched on either).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { feltctl, waitFor } = require('./lib.js');
const { stack } = require('./wslib.js');
const { agent, opConnect, type, money, checkOpFrames, checkOpShapes, sql, accountingHolds } = require('./oplib.js');

const HANDS = 200;
const AGENTS = 6;
const CHIP = 10; // ucents a chip (FELT_CASH_CHIP_UCENTS default)
const CREDIT = '50.00'; // $50 = 500,000 ucents = 50,000 chips: room for many rebuys
const CREDIT_UCENTS = 500000;
const STEP_MS = 30000; // the longest any one step may take

const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
const buyIn = () => pick([1000, 1500, 2000, 3000, 5000]);

// One agent: its connections (one at a time), what it believes of its seat, and what
// it did.  on(frame) is the whole bot: answer turns, rebuy after a bust, rejoin after
// a leave or a closed table.
class Player {
  constructor(a, i, run) {
    Object.assign(this, { a, i, run, clients: [], table: null, seat: null, stack: null, joining: false,
      acting: true, leaveNext: false, pendingTurn: null, busted: false, retries: 0, credited: CREDIT_UCENTS });
    this.stats = { actions: 0, raisesMin: 0, raisesMax: 0, raisesMid: 0, allIns: 0, folds: 0, leaves: 0, midHandLeaves: 0,
      rebuys: 0, joins: 0, closes: 0, topUps: 0, rateLimited: 0, dealt: [] };
  }

  get c() { return this.clients[this.clients.length - 1]; }

  connect(rejoin) {
    const c = opConnect(this.a.api_key, { label: `p${this.i}.${this.clients.length}`, query: this.i % 2 === 1 });
    this.clients.push(c);
    this.table = this.seat = this.stack = null;
    this.joining = this.leaving = false;
    c.ws.on('message', (d) => {
      try { this.on(JSON.parse(d.toString()), c, rejoin); } catch (e) { this.run.fail(e); }
    });
    return c;
  }

  join(kind = 'join_lobby') {
    if (this.joining || this.table || this.run.ending) return;
    this.joining = true;
    this.stats.joins++;
    this.send(kind === 'rebuy' ? { type: 'rebuy', amount: buyIn() } : { type: 'join_lobby', buy_in: buyIn() });
  }

  leave(midHand) {
    this.leaving = true; // a turn that crosses the leave_table is not answered
    this.stats.leaves++;
    if (midHand) this.stats.midHandLeaves++;
    this.send({ type: 'leave_table' });
  }

  act(m) {
    const by = (k) => m.valid_actions.find((x) => x.action === k);
    const me = m.players.find((p) => p.seat === m.seat);
    const call = by('call'), raise = by('raise'), allIn = by('all_in');
    const big = call && me && call.amount > me.stack / 3;
    const p = Math.random();
    let a;
    if (big && p < 0.7) a = { action: 'fold' };
    else if (p < 0.06 && by('fold')) a = { action: 'fold' };
    else if (p < 0.16 && raise) { a = { action: 'raise', amount: raise.min }; this.stats.raisesMin++; }
    else if (p < 0.24 && raise) { a = { action: 'raise', amount: raise.min + Math.floor(Math.random() * (raise.max - raise.min + 1)) }; this.stats.raisesMid++; }
    else if (p < 0.27 && raise) { a = { action: 'raise', amount: raise.max }; this.stats.raisesMax++; }
    else if (p < 0.30 && allIn) { a = { action: 'all_in' }; this.stats.allIns++; }
    else a = by('check') ? { action: 'check' } : call ? { action: 'call' } : { action: 'fold' };
    if (a.action === 'fold') this.stats.folds++;
    this.stats.actions++;
    this.lastAction = { type: 'action', hand_id: m.hand_id, turn_token: m.turn_token,
      client_action_id: `p${this.i}-${this.stats.actions}`, ...a };
    this.acked = false;
    this.send(this.lastAction);
  }

  // Reference §3: 20 messages a second per connection at most.  Heads-up hands on this
  // stack are faster than that, so the bot keeps under 15 in any second (queueing,
  // in order); each connection starts with an empty window.
  send(msg) {
    const c = this.c;
    if (!c.sent) { c.sent = []; c.queue = []; }
    c.queue.push(msg);
    const pump = () => {
      const now = Date.now();
      while (c.queue.length) {
        c.sent = c.sent.filter((t) => now - t < 1000);
        if (c.sent.length >= 15) { setTimeout(pump, 1000 - (now - c.sent[0]) + 1); return; }
        c.sent.push(now);
        if (c.ws.readyState === 1) c.send(c.queue.shift()); else c.queue.shift();
      }
    };
    if (c.queue.length === 1) pump();
  }

  on(m, c, rejoin) {
    if (c !== this.c) return; // a connection already replaced
    const run = this.run;
    switch (m.type) {
    case 'connected':
      // A reconnection to a seat gets table_joined by itself; otherwise the lobby.
      if (rejoin) this.join();
      break;
    case 'table_joined':
      this.joining = false;
      this.leaving = false;
      this.retries = 0;
      this.table = m.table_id;
      this.seat = m.seat;
      this.stack = m.players.find((p) => p.seat === m.seat).stack;
      run.tables.add(m.table_id);
      break;
    case 'hand_start':
      if (m.seat !== null) this.stats.dealt.push({ hand: m.hand_id, table: m.table_id, seat: m.seat, start: this.stack });
      if (run.dropNow(this)) { c.terminate(); run.dropped(this); }
      break;
    case 'your_turn':
      if (this.leaving) break;
      this.pendingTurn = m;
      if (!this.acting) break;
      this.pendingTurn = null;
      if (!run.ending && Math.random() < 0.01) this.leave(true);
      else this.act(m);
      break;
    case 'hand_result':
      run.result(m);
      if (String(this.seat) in m.final_stacks) this.stack = m.final_stacks[String(this.seat)];
      if (!run.ending && (this.leaveNext || Math.random() < 0.015)) { this.leaveNext = false; this.leave(false); }
      break;
    case 'busted':
      this.busted = true;
      break;
    case 'player_left':
      if (m.name !== this.a.name) break;
      this.leaving = false;
      this.table = this.seat = null;
      if (this.busted) { this.busted = false; this.stats.rebuys++; this.join('rebuy'); } else this.join();
      break;
    case 'table_closed':
      this.stats.closes++;
      this.leaving = false;
      this.table = this.seat = null;
      this.join();
      break;
    case 'action_ack':
      if (this.lastAction && m.client_action_id === this.lastAction.client_action_id) this.acked = true;
      break;
    case 'error':
      if (m.code === 'rate_limited') {
        // Dropped anyway: an unanswered action again, under the same client_action_id
        // (an idempotent retry if it was not the dropped one).
        this.stats.rateLimited++;
        if (this.lastAction && !this.acked) this.send(this.lastAction);
      } else if (m.code === 'already_in_lobby') {
        // Queued already: table_joined comes.
      } else if (m.code === 'already_seated') {
        // A leave or bust whose seat the database has not released yet: ask again.
        this.joining = false;
        if (++this.retries > 300) run.fail(new Error(`${c.label}: ${m.code} 300 times`));
        else setTimeout(() => { if (c === this.c && !this.table) this.join(); }, 100);
      } else if (m.code === 'insufficient_funds') {
        // Lost its $50 at random play: a deposit tops it up (counted in its credits).
        assert.equal(feltctl('credit', this.a.name, CREDIT, '--reason', 'op_play top-up').code, 0);
        this.credited += CREDIT_UCENTS;
        this.stats.topUps++;
        this.joining = false;
        this.join();
      } else if (m.code !== 'not_at_table') {
        run.fail(new Error(`${c.label}: unexpected error ${JSON.stringify(m)}`));
      }
      break;
    case 'action_rejected':
      run.fail(new Error(`${c.label}: a legal action was rejected: ${JSON.stringify(m)}`));
      break;
    default:
      break;
    }
  }
}

// The run: the hands seen (hand_result by hand_id, any viewer), the tables, the
// disconnect past the grace, and the first failure (the test then stops waiting).
class Run {
  constructor() {
    Object.assign(this, { results: new Map(), tables: new Set(), ending: false, error: null, waiters: [],
      dropAt: 60, drop: null });
  }

  fail(e) { if (!this.error) this.error = e; this.wake(); }
  wake() { const w = this.waiters; this.waiters = []; w.forEach((f) => f()); }

  result(m) {
    if (!this.results.has(m.hand_id)) this.results.set(m.hand_id, m);
    this.wake();
  }

  // The agent that drops its connection: the last one, once dropAt hands are done, dealt in.
  dropNow(p) { return !this.drop && !this.ending && p.i === AGENTS - 1 && this.results.size >= this.dropAt; }
  dropped(p) { this.drop = { p, promise: this.comeBack(p) }; }

  // Its seat is cashed out after the grace (FELT_CASH_GRACE_MS): in-play back to 0 and the
  // seat row empty; then it connects again and joins the lobby.
  async comeBack(p) {
    await waitFor(() => money(p.a.agent_id).inPlay === 0 &&
      sql(`SELECT count(*) FROM seats WHERE agent_id = '${p.a.agent_id}'`) === '0', { tries: 600, delayMs: 50 });
    p.connect(true);
  }

  // Until pred() or the first failure, at most ms.
  until(pred, ms, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} not reached within ${ms} ms`)), ms);
      const check = () => {
        if (this.error) { clearTimeout(timer); reject(this.error); return; }
        if (pred()) { clearTimeout(timer); resolve(); return; }
        this.waiters.push(check);
      };
      check();
    });
  }
}

// The frame hand_id of a stored hand: its row id (wire) or its commitment shaped as a
// version-4 UUID (wsd/openpoker_state.c op_hand_id).
function commitmentId(hex) {
  const h = hex.slice(0, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[parseInt(h[16], 16) & 3];
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

// Stored hands of the tables, with their seats: {byWireId: Map, rows: [...]}.
function storedHands(tables) {
  const ids = [...tables].map((t) => `'${t}'`).join(',');
  const hands = new Map();
  const lines = sql(`SELECT h.id, h.deck_commitment, h.table_id, h.rake_chips, hs.seat_no, hs.agent_id,
      hs.start_stack_chips, hs.end_stack_chips, hs.won_chips, hs.hole_cards, hs.shown
    FROM hands h JOIN hand_seats hs ON hs.hand_id = h.id WHERE h.table_id IN (${ids})`).split('\n').filter(Boolean);
  for (const line of lines) {
    const [id, commitment, table, rake, seat, agentId, start, end, won, hole, shown] = line.split('|');
    if (!hands.has(id)) hands.set(id, { id, wire: commitmentId(commitment), table, rake: Number(rake), seats: new Map() });
    hands.get(id).seats.set(Number(seat), { agent: agentId, start: Number(start), end: Number(end), won: Number(won),
      hole: [hole.slice(0, 2), hole.slice(2, 4)], shown: shown === 't' });
  }
  const byWireId = new Map();
  for (const h of hands.values()) { byWireId.set(h.id, h); byWireId.set(h.wire, h); }
  return { byWireId, rows: [...hands.values()] };
}

// Card strings anywhere in a frame (deep).
function cardsIn(o, out = []) {
  if (typeof o === 'string') { if (/^[2-9TJQKA][hdcs]$/.test(o)) out.push(o); } else if (o && typeof o === 'object') {
    for (const v of Object.values(o)) cardsIn(v, out);
  }
  return out;
}

// Secrecy over every frame every agent got: another seat's hole cards appear only in a
// hand_result's shown_cards, for a seat that did not fold, in a hand that reached a
// showdown (two or more seats unfolded), and they are that seat's cards.
function checkSecrecy(players, stored) {
  const hole = new Map(); // wire hand id -> Map(seat -> cards) from the database
  for (const h of stored.rows) for (const id of [h.id, h.wire]) hole.set(id, h.seats);
  let shownHands = 0;
  for (const p of players) {
    for (const c of p.clients) {
      for (const m of c.frames) {
        if (!m.hand_id || !hole.has(m.hand_id)) continue;
        const seats = hole.get(m.hand_id);
        const mine = [...seats.values()].find((s) => s.agent === p.a.agent_id);
        const others = new Map();
        for (const [seat, s] of seats) if (s !== mine) for (const x of s.hole) others.set(x, seat);
        if (m.type === 'hand_result') {
          const folded = new Set(m.actions.filter((a) => a.action === 'fold').map((a) => a.seat));
          const unfolded = Object.keys(m.final_stacks).filter((s) => !folded.has(Number(s)));
          for (const [seat, cards] of Object.entries(m.shown_cards)) {
            assert.ok(!folded.has(Number(seat)), `${c.label}: folded seat ${seat} shown in ${m.hand_id}`);
            assert.ok(unfolded.length >= 2, `${c.label}: cards shown without a showdown in ${m.hand_id}`);
            assert.deepEqual(cards, seats.get(Number(seat)).hole, `${c.label}: shown cards of seat ${seat}`);
            assert.ok(seats.get(Number(seat)).shown, `${c.label}: shown on the wire, not stored as shown`);
          }
          if (Object.keys(m.shown_cards).length) shownHands++;
          const rest = { ...m, shown_cards: {} };
          for (const x of cardsIn(rest)) assert.ok(!others.has(x), `${c.label}: ${x} of seat ${others.get(x)} in hand_result`);
        } else {
          for (const x of cardsIn(m)) {
            assert.ok(!others.has(x), `${c.label}: ${x} (seat ${others.get(x)}'s hole card) in ${m.type} of ${m.hand_id}`);
          }
        }
      }
    }
  }
  return shownHands;
}

// Each agent's balance + in-play equals its credit plus its net of the committed hands
// (end - start of each hand_seats row: the rake is what the winners did not get); and
// every hand this agent saw the result of agrees with the stored one: its final stack
// from the frames, its start from its own tracking, the rake.
function checkMoney(players, stored) {
  let fromFrames = 0;
  for (const p of players) {
    let net = 0;
    for (const h of stored.rows) for (const s of h.seats.values()) if (s.agent === p.a.agent_id) net += s.end - s.start;
    const m = money(p.a.agent_id);
    assert.equal(m.balance + m.inPlay, p.credited + net * CHIP,
      `agent ${p.i}: balance ${m.balance} + in play ${m.inPlay} = credit + net ${net} chips`);
    for (const d of p.stats.dealt) {
      const h = stored.byWireId.get(d.hand);
      if (!h) continue; // dealt in the hand felt-wsd was killed in: it never happened
      const s = h.seats.get(d.seat);
      if (!s) continue; // seated but waiting (hand_start may name the seat of one not dealt in)
      assert.equal(s.agent, p.a.agent_id, `agent ${p.i} dealt at seat ${d.seat} of ${d.hand}`);
      if (d.start !== null) assert.equal(d.start, s.start, `agent ${p.i}: its stack at the start of ${d.hand}`);
    }
  }
  for (const [id, r] of [...players[0].run.results]) {
    const h = stored.byWireId.get(id);
    if (!h) continue;
    fromFrames++;
    assert.equal(r.rake, h.rake, `rake of ${id}`);
    let delta = 0;
    for (const [seat, s] of h.seats) {
      assert.equal(r.final_stacks[String(seat)], s.end, `final stack of seat ${seat} in ${id}`);
      delta += s.end - s.start;
      const paid = r.payouts.find((x) => x.seat === seat);
      assert.equal(paid ? paid.amount : 0, s.won, `payout of seat ${seat} in ${id}`);
    }
    assert.equal(delta + h.rake, 0, `hand ${id}: the players lose exactly the rake`);
  }
  return fromFrames;
}

function pidOf(name) {
  return Number(fs.readFileSync(path.join(process.env.FELT_TEST_VAR, 'run', `${name}.pid`), 'utf8'));
}

test('six agents play 200 hands from the lobby: shapes, hashes, secrecy, money, kill -9, replay', { timeout: 300000 }, async (t) => {
  const run = new Run();
  const agents = [];
  for (let i = 0; i < AGENTS; i++) agents.push(await agent(CREDIT));
  const players = agents.map((a, i) => new Player(a, i, run));
  try {
    await play(t, run, players);
  } finally {
    run.ending = true;
    for (const p of players) for (const c of p.clients) c.terminate();
    // On a failure too, the agents' seats are let go (after the grace) before the next
    // test file, whose lobby would otherwise seat its players at these tables.
    await waitFor(() => players.every((p) => sql(`SELECT count(*) FROM seats WHERE agent_id = '${p.a.agent_id}'`) === '0'),
      { tries: 400, delayMs: 50 }).catch(() => {});
  }
});

async function play(t, run, players) {
  players[0].leaveNext = true; // at least one leave and rejoin, whatever the dice say
  for (const p of players) p.connect(true);

  // 200 committed hands (a hand_result seen by anyone; the database says which committed).
  await run.until(() => run.results.size >= HANDS && run.drop, 240000, `${HANDS} hands`);
  await run.drop.promise;
  await run.until(() => players[AGENTS - 1].stats.joins >= 2 && players[AGENTS - 1].table, STEP_MS,
    'the dropped agent back at a table');

  // Stop: nobody answers, no more leaves; a hand waits on a turn.  Kill felt-wsd in it.
  run.ending = true;
  for (const p of players) p.acting = false;
  await waitFor(() => players.some((p) => p.pendingTurn && p.table), { tries: 600, delayMs: 50 });
  await accountingHolds();
  process.kill(pidOf('wsd'), 'SIGKILL');
  for (const p of players) await p.c.waitClose();
  // Each agent's in-play is its committed stack (its seat row), or 0 without one.
  for (const p of players) {
    const seat = sql(`SELECT coalesce(sum(stack_chips), 0) FROM seats WHERE agent_id = '${p.a.agent_id}'`);
    assert.equal(money(p.a.agent_id).inPlay, Number(seat) * CHIP, `agent ${p.i}: in-play after kill -9`);
  }
  await accountingHolds();
  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);

  // Everyone connects again: the seated get their seat back and play on; then all leave.
  const seated = players.filter((p) => sql(`SELECT count(*) FROM seats WHERE agent_id = '${p.a.agent_id}'`) !== '0');
  const before = run.results.size;
  for (const p of players) {
    p.acting = true;
    p.pendingTurn = null;
    // A felt-wsd just started may answer 1013 (try again later) until its database is up.
    for (let tries = 0; ; tries++) {
      const c = p.connect(false);
      try { await c.next(type('connected'), { timeoutMs: STEP_MS }); break; } catch (e) {
        if (tries >= 50 || !c.closed || c.closed.code !== 1013) throw e;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }
  for (const p of seated) await p.c.next(type('table_joined'), { timeoutMs: STEP_MS });
  const perTable = new Map();
  for (const p of seated) perTable.set(p.table, (perTable.get(p.table) || 0) + 1);
  if ([...perTable.values()].some((n) => n >= 2)) await run.until(() => run.results.size > before, STEP_MS, 'a hand after the restart');
  for (const p of players) if (p.table) p.leave(false);
  await waitFor(() => players.every((p) => money(p.a.agent_id).inPlay === 0 &&
    sql(`SELECT count(*) FROM seats WHERE agent_id = '${p.a.agent_id}'`) === '0'), { tries: 600, delayMs: 50 });
  if (run.error) throw run.error;
  await accountingHolds();

  // Frames: shapes, hashes, table_seq per table across each agent's connections.
  let states = 0;
  for (const p of players) {
    const last = new Map();
    for (const c of p.clients) {
      checkOpShapes(c);
      states += checkOpFrames(c);
      for (const m of c.frames) {
        if (!('table_seq' in m)) continue;
        assert.ok(m.table_seq > (last.get(m.table_id) ?? 0), `${c.label}: table_seq ${m.table_seq} after ${last.get(m.table_id)}`);
        last.set(m.table_id, m.table_seq);
      }
    }
  }
  const stored = storedHands(run.tables);
  assert.ok(stored.rows.length >= HANDS, `${stored.rows.length} hands stored`);
  const shown = checkSecrecy(players, stored);
  const checked = checkMoney(players, stored);
  const total = (k) => players.reduce((s, p) => s + p.stats[k], 0);
  const summary = { stored: stored.rows.length, results: run.results.size, checked, states, shown, tables: run.tables.size,
    actions: total('actions'), raisesMin: total('raisesMin'), raisesMax: total('raisesMax'), allIns: total('allIns'),
    rebuys: total('rebuys'), topUps: total('topUps'), rateLimited: total('rateLimited'), leaves: total('leaves'), midHandLeaves: total('midHandLeaves'), closes: total('closes') };
  t.diagnostic(`op_play ${JSON.stringify(summary)}`);
  assert.ok(checked >= HANDS, `${checked} stored hands checked against their hand_result`);
  assert.ok(summary.raisesMin > 0 && summary.raisesMax > 0 && summary.allIns > 0, 'min raises, max raises and all-ins played');
  assert.ok(summary.rebuys > 0, 'a bust and a rebuy');
  assert.ok(summary.leaves > 0 && shown > 0, 'leaves, and showdowns');

  // Every stored hand of the run replays in felt-replay to its stored result.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'felt-op-phh-'));
  try {
    let n = 0;
    for (const id of run.tables) {
      const r = feltctl('hand-phh', '--table', id);
      assert.equal(r.code, 0, r.stderr);
      fs.writeFileSync(path.join(dir, `${id}.phhs`), r.stdout);
      n += (r.stdout.match(/^\[\d+\]$/gm) || []).length;
    }
    assert.equal(n, stored.rows.length, 'every stored hand exported');
    // Cash hands are raked (FELT_CASH_RAKE_BP, cap FELT_CASH_RAKE_CAP_BB big blinds; felt-wsd's
    // defaults unless the stack sets them): felt-replay rakes the same.
    const rakeBp = process.env.FELT_CASH_RAKE_BP ?? '500';
    const [, bb] = (process.env.FELT_CASH_BLINDS ?? '10/20').split('/').map(Number);
    const cap = String(Number(process.env.FELT_CASH_RAKE_CAP_BB ?? '3') * bb);
    const replay = spawnSync(path.join(process.env.FELT_BIN, 'tools', 'felt-replay'),
      ['--check', '--rake', rakeBp, ...(cap !== '0' ? ['--rake-cap', cap] : []), dir], { encoding: 'utf8' });
    assert.equal(replay.status, 0, replay.stdout.slice(-2000) + replay.stderr);
    assert.match(replay.stdout, new RegExp(`^${n} passed, 0 failed$`, 'm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
