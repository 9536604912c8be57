// POST /api/deposit/onchain against a real local chain (issue 11): real USDC transfers on
// ganache, blocks mined explicitly, felt-api checking receipts; refusals of every kind;
// the node stopped and restarted; the books and the chain agree at the end.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { api, psql, feltctl, uniqueName, waitFor, getPlatformKey } = require('./lib.js');
const chain = require('./chain.js');

const USDC = process.env.FELT_USDC_CONTRACT;
const DEPOSIT = process.env.FELT_DEPOSIT_ADDRESS;
const HOT = process.env.FELT_HOT_WALLET_ADDRESS;
const OTHER = process.env.FELT_TEST_OTHER_TOKEN;
const USD = 10n ** 6n; // base units of one tUSDC

// An agent with a funded wallet of its own (wallet: false for none).
async function agentWithWallet(tokens = 100n * USD, { wallet } = {}) {
  const address = wallet === false ? null : wallet ?? await chain.newWallet(tokens);
  const name = uniqueName('dep');
  const body = { name, email: `${name.toLowerCase()}@example.com` };
  if (address) body.wallet_address = address;
  const r = await api('POST', '/api/register', { body });
  assert.equal(r.status, 201, r.body);
  return { ...r.json, wallet: address };
}

const deposit = (a, txHash, key = a.api_key) =>
  api('POST', '/api/deposit/onchain', { key, body: { tx_hash: txHash } });
const balanceOf = async (a) => (await api('GET', '/api/balance', { key: a.api_key })).json.balance_ucents;

function assertDetail(r, status, re) {
  assert.equal(r.status, status, `${r.status} ${r.body}`);
  assert.equal(typeof r.json?.detail, 'string', r.body);
  if (re) assert.match(r.json.detail, re);
}

// Platform holdings on chain (deposit address + hot wallet), and what this file expects
// them to change by: credited deposits, USDC that arrived without being credited.
let startHoldings;
let creditedBaseUnits = 0n;
let uncreditedBaseUnits = 0n;
const holdings = async () => (await chain.balanceOf(USDC, DEPOSIT)) + (await chain.balanceOf(USDC, HOT));

test('start: felt is configured for the local chain', async () => {
  startHoldings = await holdings();
  const c = (await api('GET', '/api/public-config')).json.chain;
  assert.equal(c.chain_id, Number(process.env.FELT_CHAIN_ID));
  assert.equal(c.usdc_contract.toLowerCase(), USDC.toLowerCase());
  assert.equal(c.deposit_address.toLowerCase(), DEPOSIT.toLowerCase());
  assert.equal(c.hot_wallet_address.toLowerCase(), HOT.toLowerCase());
  assert.equal(c.confirmations_required, 12);
  assert.equal(c.deposits_enabled, true);
  assert.equal(c.usdc_decimals, 6);
});

test('bad input: 401 without a key; 400/422 with a detail, balance unchanged', async () => {
  const a = await agentWithWallet();
  const good = '0x' + 'ab'.repeat(32);
  assertDetail(await api('POST', '/api/deposit/onchain', { body: { tx_hash: good } }), 401);
  assertDetail(await deposit(a, good, 'op_live_' + 'x'.repeat(43)), 401);
  for (const h of ['', '0x', '0x1234', 'ab'.repeat(32), '0x' + 'ab'.repeat(31), '0x' + 'ab'.repeat(33),
    '0x' + 'zz'.repeat(32), '0x' + 'ab'.repeat(31) + 'g1', ' 0x' + 'ab'.repeat(32), '0x' + 'ab'.repeat(32) + ' ',
    "0x' OR '1'='1", "'; DROP TABLE deposits; --", '0x' + 'ab'.repeat(30) + "';", 'x'.repeat(5000)]) {
    assertDetail(await deposit(a, h), 400, /transaction hash/i);
  }
  // A NUL character is refused by the JSON layer itself, before any field is read (one
  // validation path for every body: 422 on /api, like any body that is not JSON felt takes).
  for (const body of [{}, { tx_hash: null }, { tx_hash: 12 }, { tx_hash: ['0x'] }, { tx_hash: true },
    { hash: good }, [], 'null', '{"tx_hash":', '"0x' + 'ab'.repeat(32) + '"',
    { tx_hash: '0x' + 'ab'.repeat(32) + '\u0000' }]) {
    assertDetail(await api('POST', '/api/deposit/onchain', { key: a.api_key, body }), 422);
  }
  assert.equal(await balanceOf(a), 0);
  assert.equal(psql('SELECT count(*) FROM deposits WHERE agent_id = ' + `'${a.agent_id}'`).stdout.trim(), '0');
});

