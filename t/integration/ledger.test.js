// SQL-level tests of the schema and ledger (sql/*.sql) and of feltctl, run
// against the stack's PostgreSQL by script/test. Each test makes its own
// agents, so they share the database with the other suites; the invariant
// is global and must hold whatever the others posted.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { psql, feltctl, uniqueName, getPlatformKey, waitFor } = require('./lib.js');

// Run SQL that must succeed; returns the rows as arrays of strings.
function q(sql) {
  const r = psql(sql);
  assert.equal(r.code, 0, `SQL failed: ${sql}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}

// Run SQL that must fail; returns stderr for matching the reason.
function refused(sql) {
  const r = psql(sql);
  assert.notEqual(r.code, 0, `SQL should have failed: ${sql}`);
  return r.stderr;
}

// A fresh agent; returns {id, balance, inPlay} (account ids as strings).
function newAgent() {
  const name = uniqueName('ledger');
  const [[id]] = q(`INSERT INTO agents (name) VALUES ('${name}') RETURNING id`);
  const [[balance, inPlay]] = q(`SELECT balance_account, in_play_account FROM ledger_agent_accounts('${id}')`);
  return { id, name, balance, inPlay };
}

function platform(kind) {
  return q(`SELECT id FROM accounts WHERE agent_id = '00000000-0000-0000-0000-000000000001' AND kind = '${kind}'`)[0][0];
}

function post(kind, accounts, amounts) {
  return `SELECT ledger_post('${kind}', '{"test":"ledger.test.js"}', ARRAY[${accounts.join(',')}]::bigint[], ARRAY[${amounts.join(',')}]::bigint[])`;
}

function balanceOf(account) {
  return Number(q(`SELECT balance_ucents FROM accounts WHERE id = ${account}`)[0][0]);
}

test('feltctl migrate is idempotent on a migrated database', () => {
  const r = feltctl('migrate');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^migrate: 0 migrations applied/);
  const [[n]] = q('SELECT count(*) FROM schema_migrations');
  assert.ok(Number(n) >= 4);
});

test('feltctl migrate runs only as the owner role', () => {
  const { spawnSync } = require('node:child_process');
  const bin = require('node:path').join(process.env.FELT_BIN, 'tools', 'feltctl');
  const run = (env, ...args) => spawnSync(bin, ['migrate', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  // FELT_DB (felt_app) is what it falls back to without FELT_DB_OWNER: refused, with the way out
  let r = run({ FELT_DB_OWNER: '' });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /connected as felt_app, which owns nothing.*FELT_DB_OWNER/);
  r = run({}, '--db', process.env.FELT_TEST_DB_SUPER);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /superuser/);
  r = run({ FELT_DB_OWNER: '' }, `--db=${process.env.FELT_TEST_DB}`);
  assert.equal(r.status, 0, r.stderr);
});

test('the platform agent and its accounts exist', () => {
  const kinds = q(`SELECT kind FROM accounts WHERE agent_id = '00000000-0000-0000-0000-000000000001' ORDER BY kind`).map((r) => r[0]);
  for (const k of ['adjustments', 'deposits', 'rake', 'withdrawals_pending', 'withdrawn']) assert.ok(kinds.includes(k), k);
});

test('agent names, emails and wallets are unique case-insensitively', () => {
  const name = uniqueName('Dup');
  const wallet = '0x' + crypto.randomBytes(20).toString('hex');
  q(`INSERT INTO agents (name, email, wallet_address) VALUES ('${name}', '${name}@Example.com', '${wallet}')`);
  assert.match(refused(`INSERT INTO agents (name) VALUES ('${name.toLowerCase()}')`), /agents_name_key/);
  assert.match(refused(`INSERT INTO agents (name, email) VALUES ('${name}x', '${name.toUpperCase()}@example.COM')`), /agents_email_key/);
  assert.match(refused(`INSERT INTO agents (name, wallet_address) VALUES ('${name}y', '${wallet.toUpperCase().replace('0X', '0x')}')`), /agents_wallet_key/);
});

test('a new agent gets a balance and an in-play account at zero', () => {
  const a = newAgent();
  const rows = q(`SELECT kind, balance_ucents FROM accounts WHERE agent_id = '${a.id}' ORDER BY kind`);
  assert.deepEqual(rows, [['agent_balance', '0'], ['agent_in_play', '0']]);
});

test('balanced txns move money and show in agent_balances', () => {
  const a = newAgent();
  const b = newAgent();
  const deposits = platform('deposits');
  const rake = platform('rake');
  q(post('deposit', [deposits, a.balance], [-100000, 100000]));
  q(post('deposit', [deposits, b.balance], [-50000, 50000]));
  q(post('buy_in', [a.balance, a.inPlay, b.balance, b.inPlay], [-40000, 40000, -40000, 40000]));
  q(post('hand', [a.inPlay, b.inPlay, rake], [-2000, 1900, 100]));
  const rows = q(`SELECT balance_ucents, in_play_ucents FROM agent_balances WHERE agent_id IN ('${a.id}', '${b.id}') ORDER BY name`);
  assert.deepEqual(rows, [['60000', '38000'], ['10000', '41900']]);
});

test('an unbalanced txn is refused, through ledger_post and leg by leg', () => {
  const a = newAgent();
  const deposits = platform('deposits');
  assert.match(refused(post('deposit', [deposits, a.balance], [-100, 101])), /does not balance/);
  // written by hand in one transaction: refused at COMMIT by the constraint trigger
  assert.match(
    refused(`BEGIN; INSERT INTO ledger_txns (kind) VALUES ('deposit');
             INSERT INTO ledger_entries (txn_id, account_id, amount_ucents) VALUES (currval('ledger_txns_id_seq'), ${a.balance}, 500);
             COMMIT;`),
    /does not balance/);
  assert.equal(balanceOf(a.balance), 0);
  // a txn with no entries at all
  assert.match(refused(`BEGIN; INSERT INTO ledger_txns (kind) VALUES ('adjustment'); COMMIT;`), /does not balance/);
});

test('ledger entries and txns cannot be updated or deleted', () => {
  const a = newAgent();
  const deposits = platform('deposits');
  const [[txn]] = q(post('deposit', [deposits, a.balance], [-700, 700]));
  assert.match(refused(`UPDATE ledger_entries SET amount_ucents = 7000 WHERE txn_id = ${txn}`), /append-only/);
  assert.match(refused(`DELETE FROM ledger_entries WHERE txn_id = ${txn}`), /append-only/);
  assert.match(refused(`DELETE FROM ledger_txns WHERE id = ${txn}`), /append-only/);
  assert.match(refused(`UPDATE ledger_txns SET kind = 'refund' WHERE id = ${txn}`), /append-only/);
  assert.match(refused(`UPDATE accounts SET balance_ucents = 1 WHERE id = ${a.balance}`), /maintained from ledger_entries/);
  assert.equal(balanceOf(a.balance), 700);
});

test('an agent balance can never go negative', () => {
  const a = newAgent();
  const deposits = platform('deposits');
  q(post('deposit', [deposits, a.balance], [-1000, 1000]));
  assert.match(refused(post('buy_in', [a.balance, a.inPlay], [-1001, 1001])), /accounts_balance_nonnegative/);
  assert.match(refused(post('withdrawal', [a.balance, platform('withdrawals_pending')], [-5000, 5000])), /accounts_balance_nonnegative/);
  assert.equal(balanceOf(a.balance), 1000);
  assert.equal(balanceOf(a.inPlay), 0);
});

test('the accounting invariant holds with drift 0 after balanced txns', () => {
  const a = newAgent();
  q(post('deposit', [platform('deposits'), a.balance], [-30000, 30000]));
  q(post('withdrawal', [a.balance, platform('withdrawals_pending')], [-10000, 10000]));
  q(post('withdrawal', [platform('withdrawals_pending'), platform('withdrawn')], [-10000, 10000]));
  q(post('adjustment', [platform('adjustments'), a.balance], [-250, 250]));
  const [[drift, balanceDrift, holds, deposited, adjustments, balances, inPlay, rake, withdrawn, pending]] = q(
    `SELECT drift_ucents, balance_drift_ucents, invariant_holds, total_deposited_ucents, net_adjustments_ucents,
            total_balance_ucents, total_in_play_ucents, total_rake_ucents, total_withdrawn_ucents,
            total_pending_withdrawals_ucents FROM accounting_invariant`);
  assert.equal(drift, '0');
  assert.equal(balanceDrift, '0');
  assert.equal(holds, 't');
  assert.equal(BigInt(deposited) + BigInt(adjustments),
    BigInt(balances) + BigInt(inPlay) + BigInt(rake) + BigInt(withdrawn) + BigInt(pending));
  assert.ok(BigInt(withdrawn) >= 10000n);
});

test('felt-api seals new txns on its own (FELT_SEAL_INTERVAL_S)', async () => {
  const a = newAgent();
  const [[txn]] = q(post('deposit', [platform('deposits'), a.balance], [-4200, 4200]));
  // bounded polling: sealed one sealer step after no older transaction is running
  await waitFor(() => q(`SELECT count(*) FROM ledger_seals WHERE ${txn} = ANY (txn_ids)`)[0][0] === '1',
    { tries: 300, delayMs: 100 });
  const [[intact, unsealedBefore]] = q('SELECT intact, unsealed_txns FROM ledger_verify()');
  assert.equal(intact, 't');
  assert.ok(Number(unsealedBefore) >= 0);
});

test('heartbeat_touch upserts one row per instance', () => {
  const inst = uniqueName('hb');
  q(`SELECT heartbeat_touch('wsd', '${inst}', 4242, '{"tables":3}')`);
  q(`SELECT heartbeat_touch('wsd', '${inst}', 4242, '{"tables":4}')`);
  const rows = q(`SELECT pid, stats->>'tables' FROM heartbeats WHERE component = 'wsd' AND instance = '${inst}'`);
  assert.deepEqual(rows, [['4242', '4']]);
  assert.match(refused(`SELECT heartbeat_touch('nope', '${inst}', 1)`), /heartbeats_component_check/);
  q(`DELETE FROM heartbeats WHERE instance = '${inst}'`);
});

test('feltctl status reports migrations and the invariant', () => {
  const r = feltctl('status');
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^migrations: \d+ applied, 0 pending/m);
  assert.match(r.stdout, /^invariant: holds .* drift=0 balance_drift=0$/m);
});

test('feltctl platform-key stores only the hash of the key it prints', () => {
  // through lib.js, which issues the key once per test file
  const key = getPlatformKey();
  assert.match(key, /^op_live_[0-9A-Za-z]{43}$/);
  const hash = crypto.createHash('sha256').update(key).digest('hex');
  const [[storedHash, prefix]] = q(`SELECT api_key_hash, api_key_prefix FROM agents WHERE id = '00000000-0000-0000-0000-000000000001'`);
  assert.equal(storedHash, hash);
  assert.equal(prefix, key.slice(0, 12));
  // it is never stored in clear anywhere in the agents table
  const [[n]] = q(`SELECT count(*) FROM agents WHERE row_to_json(agents)::text LIKE '%${key}%'`);
  assert.equal(n, '0');
});

test('feltctl usage errors exit 2, --help exits 0', () => {
  assert.equal(feltctl().code, 2);
  assert.equal(feltctl('no-such-command').code, 2);
  assert.equal(feltctl('migrate', 'extra').code, 2);
  const h = feltctl('status', '--help');
  assert.equal(h.code, 0);
  assert.match(h.stdout, /^usage: feltctl status/);
  const c = feltctl('config');
  assert.equal(c.code, 0);
  for (const v of ['FELT_DB', 'FELT_LOG_LEVEL', 'FELT_LOG_FORMAT', 'FELT_SQL_DIR']) assert.match(c.stdout, new RegExp(`^${v}$`, 'm'));
  // The published rules are listed too, and checked: a contradiction is named, exit 1.
  for (const v of ['FELT_CHAIN_ID', 'FELT_LOBBY_BUY_IN_MIN_CHIPS', 'FELT_RAKE_BPS']) assert.match(c.stdout, new RegExp(`^${v}$`, 'm'));
  const { spawnSync } = require('node:child_process');
  const bad = spawnSync(require('node:path').join(process.env.FELT_BIN, 'tools', 'feltctl'), ['config'],
    { encoding: 'utf8', env: { ...process.env, FELT_LOBBY_SMALL_BLIND_CHIPS: '50' } });
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stderr, /FELT_LOBBY_SMALL_BLIND_CHIPS/);
});
