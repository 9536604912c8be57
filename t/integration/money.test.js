// Money through nginx: GET /api/balance, GET /api/transactions, feltctl credit/debit,
// GET /api/accounting, GET /api/platform/revenue, GET /api/public-config (issue 4).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { api, psql, feltctl, uniqueName, getPlatformKey } = require('./lib.js');

async function register() {
  const name = uniqueName('mon');
  const r = await api('POST', '/api/register', { body: { name, email: `${name.toLowerCase()}@example.com` } });
  assert.equal(r.status, 201, r.body);
  return r.json;
}

function credit(agent, amount, reason = 'integration test') {
  return feltctl('credit', agent, amount, '--reason', reason);
}
function debit(agent, amount, reason = 'integration test') {
  return feltctl('debit', agent, amount, '--reason', reason);
}

function assertDetail(r, status, re) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(typeof r.json?.detail, 'string', r.body);
  if (re) assert.match(r.json.detail, re);
}

test('a new agent has 0.00 of everything', async () => {
  const a = await register();
  const r = await api('GET', '/api/balance', { key: a.api_key });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.agent_id, a.agent_id);
  // Dollars are rendered from integers: the text itself is exact.
  assert.match(r.body, /"balance":0\.00[,}]/);
  assert.match(r.body, /"locked_in_play":0\.00[,}]/);
  assert.match(r.body, /"total":0\.00[,}]/);
  const t = await api('GET', '/api/transactions', { key: a.api_key });
  assert.equal(t.status, 200, t.body);
  assert.deepEqual(t.json.transactions, []);
  assert.equal(t.json.total, 0);
  assert.equal(t.json.limit, 50);
  assert.equal(t.json.offset, 0);
});

test('feltctl credit and debit move the balance exactly', async () => {
  const a = await register();
  let c = credit(a.name, '12.34');
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, new RegExp(`^credit txn=\\d+ agent=${a.agent_id} amount=12\\.34 balance=12\\.34$`, 'm'));
  c = credit(a.agent_id, '0.01');
  assert.equal(c.code, 0, c.stderr);
  // An agent is named exactly: another case is nobody, and nothing moves.
  c = debit(a.name.toUpperCase(), '2.35');
  assert.equal(c.code, 1, c.stdout);
  assert.match(c.stderr, /no agent with that exact id or name/);
  c = debit(a.name, '2.35');
  assert.equal(c.code, 0, c.stderr);
  const r = await api('GET', '/api/balance', { key: a.api_key });
  assert.match(r.body, /"balance":10\.00[,}]/);
  assert.equal(r.json.balance_ucents, 100000);
  assert.match(r.body, /"total":10\.00[,}]/);
  const me = await api('GET', '/api/me', { key: a.api_key });
  assert.match(me.body, /"balance":10\.00[,}]/);
});

test('feltctl refuses bad adjustments and posts nothing', async () => {
  const a = await register();
  assert.equal(credit(a.name, '5').code, 0);
  const before = psql('SELECT count(*) FROM ledger_txns').stdout.trim();
  for (const args of [
    ['debit', a.name, '5.01', '--reason', 'overdraft'],   // more than the balance
    ['credit', a.name, '1.001', '--reason', 'r'],         // 3 decimals
    ['credit', a.name, '-1', '--reason', 'r'],
    ['credit', a.name, '0', '--reason', 'r'],
    ['credit', a.name, '1e3', '--reason', 'r'],
    ['credit', a.name, 'abc', '--reason', 'r'],
    ['credit', a.name, '99999999999999999999', '--reason', 'r'],
    ['credit', a.name, '1'],                               // no reason
    ['credit', a.name, '1', '--reason', ''],
    ['credit', 'no_such_agent_x', '1', '--reason', 'r'],
    ['credit', "x' OR '1'='1", '1', '--reason', 'r'],
  ]) {
    const r = feltctl(...args);
    assert.notEqual(r.code, 0, `accepted ${args.join(' ')}`);
    assert.ok(r.stderr.length > 0);
  }
  assert.equal(psql('SELECT count(*) FROM ledger_txns').stdout.trim(), before);
  const r = await api('GET', '/api/balance', { key: a.api_key });
  assert.equal(r.json.balance_ucents, 50000);
});

