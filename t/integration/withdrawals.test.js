// POST /api/withdraw, GET /api/withdrawal/{id} and felt-payd against a real local chain
// (issue 11): withdrawals sent from the hot wallet and confirmed (the wallet's token balance
// rises by exactly the amount), refused ones refunded, the node stopped and restarted,
// felt-payd killed between sending and confirming: every withdrawal paid exactly once.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { api, psql, feltctl, uniqueName, waitFor, getPlatformKey } = require('./lib.js');
const chain = require('./chain.js');

const USDC = process.env.FELT_USDC_CONTRACT;
const DEPOSIT = process.env.FELT_DEPOSIT_ADDRESS;
const HOT = process.env.FELT_HOT_WALLET_ADDRESS;
const UCENT = 100n; // base units of one ucent
const LONG = { tries: 600, delayMs: 50 }; // what waits on a heartbeat (every 5 s)

async function register({ wallet = true } = {}) {
  const address = wallet ? await chain.newWallet() : null;
  const name = uniqueName('wd');
  const body = { name, email: `${name.toLowerCase()}@example.com` };
  if (address) body.wallet_address = address;
  const r = await api('POST', '/api/register', { body });
  assert.equal(r.status, 201, r.body);
  return { ...r.json, wallet: address };
}

async function funded(dollars, opts) {
  const a = await register(opts);
  const c = feltctl('credit', a.agent_id, dollars, '--reason', 'withdrawal test');
  assert.equal(c.code, 0, c.stderr);
  return a;
}

const withdraw = (a, amount) => api('POST', '/api/withdraw', { key: a.api_key, body: { amount } });
const getW = (a, id) => api('GET', `/api/withdrawal/${id}`, { key: a.api_key });
const balance = async (a) => (await api('GET', '/api/balance', { key: a.api_key })).json.balance_ucents;
const health = async () => (await api('GET', '/health')).json;

function assertDetail(r, status, re) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(typeof r.json?.detail, 'string', r.body);
  if (re) assert.match(r.json.detail, re);
}

// Poll GET /api/withdrawal/{id} until test(json) holds.
async function until(a, id, check, opts) {
  return waitFor(async () => {
    const r = await getW(a, id);
    return r.status === 200 && check(r.json) ? r.json : null;
  }, opts);
}

// Every withdrawal this file makes, and the platform's holdings before it started.
const made = [];
let startHoldings;
const holdings = async () => (await chain.balanceOf(USDC, DEPOSIT)) + (await chain.balanceOf(USDC, HOT));

test('start: felt-payd runs the withdrawal service', async () => {
  startHoldings = await holdings();
  const h = await waitFor(async () => {
    const x = await health();
    return x.withdrawal?.running ? x : null;
  }, LONG);
  assert.equal(h.withdrawal.state, 'running');
  assert.equal(typeof h.deposits_pending, 'number');
  assert.equal(h.services.payd.running, true);
  const c = (await api('GET', '/api/public-config')).json;
  assert.equal(c.chain.withdrawals_enabled, true);
  assert.equal(c.withdrawal_limits.min_ucents, 10000);
});

test('bad input: 401, 400/402/422 with a detail, balance unchanged, nothing queued', async () => {
  const a = await funded('20.00');
  assertDetail(await api('POST', '/api/withdraw', { body: { amount: 5 } }), 401);
  assertDetail(await api('GET', '/api/withdrawal/00000000-0000-0000-0000-000000000000'), 401);
  for (const amount of [0, -5, 0.001, 5.001, 1e308, '1e2', '1.0e1', '5.', 0.99, 10000.01,
    '922337203685477.5808']) {
    const body = typeof amount === 'string' ? `{"amount":${amount}}` : { amount };
    const r = await api('POST', '/api/withdraw', { key: a.api_key, body });
    assertDetail(r, 400, /amount/);
  }
  assertDetail(await withdraw(a, 0.99), 400, /minimum withdrawal of 1\.00/);
  assertDetail(await withdraw(a, 10000.01), 400, /maximum withdrawal of 10000\.00/);
  for (const amount of ['5.00', null, true, false, [5], { v: 5 }, '', 'NaN']) {
    assertDetail(await withdraw(a, amount), 422, /amount/);
  }
  // Not JSON, or a number no parser keeps exactly (beyond 64 bits).
  for (const body of [{}, [], 'null', '5.00', '{"amount":', '{"amount":5,}', '{"amount":99999999999999999999}',
    '{"amount":NaN}', '{"amount":Infinity}']) {
    assertDetail(await api('POST', '/api/withdraw', { key: a.api_key, body }), 422);
  }
  assertDetail(await withdraw(a, 20.01), 402, /Insufficient balance: 20\.00 available/);
  assert.equal(await balance(a), 200000);
  assert.equal(psql(`SELECT count(*) FROM withdrawals WHERE agent_id = '${a.agent_id}'`).stdout.trim(), '0');
  // A registered wallet is required.
  const n = await funded('20.00', { wallet: false });
  assertDetail(await withdraw(n, 5), 400, /wallet_address/);
  assert.equal(await balance(n), 200000);
});