test('a deposit with 12 confirmations is credited once; a replay is 400', async () => {
  const a = await agentWithWallet();
  const before = await chain.balanceOf(USDC, DEPOSIT);
  const hash = await chain.transfer(USDC, a.wallet, DEPOSIT, 10n * USD);
  await chain.mine(11);
  const r = await deposit(a, hash);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'confirmed');
  assert.equal(r.json.tx_hash, hash);
  assert.match(r.json.deposit_id, /^[0-9a-f-]{36}$/);
  assert.equal(r.json.amount_cents, 1000);
  assert.equal(r.json.amount_ucents, 100000);
  assert.equal(r.json.confirmations_seen, 12);
  assert.equal(r.json.confirmations_required, 12);
  assert.match(r.body, /"amount":10\.00[,}]/);
  assert.equal(r.json.amount_base_units, '10000000');
  assert.equal(r.json.remainder_base_units, 0);
  creditedBaseUnits += 10n * USD;
  assert.equal(await chain.balanceOf(USDC, DEPOSIT), before + 10n * USD);
  assert.equal(await balanceOf(a), 100000);
  // Replayed: refused, never credited twice, even written in capitals.
  for (const h of [hash, hash.toUpperCase().replace(/^0X/, '0x')]) {
    assertDetail(await deposit(a, h), 400, /already credited/);
  }
  assert.equal(await balanceOf(a), 100000);
  const t = (await api('GET', '/api/transactions', { key: a.api_key })).json.transactions;
  assert.equal(t.length, 1);
  assert.equal(t[0].type, 'deposit');
  assert.equal(t[0].amount_ucents, 100000);
  assert.equal(t[0].reference.tx_hash, hash);
  // Another agent cannot claim it.
  const b = await agentWithWallet();
  assertDetail(await deposit(b, hash), 400, /another agent/);
  assert.equal(await balanceOf(b), 0);
});

test('several transfers in one transaction add up; the sub-ucent remainder is recorded, not credited', async () => {
  const a = await agentWithWallet();
  const hash = await chain.send(a.wallet, USDC,
    chain.transferManyData([DEPOSIT, HOT, DEPOSIT], [2n * USD, 5n * USD, 1234567n]));
  const rc = await chain.receipt(hash);
  assert.equal(rc.logs.length, 3);
  await chain.mine(11);
  const r = await deposit(a, hash);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'confirmed');
  // 2.00 + 1.234567 to the deposit address; the 5.00 to the hot wallet is no deposit.
  assert.equal(r.json.amount_base_units, '3234567');
  assert.equal(r.json.amount_ucents, 32345);
  assert.equal(r.json.remainder_base_units, 67);
  assert.equal(r.json.amount_cents, 323);
  assert.match(r.body, /"amount":3\.2345[,}]/);
  assert.equal(await balanceOf(a), 32345);
  creditedBaseUnits += 3234567n;
  uncreditedBaseUnits += 5n * USD;
  const row = psql(`SELECT amount_base_units, amount_ucents, remainder_base_units FROM deposits WHERE tx_hash = '${hash}'`);
  assert.equal(row.stdout.trim(), '3234567|32345|67');
});

