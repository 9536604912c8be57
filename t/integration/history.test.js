// An agent's games over the Open Poker REST surface (issue 10 item 5): GET
// /api/me/active-game, GET /api/me/hand-history and GET /api/hands/{id}.phh, against
// hands really played through felt-wsd: shapes field by field against seed 000 and the
// stored rows, pagination, redaction (another seat's unshown cards never appear), the
// 401/404/422 paths, and every exported hand replaying in felt-replay to its stored
// final stacks.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { api, feltctl, waitFor, getPlatformKey } = require('./lib.js');
const { sql, createTable, createTableSql, seatAgent, connect, body } = require('./wslib.js');

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const CARD = /^[2-9TJQKA][cdhs]$/;
const ACTIONS = ['fold', 'check', 'call', 'raise', 'all_in'];
const STREETS = ['preflop', 'flop', 'turn', 'river'];

// Random legal actions (agent format): mostly check/call, some raises, rare all-ins and
// folds, so that hands reach showdowns and also end in folds.
function bot(c) {
  c.ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    if (m.type !== 'game_state' || !m.actions || !m.actions.length) return;
    const by = (k) => m.actions.find((a) => a.kind === k);
    const raise = by('raiseTo');
    const pick = Math.random();
    let a;
    if (pick < 0.12) a = { kind: 'fold' };
    else if (pick < 0.15 && raise) a = { kind: 'raiseTo', amount: raise.max };
    else if (pick < 0.35 && raise) a = { kind: 'raiseTo', amount: raise.min };
    else a = by('check') ? { kind: 'check' } : by('call') ? { kind: 'call' } : { kind: 'fold' };
    c.send({ type: 'action', action: { turn_token: m.turn_token, ...a }, expected_seq: m.seq });
  });
}

// Play until `want` hands are complete (or the game ends), then stop the table. At a
// cash table a busted player leaves at once (its socket closes) and the table ends at
// the next deal: either ends the play.
async function playHands(clients, want, stop) {
  let done = 0, ended = false;
  clients[0].ws.on('message', (d) => {
    const m = body(JSON.parse(d.toString()));
    if (m.type === 'hand_complete') done++;
    if (m.type === 'table_status' && m.status === 'ended') ended = true;
  });
  clients[0].ws.on('close', () => { ended = true; });
  clients.forEach(bot);
  await waitFor(() => done >= want || ended, { tries: 2400 });
  if (!ended) await stop();
  for (const c of clients) await c.waitClose({ timeoutMs: 30000 });
}

const history = (key, q = '') => api('GET', `/api/me/hand-history${q}`, { key });

// The stored seats of the given hands: {hand_id: {seat: {agent, start, end, hole, shown}}}.
function storedSeats(handIds) {
  const out = {};
  const rows = sql(`SELECT hand_id, seat_no, agent_id, start_stack_chips, end_stack_chips, hole_cards, shown
      FROM hand_seats WHERE hand_id IN (${handIds.map((h) => `'${h}'`).join(',')})`).split('\n');
  for (const row of rows.filter(Boolean)) {
    const [hand, seat, agent, start, end, hole, shown] = row.split('|');
    (out[hand] ??= {})[seat] = { agent, start: Number(start), end: Number(end), hole, shown: shown === 't' };
  }
  return out;
}

// The cards a history entry shows: every string in it that is one card.
function jsonCards(o, out = new Set()) {
  if (typeof o === 'string' && CARD.test(o)) out.add(o);
  else if (o && typeof o === 'object') for (const v of Object.values(o)) jsonCards(v, out);
  return out;
}

// The cards a PHH text deals or shows (d dh pN CARDS, pN sm CARDS).
function phhCards(text) {
  const out = new Set();
  for (const m of text.matchAll(/'(?:d dh p\d+|p\d+ sm) ([^']*)'/g)) {
    for (const c of m[1].match(/.{2}/g) ?? []) if (CARD.test(c)) out.add(c);
  }
  return out;
}

// No card of another seat's unshown hand is among the cards shown, except on the board.
const hidden = { unshown: 0, shown: 0 };
function assertRedacted(cards, seats, me, board, what) {
  for (const [seat, s] of Object.entries(seats)) {
    if (Number(seat) !== me) hidden[s.shown ? 'shown' : 'unshown']++;
    if (Number(seat) === me || s.shown) continue;
    for (const card of [s.hole.slice(0, 2), s.hole.slice(2, 4)]) {
      if (board.includes(card)) continue;
      assert.ok(!cards.has(card), `${what}: seat ${seat}'s unshown ${card} is visible to seat ${me}`);
    }
  }
}