test('transactions: one row per txn, newest first, signed, running balance', async () => {
  const a = await register();
  credit(a.name, '3.00', "first 'quoted' reason");
  credit(a.name, '2.50');
  debit(a.name, '1.25');
  const r = await api('GET', '/api/transactions', { key: a.api_key });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.total, 3);
  const t = r.json.transactions;
  assert.deepEqual(t.map((x) => x.type), ['adjustment', 'adjustment', 'adjustment']);
  assert.deepEqual(t.map((x) => x.amount_ucents), [-12500, 25000, 30000]);
  assert.deepEqual(t.map((x) => x.balance_after_ucents), [42500, 55000, 30000]);
  assert.ok(t[0].id > t[1].id && t[1].id > t[2].id, 'newest first');
  assert.match(r.body, /"amount":-1\.25,/);
  assert.match(r.body, /"balance_after":4\.25,/);
  assert.equal(t[2].reference.reason, "first 'quoted' reason");
  assert.equal(t[0].reference.direction, 'debit');
  assert.equal(t[0].reference.operator, undefined, 'operator identity stays internal');
  for (const x of t) assert.match(x.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // Pagination.
  const p = await api('GET', '/api/transactions?limit=1&offset=1', { key: a.api_key });
  assert.equal(p.status, 200);
  assert.equal(p.json.transactions.length, 1);
  assert.equal(p.json.transactions[0].id, t[1].id);
  assert.equal(p.json.total, 3);
  const past = await api('GET', '/api/transactions?offset=10', { key: a.api_key });
  assert.deepEqual(past.json.transactions, []);
  assert.equal(past.json.total, 3);
  const max = await api('GET', '/api/transactions?limit=200', { key: a.api_key });
  assert.equal(max.status, 200);
});

test('transactions: out-of-range or malformed limit/offset is 422', async () => {
  const a = await register();
  for (const q of ['limit=0', 'limit=201', 'limit=-1', 'limit=abc', 'limit=1.5', 'limit=',
    'limit=1e2', 'offset=-1', 'offset=x', 'limit=99999999999999999999999', "limit=1'--"]) {
    assertDetail(await api('GET', `/api/transactions?${q}`, { key: a.api_key }), 422, /limit|offset/);
  }
});

test('an agent sees only its own transactions', async () => {
  const a = await register();
  const b = await register();
  credit(a.name, '1.00');
  const r = await api('GET', '/api/transactions', { key: b.api_key });
  assert.equal(r.json.total, 0);
});

test('platform endpoints: 401 without key, 403 for agents, 200 for the platform', async () => {
  const a = await register();
  for (const path of ['/api/accounting', '/api/platform/revenue']) {
    assertDetail(await api('GET', path), 401);
    assertDetail(await api('GET', path, { key: 'op_live_' + 'z'.repeat(43) }), 401);
    assertDetail(await api('GET', path, { key: a.api_key }), 403);
    const r = await api('GET', path, { key: getPlatformKey() });
    assert.equal(r.status, 200, r.body);
  }
});

test('after a mix of registrations, credits, debits and regenerations the books balance', async () => {
  const agents = [];
  for (let i = 0; i < 6; i++) agents.push(await register());
  for (const [i, a] of agents.entries()) {
    assert.equal(credit(a.name, `${i + 1}.${String(i * 7).padStart(2, '0')}`).code, 0);
    if (i % 2 === 0) assert.equal(debit(a.agent_id, '0.99').code, 0);
    if (i % 3 === 0) {
      const r = await api('POST', '/api/me/regenerate-key', { key: a.api_key });
      assert.equal(r.status, 200);
      a.api_key = r.json.api_key;
    }
    assert.notEqual(debit(a.name, '100000').code, 0, 'overdraft refused');
  }
  const r = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(r.status, 200, r.body);
  const acc = r.json;
  assert.equal(acc.invariant_holds, true);
  assert.equal(acc.drift_ucents, 0);
  assert.equal(acc.balance_drift_ucents, 0);
  for (const k of ['total_deposited_ucents', 'total_balance_ucents', 'total_in_play_ucents',
    'total_rake_ucents', 'total_withdrawn_ucents', 'total_pending_withdrawals_ucents',
    'net_adjustments_ucents']) assert.ok(Number.isInteger(acc[k]), k);
  assert.equal(acc.total_deposited_ucents + acc.net_adjustments_ucents,
    acc.total_balance_ucents + acc.total_in_play_ucents + acc.total_rake_ucents
    + acc.total_withdrawn_ucents + acc.total_pending_withdrawals_ucents);
  // The DBA views agree with the endpoint and with the per-agent balances.
  const view = psql('SELECT total_balance_ucents, net_adjustments_ucents, drift_ucents, invariant_holds FROM accounting_invariant');
  assert.equal(view.stdout.trim(), `${acc.total_balance_ucents}|${acc.net_adjustments_ucents}|0|t`);
  const sums = psql("SELECT (SELECT coalesce(sum(balance_ucents), 0) FROM agent_balances)"
    + " + (SELECT balance_ucents FROM accounts WHERE agent_id = '00000000-0000-0000-0000-000000000001' AND kind = 'agent_balance')");
  assert.equal(Number(sums.stdout.trim()), acc.total_balance_ucents);
  const adj = psql("SELECT -balance_ucents FROM platform_accounts WHERE kind = 'adjustments'");
  assert.equal(Number(adj.stdout.trim()), acc.net_adjustments_ucents);
  // Each agent's /api/balance equals the view's row.
  for (const a of agents) {
    const b = await api('GET', '/api/balance', { key: a.api_key });
    const row = psql(`SELECT balance_ucents FROM agent_balances WHERE agent_id = '${a.agent_id}'`);
    assert.equal(b.json.balance_ucents, Number(row.stdout.trim()));
  }
});