test('too few confirmations: pending, not credited; felt-payd credits it once they are mined', async () => {
  const a = await agentWithWallet();
  const hash = await chain.transfer(USDC, a.wallet, DEPOSIT, 7n * USD);
  await chain.mine(2);
  const r = await deposit(a, hash);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'pending');
  assert.equal(r.json.confirmations_seen, 3);
  assert.equal(r.json.confirmations_required, 12);
  assert.equal(r.json.amount_ucents, 70000);
  assert.equal(await balanceOf(a), 0);
  const h = (await api('GET', '/health')).json;
  assert.ok(h.deposits_pending >= 1, JSON.stringify(h));
  // Submitting it again is no error while it waits: it is checked again.
  await chain.mine(1);
  const again = await deposit(a, hash);
  assert.equal(again.status, 200, again.body);
  assert.equal(again.json.status, 'pending');
  assert.equal(again.json.confirmations_seen, 4);
  assert.equal(await balanceOf(a), 0);
  // Another agent still cannot claim it.
  assertDetail(await deposit(await agentWithWallet(), hash), 400, /another agent/);
  await chain.mine(8);
  await waitFor(async () => (await balanceOf(a)) === 70000, { tries: 400 });
  const row = psql(`SELECT status, confirmations_seen >= 12, credit_txn_id IS NOT NULL FROM deposits WHERE tx_hash = '${hash}'`);
  assert.equal(row.stdout.trim(), 'confirmed|t|t');
  assertDetail(await deposit(a, hash), 400, /already credited/);
  creditedBaseUnits += 7n * USD;
  const n = psql(`SELECT count(*) FROM ledger_txns WHERE kind = 'deposit' AND reference->>'tx_hash' = '${hash}'`);
  assert.equal(n.stdout.trim(), '1');
});

test('refused: a transfer elsewhere, another token, an unregistered wallet, a failed transaction', async () => {
  const a = await agentWithWallet();
  const stranger = await chain.newWallet(50n * USD);
  const elsewhere = await chain.transfer(USDC, a.wallet, stranger, 1n * USD);
  await chain.mint(OTHER, a.wallet, 10n * USD);
  const otherToken = await chain.transfer(OTHER, a.wallet, DEPOSIT, 5n * USD);
  const notMine = await chain.transfer(USDC, stranger, DEPOSIT, 3n * USD);
  uncreditedBaseUnits += 3n * USD;
  // More than the wallet holds: the token reverts, the transaction is mined with status 0.
  const failed = await chain.transfer(USDC, a.wallet, DEPOSIT, 1000n * USD);
  assert.equal((await chain.receipt(failed)).status, '0x0');
  await chain.mine(12);
  assertDetail(await deposit(a, elsewhere), 400, new RegExp(`no token transfer to the deposit address ${DEPOSIT}`, 'i'));
  assertDetail(await deposit(a, otherToken), 400, /not USDC/);
  assertDetail(await deposit(a, notMine), 400, /not from your registered wallet/);
  assertDetail(await deposit(a, failed), 400, /failed on chain/);
  assertDetail(await deposit(a, '0x' + '12'.repeat(32)), 400, /not found on chain/);
  assert.equal(await balanceOf(a), 0);
  // Refusals record nothing: the wallet's owner, once registered, can claim its transfer.
  const s = await agentWithWallet(0n, { wallet: stranger });
  const claimed = await deposit(s, notMine);
  assert.equal(claimed.status, 200, claimed.body);
  assert.equal(claimed.json.status, 'confirmed');
  assert.equal(await balanceOf(s), 30000);
  uncreditedBaseUnits -= 3n * USD;
  creditedBaseUnits += 3n * USD;
  // Without a registered wallet there is nothing to check against.
  const nowallet = await agentWithWallet(0n, { wallet: false });
  const h2 = await chain.transfer(USDC, stranger, DEPOSIT, 1n * USD);
  uncreditedBaseUnits += 1n * USD;
  await chain.mine(12);
  assertDetail(await deposit(nowallet, h2), 400, /wallet_address/);
  assert.equal(await balanceOf(nowallet), 0);
});