let table, players;

test('set up: three agents play hands through felt-wsd; active-game while seated', { timeout: 300000 }, async () => {
  table = await createTable({ seats: 3, stack: 1000, sb: 1, bb: 2 });
  players = [];
  for (let s = 0; s < 3; s++) players.push(await seatAgent(table, s));
  // Seated at a waiting table: playing, with the stack it will start with.
  let g = await api('GET', '/api/me/active-game', { key: players[1].key });
  assert.equal(g.status, 200, g.body);
  assert.deepEqual(g.json, { playing: true, table_id: table.id, seat: 1, stack_cents: null,
    stack_ucents: null, stack: 1000 });
  const clients = players.map((p, i) => connect(p.token, { label: `h${i}` }));
  for (const c of clients) await c.next((m) => body(m).type === 'welcome');
  await api('POST', `/v1/admin/tables/${table.id}/start`, { key: getPlatformKey() });
  await playHands(clients, 12, () => api('POST', `/v1/admin/tables/${table.id}/stop`, { key: getPlatformKey() }));
  assert.equal(sql(`SELECT status FROM tables WHERE id = '${table.id}'`), 'ended');
  // The table ended: nobody plays there any more.
  for (const p of players) {
    g = await api('GET', '/api/me/active-game', { key: p.key });
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, { playing: false, table_id: null, seat: null, stack_cents: null,
      stack_ucents: null, stack: null });
  }
  assert.ok(Number(sql(`SELECT count(*) FROM hands WHERE table_id = '${table.id}'`)) >= 3);
});