test('platform revenue has integer totals and today by UTC day', async () => {
  const r = await api('GET', '/api/platform/revenue', { key: getPlatformKey() });
  assert.equal(r.status, 200, r.body);
  for (const k of ['total_rake_cents', 'today_rake_cents', 'total_rake_ucents', 'today_rake_ucents', 'hand_count'])
    assert.ok(Number.isInteger(r.json[k]), k);
  assert.ok(r.json.today_rake_ucents <= r.json.total_rake_ucents);
  assert.equal(r.json.total_rake_cents, Math.trunc(r.json.total_rake_ucents / 100));
  const raw = psql("SELECT coalesce(sum(e.amount_ucents), 0) FROM ledger_entries e JOIN accounts a ON a.id = e.account_id WHERE a.kind = 'rake'");
  assert.equal(Number(raw.stdout.trim()), r.json.total_rake_ucents);
});

test('public-config: no auth, the defaults of DESIGN', async () => {
  const r = await api('GET', '/api/public-config');
  assert.equal(r.status, 200, r.body);
  const c = r.json;
  assert.equal(typeof c.chain.chain_id, 'number');
  assert.match(c.chain.usdc_contract, /^0x[0-9a-fA-F]{40}$/);
  assert.ok(c.chain.deposit_address === null || /^0x[0-9a-fA-F]{40}$/.test(c.chain.deposit_address));
  assert.ok(Number.isInteger(c.chain.confirmations_required));
  assert.ok(c.withdrawal_limits.min_ucents <= c.withdrawal_limits.max_ucents);
  assert.ok(c.lobby.buy_in_min_chips <= c.lobby.buy_in_default_chips);
  assert.ok(c.lobby.buy_in_default_chips <= c.lobby.buy_in_max_chips);
  assert.ok(c.lobby.small_blind_chips < c.lobby.big_blind_chips);
  assert.ok(Number.isInteger(c.rake.percent_bps));
  assert.equal(c.protocol_versions.moltpoker, '0.1');
  // Nothing that looks like a secret or an internal address: felt's own node URLs (a
  // provider key, the signer spending the hot wallet) never appear.
  assert.doesNotMatch(r.body, /password|secret|private|postgres|host=/i);
  for (const v of ['FELT_CHAIN_RPC_URL', 'FELT_SIGNER_RPC_URL', 'FELT_DB']) {
    if (process.env[v]) assert.ok(!r.body.includes(process.env[v]), `${v} published`);
  }
  assert.ok(c.chain.rpc_url === null || /^https?:\/\//.test(c.chain.rpc_url));
});

// Accounts of an agent and of the platform, for posting table and chain txns by hand
// (felt-wsd and felt-payd post these; here the ledger function they use does).
function accountsOf(agentId) {
  const r = psql(`SELECT balance_account || ' ' || in_play_account FROM ledger_agent_accounts('${agentId}')`);
  assert.equal(r.code, 0, r.stderr);
  const [bal, play] = r.stdout.trim().split(' ').map(Number);
  return { bal, play };
}
function platformAccount(kind) {
  const r = psql(`SELECT account_id FROM platform_accounts WHERE kind = '${kind}'`);
  return Number(r.stdout.trim());
}
function post(kind, reference, legs) {
  const accounts = legs.map(([a]) => a).join(',');
  const amounts = legs.map(([, m]) => m).join(',');
  const r = psql(`SELECT ledger_post('${kind}', '${JSON.stringify(reference)}',`
    + ` ARRAY[${accounts}]::bigint[], ARRAY[${amounts}]::bigint[])`);
  assert.equal(r.code, 0, r.stderr);
  return Number(r.stdout.trim());
}

test('chips in play: balance, locked_in_play and total; table, hand and tx hash references', async () => {
  const a = await register();
  const b = await register();
  assert.equal(credit(a.name, '10.00').code, 0);
  assert.equal(credit(b.name, '10.00').code, 0);
  const A = accountsOf(a.agent_id);
  const B = accountsOf(b.agent_id);
  const table = { table: 't-review' };
  const buyA = post('buy_in', table, [[A.bal, -20000], [A.play, 20000]]);
  post('buy_in', table, [[B.bal, -20000], [B.play, 20000]]);
  const hand = post('hand', { ...table, hand: 'h-42' }, [[B.play, -5000], [A.play, 5000]]);
  const rake = post('rake', { ...table, hand: 'h-42' }, [[A.play, -200], [platformAccount('rake'), 200]]);
  const dep = post('deposit', { tx_hash: '0x' + 'ab'.repeat(32) }, [[platformAccount('deposits'), -10000], [A.bal, 10000]]);

  const bal = await api('GET', '/api/balance', { key: a.api_key });
  assert.equal(bal.status, 200, bal.body);
  assert.match(bal.body, /"balance":9\.00,/);
  assert.match(bal.body, /"locked_in_play":2\.48,/);
  assert.match(bal.body, /"total":11\.48,/);
  assert.equal(bal.json.locked_in_play_ucents, 24800);
  assert.equal(bal.json.total_ucents, 114800);

  const r = await api('GET', '/api/transactions', { key: a.api_key });
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.total, 5);
  const t = r.json.transactions;
  assert.deepEqual(t.map((x) => x.id), [dep, rake, hand, buyA, t[4].id]);
  assert.deepEqual(t.map((x) => x.type), ['deposit', 'rake', 'hand', 'buy_in', 'adjustment']);
  // A txn that moves only chips in play shows that change; balance_after is the spendable balance.
  assert.deepEqual(t.map((x) => x.amount_ucents), [10000, -200, 5000, -20000, 100000]);
  assert.deepEqual(t.map((x) => x.balance_after_ucents), [90000, 80000, 80000, 80000, 100000]);
  assert.match(r.body, /"amount":-0\.02,/);
  assert.equal(t[0].reference.tx_hash, '0x' + 'ab'.repeat(32));
  assert.deepEqual(t[2].reference, { table: 't-review', hand: 'h-42' });
  assert.deepEqual(t[3].reference, { table: 't-review' });

  // Pages are slices of the same list, running balances included.
  const paged = [];
  for (let offset = 0; offset < 6; offset += 2) {
    const pg = await api('GET', `/api/transactions?limit=2&offset=${offset}`, { key: a.api_key });
    assert.equal(pg.json.total, 5);
    paged.push(...pg.json.transactions);
  }
  assert.deepEqual(paged, t);

  const other = await api('GET', '/api/transactions', { key: b.api_key });
  assert.deepEqual(other.json.transactions.map((x) => [x.type, x.amount_ucents]),
    [['hand', -5000], ['buy_in', -20000], ['adjustment', 100000]]);
  const ob = await api('GET', '/api/balance', { key: b.api_key });
  assert.match(ob.body, /"balance":8\.00,"locked_in_play":1\.50,"total":9\.50,/);

  const acc = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(acc.json.invariant_holds, true, acc.body);
  assert.equal(acc.json.drift_ucents, 0);
});