test('an amount beyond int64 ucents is refused, not wrapped', async () => {
  const huge = 2n ** 64n * 100n; // 2^64 ucents would wrap to 0
  const a = await agentWithWallet(huge);
  const hash = await chain.transfer(USDC, a.wallet, DEPOSIT, huge);
  uncreditedBaseUnits += huge;
  await chain.mine(12);
  assertDetail(await deposit(a, hash), 400, /too large/);
  assert.equal(await balanceOf(a), 0);
});

test('the node stopped: 503 with a detail; restarted: the same hash is credited', async () => {
  const a = await agentWithWallet();
  const hash = await chain.transfer(USDC, a.wallet, DEPOSIT, 4n * USD);
  await chain.mine(11);
  chain.chainStop();
  try {
    const r = await deposit(a, hash);
    assertDetail(r, 503, /unavailable/i);
    assert.equal(r.json.tx_hash, hash);
    // Bad input is still bad input, and replays are answered from the database.
    assertDetail(await deposit(a, '0x12'), 400);
    assert.equal(await balanceOf(a), 0);
  } finally {
    chain.chainStart();
  }
  const r = await deposit(a, hash);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'confirmed');
  assert.equal(await balanceOf(a), 40000);
  creditedBaseUnits += 4n * USD;
});

test('the node hangs: felt-api gives up within its budget with 503, and never hangs itself', async () => {
  const a = await agentWithWallet();
  const hash = await chain.transfer(USDC, a.wallet, DEPOSIT, 1n * USD);
  await chain.mine(11);
  const pid = Number(require('node:fs').readFileSync(`${process.env.FELT_VAR}/run/chain.pid`, 'utf8'));
  process.kill(pid, 'SIGSTOP'); // accepts connections, answers nothing
  try {
    assertDetail(await deposit(a, hash), 503, /unavailable/i);
    // Other requests are served meanwhile.
    assert.equal((await api('GET', '/api/balance', { key: a.api_key })).status, 200);
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  const r = await deposit(a, hash);
  assert.equal(r.status, 200, r.body);
  assert.equal(r.json.status, 'confirmed');
  creditedBaseUnits += 1n * USD;
});

test('after all of it: the books balance and the chain agrees', async () => {
  const acc = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(acc.status, 200, acc.body);
  assert.equal(acc.json.invariant_holds, true, acc.body);
  assert.equal(acc.json.drift_ucents, 0);
  assert.equal(acc.json.balance_drift_ucents, 0);
  // What arrived on chain = what was credited (with remainders) + what was refused.
  assert.equal(await holdings() - startHoldings, creditedBaseUnits + uncreditedBaseUnits);
  // Every credited deposit has exactly one ledger txn of its exact ucents.
  const bad = psql(`SELECT count(*) FROM deposits d JOIN ledger_txns t ON t.id = d.credit_txn_id
    JOIN ledger_entries e ON e.txn_id = t.id AND e.amount_ucents > 0
    WHERE e.amount_ucents <> d.amount_ucents`);
  assert.equal(bad.stdout.trim(), '0');
  // The ledger's own audit (hash chain, seals, balances) is clean: run it where this
  // felt has it (feltctl audit arrives with the tamper-evident ledger).
  const audit = feltctl('audit');
  if (!/unknown command 'audit'/.test(audit.stderr)) {
    assert.equal(audit.code, 0, audit.stdout + audit.stderr);
    assert.match(audit.stdout, /^audit: ok/m);
  }
  const dup = psql(`SELECT count(*) FROM (SELECT reference->>'tx_hash' FROM ledger_txns WHERE kind = 'deposit'
    AND reference ? 'deposit_id' GROUP BY 1 HAVING count(*) > 1) x`);
  assert.equal(dup.stdout.trim(), '0');
});