test('hand-history: seed 000 fields and the stored hands, newest first, redacted', async () => {
  for (const p of players) {
    const r = await history(p.key, '?limit=200');
    assert.equal(r.status, 200, r.body);
    assert.deepEqual(Object.keys(r.json).sort(), ['hands', 'limit', 'offset']);
    assert.equal(r.json.limit, 200);
    assert.equal(r.json.offset, 0);
    const hands = r.json.hands;
    const want = sql(`SELECT h.id FROM hands h JOIN hand_seats s ON s.hand_id = h.id
        WHERE s.agent_id = '${p.agent}' ORDER BY h.ended_at DESC, h.id DESC`).split('\n').filter(Boolean);
    assert.deepEqual(hands.map((h) => h.hand_id), want, 'every hand played, newest first');
    const seats = storedSeats(want);
    for (const h of hands) {
      const stored = sql(`SELECT table_id, hand_number, button_seat, small_blind_chips, big_blind_chips,
          pot_chips, rake_chips, board,
          to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
          to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        FROM hands WHERE id = '${h.hand_id}'`).split('|');
      const mine = Object.entries(seats[h.hand_id]).find(([, s]) => s.agent === p.agent);
      const seat = Number(mine[0]), me = mine[1];
      assert.deepEqual(Object.keys(h).sort(), ['actions', 'big_blind_chips', 'board', 'chip_ucents',
        'dealer_seat', 'ended_at', 'hand_id', 'hand_number', 'hole_cards', 'num_players', 'pot_chips',
        'profit', 'profit_chips', 'rake_chips', 'seat', 'shown_cards', 'small_blind_chips',
        'stack_end', 'stack_end_chips', 'stack_start', 'stack_start_chips', 'started_at',
        'table_id', 'winners'].sort());
      // Seed 000's fields; a play-chip table counts in chips (integers).
      assert.equal(h.table_id, stored[0]);
      assert.equal(h.hand_number, Number(stored[1]));
      assert.equal(h.seat, seat);
      assert.equal(h.stack_start, me.start);
      assert.equal(h.stack_end, me.end);
      assert.equal(h.profit, me.end - me.start);
      assert.equal(h.stack_start_chips, me.start);
      assert.equal(h.stack_end_chips, me.end);
      assert.equal(h.profit_chips, me.end - me.start);
      assert.match(h.started_at, ISO);
      assert.match(h.ended_at, ISO);
      assert.equal(h.started_at, stored[8]);
      assert.equal(h.ended_at, stored[9]);
      // The additions.
      assert.equal(h.dealer_seat, Number(stored[2]));
      assert.equal(h.small_blind_chips, Number(stored[3]));
      assert.equal(h.big_blind_chips, Number(stored[4]));
      assert.equal(h.pot_chips, Number(stored[5]));
      assert.equal(h.rake_chips, Number(stored[6]));
      assert.equal(h.chip_ucents, 0);
      assert.equal(h.num_players, Object.keys(seats[h.hand_id]).length);
      assert.equal(h.board.join(''), stored[7]);
      assert.deepEqual(h.hole_cards, [me.hole.slice(0, 2), me.hole.slice(2, 4)]);
      const shown = Object.entries(seats[h.hand_id]).filter(([, s]) => s.shown);
      assert.deepEqual(Object.keys(h.shown_cards).sort(), shown.map(([s]) => s).sort());
      for (const [s, x] of shown) assert.deepEqual(h.shown_cards[s], [x.hole.slice(0, 2), x.hole.slice(2, 4)]);
      // A hand has decisions, unless a blind put a player all-in and nobody had to act.
      assert.ok(h.actions.length > 0 || Object.values(seats[h.hand_id]).some((x) => x.start <= h.big_blind_chips),
        `hand ${h.hand_id} without actions`);
      for (const a of h.actions) {
        assert.deepEqual(Object.keys(a).sort(), ['action', 'amount', 'seat', 'street']);
        assert.ok(ACTIONS.includes(a.action), a.action);
        assert.ok(STREETS.includes(a.street), a.street);
        assert.ok(seats[h.hand_id][a.seat], `action of seat ${a.seat} dealt in`);
        if (a.action === 'raise' || a.action === 'all_in') assert.ok(Number.isInteger(a.amount) && a.amount > 0);
        else assert.equal(a.amount, null);
      }
      const won = Object.values(seats[h.hand_id]).some((s) => s.end > s.start);
      assert.ok(h.winners.length > 0 || !won);
      for (const w of h.winners) {
        assert.deepEqual(Object.keys(w).sort(), ['amount', 'name', 'seat']);
        assert.equal(typeof w.name, 'string');
        assert.ok(w.amount > 0);
      }
      assertRedacted(jsonCards(h), seats[h.hand_id], seat, stored[7].match(/.{2}/g) ?? [], `hand ${h.hand_id}`);
    }
  }
  // The redaction was tried on both kinds of hands.
  assert.ok(hidden.unshown > 0 && hidden.shown > 0, JSON.stringify(hidden));
});

test('hand-history: limit and offset page the same list; bad values are 422; no key is 401', async () => {
  // The player with the most hands (one may have busted early).
  let key, all = [];
  for (const p of players) {
    const ids = (await history(p.key, '?limit=200')).json.hands.map((h) => h.hand_id);
    if (ids.length > all.length) { key = p.key; all = ids; }
  }
  assert.ok(all.length >= 3, `${all.length} hands`);
  const byDefault = await history(key);
  assert.equal(byDefault.json.limit, 50);
  assert.equal(byDefault.json.offset, 0);
  assert.deepEqual(byDefault.json.hands.map((h) => h.hand_id), all.slice(0, 50));
  const pages = [];
  for (let off = 0; off < all.length; off += 2) {
    const r = await history(key, `?limit=2&offset=${off}`);
    assert.equal(r.status, 200);
    assert.equal(r.json.limit, 2);
    assert.equal(r.json.offset, off);
    pages.push(...r.json.hands.map((h) => h.hand_id));
  }
  assert.deepEqual(pages, all);
  const past = await history(key, `?offset=${all.length}`);
  assert.deepEqual(past.json.hands, []);
  for (const q of ['?limit=0', '?limit=201', '?limit=abc', '?limit=-1', '?offset=-1', '?offset=1.5',
    '?limit=', '?offset=1e3']) {
    const r = await history(key, q);
    assert.equal(r.status, 422, q);
    assert.equal(typeof r.json.detail, 'string', q);
  }
  for (const k of [undefined, 'op_live_nope']) {
    for (const p of ['/api/me/hand-history', '/api/me/active-game', `/api/hands/${all[0]}.phh`]) {
      const r = await api('GET', p, { key: k });
      assert.equal(r.status, 401, `${p} with ${k}`);
      assert.equal(typeof r.json.detail, 'string');
    }
  }
});