// A txn dated `at` (an SQL timestamptz expression), as a backfill or a replica would write it.
function postAt(kind, at, legs) {
  const values = legs.map(([a, m]) => `(${a}, ${m})`).join(', ');
  const r = psql(`WITH t AS (INSERT INTO ledger_txns (kind, reference, created_at)`
    + ` VALUES ('${kind}', '{"table": "t-rev"}', ${at}) RETURNING id)`
    + ` INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)`
    + ` SELECT t.id, l.a, l.m FROM t, (VALUES ${values}) AS l (a, m)`);
  assert.equal(r.code, 0, r.stderr);
}

test('revenue: today is the UTC day; older rake and hands count only in the totals', async () => {
  const a = await register();
  const b = await register();
  const A = accountsOf(a.agent_id);
  const B = accountsOf(b.agent_id);
  for (const [ag, X] of [[a, A], [b, B]]) {
    assert.equal(credit(ag.name, '1.00').code, 0);
    post('buy_in', { table: 't-rev' }, [[X.bal, -10000], [X.play, 10000]]);
  }
  const before = (await api('GET', '/api/platform/revenue', { key: getPlatformKey() })).json;
  const midnight = "(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')";
  const rake = platformAccount('rake');
  postAt('rake', `${midnight} - interval '1 second'`, [[A.play, -300], [rake, 300]]);
  postAt('rake', midnight, [[A.play, -200], [rake, 200]]);
  // Hands are counted from the hands felt-wsd commits, by the time each ended.
  const hand = (n, endedAt) => {
    const q = psql(`INSERT INTO hands (table_id, hand_number, button_seat, small_blind_chips, big_blind_chips,
        chip_ucents, deck_commitment, deck_seed, pot_chips, started_at, ended_at, events)
      SELECT id, ${n}, 0, 1, 2, 0, repeat('a', 64), repeat('b', 64), 3, ${endedAt}, ${endedAt}, '[]'
        FROM tables WHERE id = '${table}'`);
    assert.equal(q.code, 0, q.stderr);
  };
  const table = psql(`INSERT INTO tables (kind, small_blind_chips, big_blind_chips, max_seats,
      initial_stack_chips, action_timeout_ms) VALUES ('agent', 1, 2, 2, 100, 30000) RETURNING id`).stdout.trim();
  hand(1, `${midnight} - interval '1 second'`);
  hand(2, 'now()');
  const r = await api('GET', '/api/platform/revenue', { key: getPlatformKey() });
  assert.equal(r.status, 200, r.body);
  const after = r.json;
  assert.equal(after.total_rake_ucents - before.total_rake_ucents, 500);
  assert.equal(after.today_rake_ucents - before.today_rake_ucents, 200);
  assert.equal(after.hand_count - before.hand_count, 2);
  assert.equal(after.today_hand_count - before.today_hand_count, 1);
  assert.equal(after.total_rake_cents, Math.trunc(after.total_rake_ucents / 100));
  assert.equal(after.today_rake_cents, Math.trunc(after.today_rake_ucents / 100));
  const acc = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(acc.json.invariant_holds, true, acc.body);
});

