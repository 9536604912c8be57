// Six agents play 200 hands through nginx (issue 9, Done means): every frame has the
// seed's and reference's shape, chips are conserved, no frame shows another seat's
// hole cards before the hand is complete (nor ever a folded hand), and every stored
// hand, exported as PHH, replays in felt-replay to the stored result.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { feltctl } = require('./lib.js');
const { sql, createTable, createTableSql, seatAgent, command, connect, body, checkFrames } =
  require('./wslib.js');

const HANDS = 200;
const STACK = 2000;

// A bot choosing random legal actions: mostly check/call, some raises, rare all-ins,
// and folds to big bets (so that 200 hands need not many tables).
function play(c, seat, stats) {
  c.ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    if (m.type !== 'game_state') return;
    const actions = c.agent ? m.actions : m.legalActions;
    if (!actions || !actions.length) return;
    const by = (k) => actions.find((a) => a.kind === k);
    const raise = by('raiseTo');
    const min = raise && (c.agent ? raise.min : raise.minAmount);
    const max = raise && (c.agent ? raise.max : raise.maxAmount);
    const me = m.players.find((p) => (c.agent ? p.seat : p.seatId) === seat);
    const big = m.toCall > (me.stack + me.bet) / 5;
    const pick = Math.random();
    let a;
    if (big && pick < 0.8) a = { kind: 'fold' };
    else if (pick < 0.05) a = { kind: 'fold' };
    else if (pick < 0.065 && raise) { a = { kind: 'raiseTo', amount: max }; stats.allins++; }
    else if (pick < 0.3 && raise) a = { kind: 'raiseTo', amount: min + Math.floor(Math.random() * Math.min(max - min + 1, 10)) };
    else a = by('check') ? { kind: 'check' } : by('call') ? { kind: 'call' } : { kind: 'fold' };
    const msg = { type: 'action', action: { turn_token: m.turn_token, ...a }, expected_seq: m.seq };
    if (Math.random() < 0.3) msg.action.reasoning = `seat ${seat} thinks ${a.kind} is right here`;
    c.send(msg);
  });
}

// Chip conservation and card secrecy over one client's frames.
function audit(c, me, total) {
  let folded = new Set();
  for (const f of c.frames) {
    const m = body(f);
    if (m.type === 'game_state') {
      const players = m.players.map((p) => (c.agent ? p : { seat: p.seatId, stack: p.stack, bet: p.bet, folded: p.folded }));
      const pot = c.agent ? m.pot : m.pots.reduce((s, p) => s + p.amount, 0);
      const chips = players.reduce((s, p) => s + p.stack + p.bet, 0);
      if (m.phase === 'ended') assert.equal(chips, total, `chips after hand ${c.agent ? m.hand : m.handNumber}`);
      else if (m.phase !== 'waiting') assert.equal(chips + pot, total, 'chips during a hand');
      folded = new Set(players.filter((p) => p.folded).map((p) => p.seat));
    } else if (m.type === 'hand_complete') {
      for (const r of m.results) {
        const seat = c.agent ? r.seat : r.seatId;
        const cards = c.agent ? r.cards : r.holeCards;
        if (seat !== me && cards.length) {
          assert.ok(m.showdown, 'cards of another seat without a showdown');
          assert.ok(!folded.has(seat), `folded hand of seat ${seat} revealed to ${me}`);
        }
      }
    }
  }
}