// felt-replay --check over files; returns its stdout.
function replay(files, args = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'felt-history-phh-'));
  try {
    files.forEach((text, i) => fs.writeFileSync(path.join(dir, `${String(i).padStart(4, '0')}.phh`), text));
    const r = spawnSync(path.join(process.env.FELT_BIN, 'tools', 'felt-replay'), ['--check', ...args, dir],
      { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout.slice(-2000) + r.stderr);
    assert.match(r.stdout, new RegExp(`^${files.length} passed, 0 failed$`, 'm'));
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const phhList = (text, key) => {
  const m = text.match(new RegExp(`^${key} = \\[([^\\]]*)\\]$`, 'm'));
  return m[1].split(',').map((x) => Number(x.trim()));
};

// Each PHH says the stacks felt stored: the same starting and finishing stacks (PHH
// lists players from the seat after the button, felt by seat: compared as sets).
function assertStoredStacks(text, seats, what) {
  const sorted = (a) => [...a].sort((x, y) => x - y);
  assert.deepEqual(sorted(phhList(text, 'starting_stacks')), sorted(Object.values(seats).map((s) => s.start)), what);
  assert.deepEqual(sorted(phhList(text, 'finishing_stacks')), sorted(Object.values(seats).map((s) => s.end)), what);
}

test('PHH: a player gets its hands with its own and the shown cards; all replay to the stored stacks', async () => {
  const p = players[0];
  const ids = (await history(p.key, '?limit=200')).json.hands.map((h) => h.hand_id);
  const seats = storedSeats(ids);
  const files = [];
  for (const id of ids) {
    const r = await api('GET', `/api/hands/${id}.phh`, { key: p.key });
    assert.equal(r.status, 200, r.body);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
    const text = r.body;
    assert.match(text, /^variant = 'NT'$/m);
    const me = Object.entries(seats[id]).find(([, s]) => s.agent === p.agent);
    assert.ok(text.includes(me[1].hole), `own cards ${me[1].hole} in hand ${id}`);
    for (const s of Object.values(seats[id])) if (s.shown) assert.ok(text.includes(s.hole), 'shown cards');
    const board = sql(`SELECT board FROM hands WHERE id = '${id}'`);
    assert.ok(phhCards(text).size >= 2);
    assertRedacted(phhCards(text), seats[id], Number(me[0]), board.match(/.{2}/g) ?? [], `PHH ${id}`);
    assertStoredStacks(text, seats[id], `PHH ${id}`);
    files.push(text);
  }
  replay(files);
  // Upper-case hex names the same hand.
  const upper = await api('GET', `/api/hands/${ids[0].toUpperCase()}.phh`, { key: p.key });
  assert.equal(upper.status, 200);
});

test('PHH: the platform key gets every card of any hand; others get 404 as for no hand', async () => {
  const ids = sql(`SELECT id FROM hands WHERE table_id = '${table.id}' ORDER BY hand_number`).split('\n');
  const seats = storedSeats(ids);
  const files = [];
  for (const id of ids) {
    const r = await api('GET', `/api/hands/${id}.phh`, { key: getPlatformKey() });
    assert.equal(r.status, 200, r.body);
    assert.ok(!r.body.includes('??'), 'the platform sees every card');
    for (const s of Object.values(seats[id])) assert.ok(r.body.includes(s.hole));
    assertStoredStacks(r.body, seats[id], `PHH ${id}`);
    files.push(r.body);
  }
  replay(files);
  // Someone who did not play it: 404, the same answer as for a hand that does not exist.
  const stranger = (await api('POST', '/v1/agents', { body: { name: `hist_${process.pid}_${Date.now() % 1e6}` } })).json;
  const notMine = await api('GET', `/api/hands/${ids[0]}.phh`, { key: stranger.api_key });
  const none = await api('GET', '/api/hands/00000000-0000-4000-8000-000000000000.phh', { key: stranger.api_key });
  assert.equal(notMine.status, 404);
  assert.equal(none.status, 404);
  assert.equal(notMine.body, none.body);
  assert.deepEqual(none.json, { detail: 'Hand not found' });
  for (const bad of [ids[0], `${ids[0]}.txt`, `${ids[0]}.phh.phh`, 'x.phh', `${ids[0].slice(1)}g.phh`]) {
    const r = await api('GET', `/api/hands/${bad}`, { key: getPlatformKey() });
    assert.equal(r.status, 404, bad);
  }
  assert.deepEqual((await history(stranger.api_key)).json, { hands: [], limit: 50, offset: 0 });
});

test('a money table: active-game in cents, history in dollars, PHH replays with its rake', { timeout: 120000 }, async () => {
  // A cash table seated as felt-api will (issue 10): 10 ucents a chip, 5 % rake.
  const t = createTableSql({ kind: 'cash', seats: 2, sb: 10, bb: 20, stack: 1000, chipUcents: 10, rakeBp: 500 });
  const p = [await seatAgent(t, 0, { sqlOnly: true, stack: 1005 }), await seatAgent(t, 1, { sqlOnly: true, stack: 1000 })];
  // Each buys its stack in: balance -> in play.
  for (const [i, x] of p.entries()) {
    const ucents = (i === 0 ? 1005 : 1000) * 10;
    assert.equal(feltctl('credit', x.agent, '2.00', '--reason', 'history money test').code, 0);
    sql(`SELECT ledger_post('buy_in', '{}', ARRAY[balance_account, in_play_account], ARRAY[-${ucents}, ${ucents}]::bigint[])
      FROM ledger_agent_accounts('${x.agent}')`);
  }
  // 1,005 chips at 10 ucents = 10,050 ucents = 100.5 cents: whole cents toward zero.
  const g = await api('GET', '/api/me/active-game', { key: p[0].key });
  assert.deepEqual(g.json, { playing: true, table_id: t.id, seat: 0, stack_cents: 100, stack_ucents: 10050, stack: 1005 });
  const clients = p.map((x, i) => connect(x.token, { label: `m${i}` }));
  await playHands(clients, 4, () => sql(`INSERT INTO table_commands (table_id, kind) VALUES ('${t.id}', 'stop');
      NOTIFY felt_tables, '${t.id}';`));
  const hands = (await history(p[0].key)).json.hands.filter((h) => h.table_id === t.id);
  assert.ok(hands.length >= 1);
  const seats = storedSeats(hands.map((h) => h.hand_id));
  for (const h of hands) {
    const me = seats[h.hand_id][0];
    assert.equal(h.chip_ucents, 10);
    assert.equal(h.stack_start_ucents, me.start * 10);
    assert.equal(h.stack_end_ucents, me.end * 10);
    assert.equal(h.profit_ucents, (me.end - me.start) * 10);
    // Dollars as numbers, exactly the ucents / 10,000.
    assert.equal(h.stack_start, me.start * 10 / 10000);
    assert.equal(h.profit, (me.end - me.start) * 10 / 10000);
  }
  const files = [];
  for (const h of hands) files.push((await api('GET', `/api/hands/${h.hand_id}.phh`, { key: p[1].key })).body);
  replay(files, ['--rake', '500', '--rake-cap', '0']);
});

test('a stored hand whose log cannot be read is still listed, with its stacks and no cards', async () => {
  const a = (await api('POST', '/v1/agents', { body: { name: `hist_bad_${process.pid}_${Date.now() % 1e6}` } })).json;
  const id = sql(`INSERT INTO hands (table_id, hand_number, button_seat, small_blind_chips, big_blind_chips,
        chip_ucents, deck_commitment, deck_seed, pot_chips, started_at, ended_at, events)
      VALUES ('${table.id}', 1000000 + (random() * 1000000)::int, 0, 1, 2, 0, repeat('a', 64), repeat('b', 64), 0,
        now(), now(), '[{"type": "nonsense"}]') RETURNING id`).split('\n')[0];
  sql(`INSERT INTO hand_seats (hand_id, seat_no, agent_id, start_stack_chips, end_stack_chips, hole_cards)
      VALUES ('${id}', 1, '${a.agent_id}', 100, 90, 'AsKd')`);
  const r = await history(a.api_key);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.hands.length, 1);
  const h = r.json.hands[0];
  assert.equal(h.hand_id, id);
  assert.equal(h.profit, -10);
  assert.deepEqual([h.actions, h.board, h.hole_cards, h.shown_cards, h.winners], [[], [], null, {}, []]);
});