test('public-config is read once at start: a malformed or contradictory value stops felt-api, --help lists them', () => {
  const { spawnSync } = require('node:child_process');
  const path = require('node:path');
  const bin = path.join(process.env.FELT_BIN, 'cgi', 'felt-api');
  const help = spawnSync(bin, ['--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  for (const v of ['FELT_CHAIN_ID', 'FELT_DEPOSIT_ADDRESS', 'FELT_WITHDRAW_MIN', 'FELT_RAKE_BPS'])
    assert.match(help.stdout, new RegExp(v));
  const sock = path.join(process.env.FELT_TEST_VAR, 'run', `bad-config-${process.pid}.sock`);
  for (const [k, v] of [['FELT_CHAIN_ID', 'abc'], ['FELT_WITHDRAW_MIN', '1.001'], ['FELT_LOBBY_SEATS', '11'],
    ['FELT_DEPOSIT_ADDRESS', '0x1234'], ['FELT_LOBBY_BUY_IN_MIN_CHIPS', '6000'], ['FELT_WITHDRAW_MAX', '50000.01']]) {
    // Bounded: a felt-api that starts anyway would serve until killed here.
    const r = spawnSync(bin, [], { encoding: 'utf8', timeout: 5000,
      env: { ...process.env, FELT_API_SOCKET: sock, [k]: v } });
    assert.equal(r.signal, null, `${k}=${v}: felt-api started instead of refusing`);
    assert.equal(r.status, 2, `${k}=${v}: ${r.stderr}`);
    assert.match(r.stdout + r.stderr, new RegExp(`bad_config.*${k}`));
  }
});