test('GET /api/withdrawal/{id}: own withdrawals only, 404 otherwise', async () => {
  const a = await funded('10.00');
  const r = await withdraw(a, 1);
  assert.equal(r.status, 200, r.body);
  made.push([a, r.json.withdrawal_id]);
  const other = await register();
  assertDetail(await getW(other, r.json.withdrawal_id), 404, /not found/);
  for (const id of ['00000000-0000-0000-0000-000000000000', 'wd-abc123', "1' OR '1'='1",
    'x'.repeat(300), r.json.withdrawal_id + 'x', '%00']) {
    assertDetail(await getW(a, encodeURIComponent(id)), 404, /not found/);
  }
  const own = await getW(a, r.json.withdrawal_id.toUpperCase());
  assert.equal(own.status, 200, own.body);
});

test('a withdrawal is reserved, sent from the hot wallet and confirmed on chain', async () => {
  const a = await funded('20.00');
  const before = await chain.balanceOf(USDC, a.wallet);
  const r = await withdraw(a, 5);
  assert.equal(r.status, 200, r.body);
  const w = r.json;
  made.push([a, w.withdrawal_id]);
  assert.equal(w.type, 'withdraw');
  assert.equal(typeof w.transaction_id, 'string');
  assert.match(w.withdrawal_id, /^[0-9a-f-]{36}$/);
  assert.equal(w.withdrawal_status, 'pending');
  assert.match(r.body, /"amount":5\.00,/);
  assert.match(r.body, /"balance_after":15\.00,/);
  assert.equal(w.to_address.toLowerCase(), a.wallet.toLowerCase());
  assert.equal(await balance(a), 150000);
  // felt-payd sends it (ganache mines at once); confirmed after 12 confirmations.
  const sent = await until(a, w.withdrawal_id, (x) => x.tx_hash !== null);
  assert.equal(sent.status, 'processing');
  assert.equal(await chain.balanceOf(USDC, a.wallet), before + 5n * 10000n * UCENT);
  await chain.mine(11);
  const done = await until(a, w.withdrawal_id, (x) => x.status === 'confirmed');
  assert.equal(done.tx_hash, sent.tx_hash);
  assert.ok(done.confirmations_seen >= 12, JSON.stringify(done));
  assert.equal(done.amount_cents, 500);
  assert.equal(done.amount_ucents, 50000);
  assert.equal(done.error_message, null);
  assert.equal(done.agent_id, a.agent_id);
  assert.match(done.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const transfers = await chain.transfersTo(USDC, a.wallet);
  assert.equal(transfers.length, 1);
  assert.equal(transfers[0].hash, done.tx_hash);
  assert.equal(transfers[0].from, HOT.toLowerCase());
  assert.equal(await balance(a), 150000);
  const t = (await api('GET', '/api/transactions', { key: a.api_key })).json.transactions;
  assert.equal(t[0].type, 'withdrawal');
  assert.equal(t[0].amount_ucents, -50000);
});

test('a withdrawal the token refuses fails and is refunded; nothing is sent', async () => {
  const a = await funded('10.00');
  await chain.setBlocked(USDC, a.wallet, true);
  try {
    const r = await withdraw(a, 3);
    assert.equal(r.status, 200, r.body);
    made.push([a, r.json.withdrawal_id]);
    // felt-payd may already have refunded it: the reservation shows in the transactions below.
    assert.ok([70000, 100000].includes(await balance(a)));
    const w = await until(a, r.json.withdrawal_id, (x) => x.status === 'failed');
    assert.match(w.error_message, /revert.*refunded/);
    assert.equal(w.tx_hash, null);
  } finally {
    await chain.setBlocked(USDC, a.wallet, false);
  }
  assert.equal(await balance(a), 100000);
  assert.equal((await chain.transfersTo(USDC, a.wallet)).length, 0);
  const t = (await api('GET', '/api/transactions', { key: a.api_key })).json.transactions;
  assert.deepEqual(t.slice(0, 2).map((x) => [x.type, x.amount_ucents]), [['refund', 30000], ['withdrawal', -30000]]);
});

test('a withdrawal that reverts on chain is refunded once it has its confirmations', async () => {
  const a = await funded('10.00');
  // Mining paused: felt-payd's transfer waits in the mempool, and the token blocks the
  // wallet in the same block, first (a higher gas price): the transfer reverts (status 0).
  await chain.rpc('miner_stop');
  let id;
  try {
    const r = await withdraw(a, 3);
    assert.equal(r.status, 200, r.body);
    id = r.json.withdrawal_id;
    made.push([a, id]);
    const sent = await until(a, id, (x) => x.tx_hash !== null, LONG);
    assert.equal(sent.status, 'processing');
    await chain.send(process.env.FELT_TEST_MINTER, USDC, chain.call('setBlocked', a.wallet, 1),
      { gasPrice: 100n * 10n ** 9n });
    await chain.mine(1);
    const rc = await chain.receipt(sent.tx_hash);
    assert.equal(rc.status, '0x0', 'the transfer reverted');
  } finally {
    await chain.rpc('miner_start');
  }
  // Not final before its confirmations.
  assert.equal((await getW(a, id)).json.status, 'processing');
  assert.equal(await balance(a), 70000);
  await chain.mine(11);
  const w = await until(a, id, (x) => x.status === 'failed', LONG);
  assert.match(w.error_message, /reverted on chain.*refunded/);
  assert.equal(await balance(a), 100000);
  assert.equal((await chain.transfersTo(USDC, a.wallet)).length, 0);
  // It waited in the mempool: sent once, never again.
  assert.equal(psql(`SELECT send_attempts FROM withdrawals WHERE id = '${id}'`).stdout.trim(), '1');
  await chain.setBlocked(USDC, a.wallet, false);
});

test('limits: at most the maximum each, and the daily maximum per UTC day', async () => {
  const a = await funded('60000.00');
  for (let i = 0; i < 5; i++) {
    const r = await withdraw(a, 10000);
    assert.equal(r.status, 200, r.body);
    made.push([a, r.json.withdrawal_id]);
  }
  assertDetail(await withdraw(a, 1), 400, /daily withdrawal limit of 50000\.00 \(50000\.00 already requested today/);
  assert.equal(await balance(a), 10000 * 10000);
});

test('the node stopped: withdrawals queue, /health says so; restarted: they go out', async () => {
  const a = await funded('10.00');
  chain.chainStop();
  let id;
  try {
    const r = await withdraw(a, 2);
    assert.equal(r.status, 200, r.body);
    id = r.json.withdrawal_id;
    made.push([a, id]);
    const h = await waitFor(async () => {
      const x = await health();
      return x.withdrawal.state === 'node_unavailable' ? x : null;
    }, LONG);
    assert.equal(h.withdrawal.running, false);
    assert.equal((await getW(a, id)).json.status, 'pending');
  } finally {
    chain.chainStart();
  }
  await until(a, id, (x) => x.tx_hash !== null, LONG);
  await chain.mine(12);
  await until(a, id, (x) => x.status === 'confirmed', LONG);
  await waitFor(async () => (await health()).withdrawal.running, LONG);
});

test('felt-payd killed right after sending, before recording: found by nonce, paid once', async () => {
  const a = await funded('10.00');
  chain.paydStop();
  chain.paydStart('FELT_PAYD_TEST_CRASH=after_send');
  const pid = chain.paydPid();
  const r = await withdraw(a, 4);
  assert.equal(r.status, 200, r.body);
  const id = r.json.withdrawal_id;
  made.push([a, id]);
  await waitFor(() => !chain.alive(pid), LONG);
  // Sent (ganache mined it), but the hash was never recorded.
  assert.equal(psql(`SELECT status, nonce IS NOT NULL, tx_hash IS NULL FROM withdrawals WHERE id = '${id}'`)
    .stdout.trim(), 'processing|t|t');
  assert.equal((await chain.transfersTo(USDC, a.wallet)).length, 1);
  chain.paydStart();
  const found = await until(a, id, (x) => x.tx_hash !== null, LONG);
  await chain.mine(12);
  const done = await until(a, id, (x) => x.status === 'confirmed', LONG);
  assert.equal(done.tx_hash, found.tx_hash);
  const transfers = await chain.transfersTo(USDC, a.wallet);
  assert.equal(transfers.length, 1, 'exactly one transfer on chain');
  assert.equal(transfers[0].hash, done.tx_hash);
  assert.equal(await chain.balanceOf(USDC, a.wallet), 4n * 10000n * UCENT);
  const log = fs.readFileSync(`${process.env.FELT_VAR}/log/payd.log`, 'utf8');
  assert.match(log, new RegExp(`event=withdrawal_found withdrawal=${id}`));
});

test('felt-payd killed -9 while waiting for confirmations: confirmed once after restart', async () => {
  const a = await funded('10.00');
  const r = await withdraw(a, 6);
  assert.equal(r.status, 200, r.body);
  const id = r.json.withdrawal_id;
  made.push([a, id]);
  const sent = await until(a, id, (x) => x.tx_hash !== null, LONG);
  const pid = chain.paydPid();
  process.kill(pid, 'SIGKILL');
  await waitFor(() => !chain.alive(pid), LONG);
  await chain.mine(12);
  chain.paydStart();
  const done = await until(a, id, (x) => x.status === 'confirmed', LONG);
  assert.equal(done.tx_hash, sent.tx_hash);
  assert.equal((await chain.transfersTo(USDC, a.wallet)).length, 1);
  assert.equal(await chain.balanceOf(USDC, a.wallet), 6n * 10000n * UCENT);
  const n = psql(`SELECT count(*) FROM ledger_txns WHERE kind = 'withdrawal' AND reference->>'withdrawal_id' = '${id}'`);
  assert.equal(n.stdout.trim(), '2', 'reserved once, settled once');
});

test('SIGTERM stops felt-payd cleanly; /health sees it go and come back', async () => {
  const pid = chain.paydPid();
  chain.paydStop();
  assert.equal(chain.alive(pid), false);
  const log = fs.readFileSync(`${process.env.FELT_VAR}/log/payd.log`, 'utf8');
  assert.match(log, /event=stopped state=stopped/);
  const h = await health();
  assert.equal(h.withdrawal.running, false);
  assert.equal(h.status, 'degraded');
  chain.paydStart();
  await waitFor(async () => (await health()).withdrawal.running, LONG);
});

test('after all of it: each withdrawal final and paid at most once; books and chain agree', async () => {
  await chain.mine(12);
  let paid = 0n;
  for (const [a, id] of made) {
    const w = await until(a, id, (x) => x.status === 'confirmed' || x.status === 'failed', LONG);
    if (w.status === 'confirmed') paid += BigInt(w.amount_ucents) * UCENT;
  }
  // Every transfer out of the hot wallet since the start is one confirmed withdrawal.
  const ids = made.map(([, id]) => `'${id}'`).join(',');
  const hashes = psql(`SELECT tx_hash FROM withdrawals WHERE id IN (${ids}) AND status = 'confirmed'`)
    .stdout.trim().split('\n').filter(Boolean);
  assert.equal(new Set(hashes).size, hashes.length);
  assert.equal(await holdings() - startHoldings, -paid);
  const acc = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(acc.status, 200, acc.body);
  assert.equal(acc.json.invariant_holds, true, acc.body);
  assert.equal(acc.json.drift_ucents, 0);
  // The ledger's own audit (hash chain, seals, balances) is clean: run it where this
  // felt has it (feltctl audit arrives with the tamper-evident ledger).
  const audit = feltctl('audit');
  if (!/unknown command 'audit'/.test(audit.stderr)) {
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assert.match(audit.stdout, /^audit: ok/m);
  }
  // Nothing left reserved for these withdrawals.
  const open = psql(`SELECT count(*) FROM withdrawals WHERE id IN (${ids}) AND status IN ('pending', 'processing')`);
  assert.equal(open.stdout.trim(), '0');
  const h = await health();
  assert.equal(h.withdrawal.running, true);
});