test('six agents play 200 hands: shapes, chips, secrecy, PHH replay', { timeout: 600000 }, async () => {
  const tables = [];
  const stats = { allins: 0 };
  let hands = 0;
  while (hands < HANDS) {
    const t = await createTable({ seats: 6, stack: STACK });
    tables.push(t.id);
    const players = [];
    const clients = [];
    // Five seated: the table waits (min 2, but a long start delay), each player is
    // told it waits and sees the others join.
    for (let s = 0; s < 5; s++) {
      players.push(await seatAgent(t, s));
      const c = connect(players[s].token, { agent: s % 2 === 0, base: players[s].wsUrl, label: `seat${s}` });
      clients.push(c);
      await c.next((m) => body(m).type === 'welcome');
      const st = body(await c.next((m) => body(m).type === 'table_status'));
      assert.equal(st.status, 'waiting');
      assert.equal(st.current_players, s + 1);
    }
    await clients[0].next((m) => body(m).type === 'player_joined' && body(m).seatId === 4);
    // The sixth fills the table: it starts at once.
    players.push(await seatAgent(t, 5));
    clients.push(connect(players[5].token, { agent: false, base: players[5].wsUrl, label: 'seat5' }));
    for (let s = 0; s < 6; s++) play(clients[s], s, stats);
    for (const c of clients) await c.next((m) => body(m).type === 'game_state', { what: 'first game_state' });
    // Play until enough hands or one player has every chip.
    const want = HANDS - hands;
    let ended = false, done = 0;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${done} hands`)), 480000);
      clients[0].ws.on('message', (d) => {
        const m = body(JSON.parse(d.toString()));
        if (m.type === 'hand_complete' && ++done >= want) { clearTimeout(timer); resolve(); }
        if (m.type === 'table_status' && m.status === 'ended') { ended = true; clearTimeout(timer); resolve(); }
      });
    });
    hands += done;
    if (!ended) {
      await command(t, 'stop');
      for (const c of clients) {
        const st = body(await c.next((m) => body(m).type === 'table_status' && body(m).status === 'ended'));
        assert.equal(st.reason, 'admin_stopped');
        assert.equal(st.final_stacks.reduce((s, x) => s + x.stack, 0), 6 * STACK);
      }
    }
    for (const c of clients) {
      const closed = await c.waitClose();
      assert.equal(closed.code, 1000);
    }
    for (let s = 0; s < 6; s++) {
      checkFrames(clients[s], s);
      audit(clients[s], s, 6 * STACK);
    }
    // Stored: every hand, its seats' rows add up, and the seats have the final stacks.
    const stored = Number(sql(`SELECT count(*) FROM hands WHERE table_id = '${t.id}'`));
    assert.ok(stored >= done, `${stored} hands stored, ${done} seen`);
    assert.equal(Number(sql(`SELECT sum(stack_chips) FROM seats WHERE table_id = '${t.id}'`)), 6 * STACK);
    assert.equal(sql(`SELECT count(*) FROM hands h WHERE table_id = '${t.id}' AND
        (SELECT sum(end_stack_chips - start_stack_chips) FROM hand_seats WHERE hand_id = h.id) <> 0`), '0');
    assert.equal(sql(`SELECT status FROM tables WHERE id = '${t.id}'`), 'ended');
  }
  assert.ok(stats.allins > 0, 'no all-in was played');

  // Every stored hand as PHH, through felt-replay.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'felt-phh-'));
  try {
    let n = 0;
    for (const id of tables) {
      const r = feltctl('hand-phh', '--table', id);
      assert.equal(r.code, 0, r.stderr);
      fs.writeFileSync(path.join(dir, `${id}.phhs`), r.stdout);
      n += (r.stdout.match(/^\[\d+\]$/gm) || []).length;
    }
    assert.ok(n >= HANDS, `${n} hands exported`);
    const replay = spawnSync(path.join(process.env.FELT_BIN, 'tools', 'felt-replay'), ['--check', dir],
      { encoding: 'utf8' });
    assert.equal(replay.status, 0, replay.stdout.slice(-2000) + replay.stderr);
    assert.match(replay.stdout, new RegExp(`^${n} passed, 0 failed$`, 'm'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a table with money: each hand moves in-play money and rake with its history', { timeout: 120000 }, async () => {
  // A cash table (felt-api does not seat those yet: issue 10): 10 ucents a chip,
  // 5 % rake.
  const t = createTableSql({ kind: 'cash', seats: 2, sb: 10, bb: 20, stack: 1000, chipUcents: 10,
    rakeBp: 500 });
  const id = t.id;
  const p = [await seatAgent(t, 0, { sqlOnly: true, stack: 1000 }), await seatAgent(t, 1, { sqlOnly: true, stack: 1000 })];
  // Each buys in for 1,000 chips = 10,000 ucents ($1): balance -> in play.
  for (const x of p) {
    assert.equal(feltctl('credit', x.agent, '1.00', '--reason', 'wsd money test').code, 0);
    sql(`SELECT ledger_post('buy_in', '{}', ARRAY[balance_account, in_play_account], ARRAY[-10000, 10000]::bigint[])
      FROM ledger_agent_accounts('${x.agent}')`);
  }
  const rakeBefore = Number(sql(`SELECT coalesce(sum(balance_ucents), 0) FROM accounts WHERE kind = 'rake'`));
  const c = p.map((x, i) => connect(x.token, { label: `m${i}` }));
  let hands = 0;
  c.forEach((cl) => cl.ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    if (m.type === 'hand_complete' && cl === c[0]) hands++;
    if (m.type === 'game_state' && m.actions) {
      cl.send({ type: 'action', action: { turn_token: m.turn_token,
        kind: m.actions.some((a) => a.kind === 'check') ? 'check' : 'call' }, expected_seq: m.seq });
    }
  }));
  await require('./lib.js').waitFor(() => hands >= 4, { tries: 600 });
  // /v1 stops agent tables only: the stop command as felt-api files one.
  sql(`INSERT INTO table_commands (table_id, kind) VALUES ('${id}', 'stop'); NOTIFY felt_tables, '${id}';`);
  for (const cl of c) await cl.waitClose();
  // A cash table that ends returns each seat's chips to its agent's balance (sql/060)
  // and empties the seats: in play is 0, the balance is the final stack at 10 ucents a
  // chip (each bought in with all it had); the rake went to the platform.
  let stacks = 0;
  for (const x of p) {
    const [balance, inPlay] = sql(`SELECT balance_ucents, in_play_ucents FROM agent_balances
      WHERE agent_id = '${x.agent}'`).split('|').map(Number);
    assert.equal(inPlay, 0);
    assert.equal(balance % 10, 0);
    stacks += balance / 10;
  }
  assert.equal(sql(`SELECT count(*) FROM seats WHERE table_id = '${id}' AND agent_id IS NOT NULL`), '0');
  const rake = Number(sql(`SELECT sum(rake_chips) FROM hands WHERE table_id = '${id}'`));
  assert.ok(rake > 0, 'some pot was raked');
  assert.equal(stacks + rake, 2000, 'chips: stacks + rake');
  const rakeAfter = Number(sql(`SELECT coalesce(sum(balance_ucents), 0) FROM accounts WHERE kind = 'rake'`));
  assert.equal(rakeAfter - rakeBefore, rake * 10);
  assert.equal(sql('SELECT invariant_holds FROM accounting_invariant'), 't');
  assert.ok(Number(sql(`SELECT count(*) FROM ledger_txns WHERE kind = 'hand' AND reference->>'table' = '${id}'`)) >= 1);
});

// README "Provably fair deals": the deck is ChaCha20(seed) through Fisher-Yates with
// rejection sampling, committed as SHA-256(seed || the 52 card bytes).
function deckOf(seedHex) {
  const crypto = require('node:crypto');
  const seed = Buffer.from(seedHex, 'hex');
  const ks = crypto.createCipheriv('chacha20', seed, Buffer.alloc(16)).update(Buffer.alloc(4096));
  const cards = Array.from({ length: 52 }, (_, i) => i);
  let k = 0;
  for (let i = 51; i >= 1; i--) {
    const n = i + 1;
    let b;
    do b = ks[k++]; while (b >= 256 - (256 % n));
    const j = b % n;
    [cards[i], cards[j]] = [cards[j], cards[i]];
  }
  const commitment = crypto.createHash('sha256').update(Buffer.concat([seed, Buffer.from(cards)])).digest('hex');
  const text = cards.map((c) => '23456789TJQKA'[c >> 2] + 'cdhs'[c & 3]);
  return { commitment, text };
}

test('provably fair: each stored hand\'s seed gives its committed deck, its cards and its board', async () => {
  const rows = sql(`SELECT h.deck_seed, h.deck_commitment, h.board,
      (SELECT string_agg(hs.hole_cards, ',') FROM hand_seats hs WHERE hs.hand_id = h.id),
      (SELECT count(*) FROM hand_seats hs WHERE hs.hand_id = h.id)
    FROM hands h ORDER BY h.ended_at DESC LIMIT 100`).split('\n').filter(Boolean);
  assert.ok(rows.length > 0);
  for (const row of rows) {
    const [seed, commitment, board, holes, n] = row.split('|');
    const d = deckOf(seed);
    assert.equal(d.commitment, commitment, `hand with seed ${seed}`);
    // Hole cards are the first 2n cards of the deck, the board the next ones (no burns).
    const dealt = new Set(d.text.slice(0, 2 * Number(n)));
    for (const h of holes.split(',')) {
      assert.ok(dealt.has(h.slice(0, 2)) && dealt.has(h.slice(2, 4)), `${h} from the deck's top`);
    }
    assert.equal(board, d.text.slice(2 * Number(n), 2 * Number(n) + board.length / 2).join(''));
  }
});
