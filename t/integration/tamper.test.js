// The tamper suite (issue 7): every attack on the money, first as the application role felt_app
// (what felt's programs connect as, and what anyone holding its password can do): all refused,
// the ledger unchanged. Then the same edits as a superuser, whom no permission stops: each one is
// reported by `feltctl audit` (exit 1, naming the first bad txn) and by /api/accounting's
// ledger_audit, and undone again so the suites after this one find an intact ledger.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { api, psql, feltctl, uniqueName, getPlatformKey, DB, DB_APP, DB_SUPER } = require('./lib.js');

// SQL as the owner (setting up), as felt_app (attacking) and as a superuser (tampering).
function q(sql, db = DB) {
  const r = psql(sql, { db });
  assert.equal(r.code, 0, `SQL failed: ${sql}\n${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('|'));
}
const one = (sql, db) => q(sql, db)[0][0];
function refusedAsApp(sql, reason) {
  const r = psql(sql, { db: DB_APP });
  assert.notEqual(r.code, 0, `felt_app was allowed: ${sql}`);
  assert.match(r.stderr, reason, sql);
}
const asSuper = (sql) => q(`BEGIN; ${sql}; COMMIT;`, DB_SUPER);

let agent; // {id, balance, inPlay}
let deposits;
let txns = []; // sealed txns of this suite, in id order
let burned; // an id inside the sealed range that no txn has (its transaction rolled back)

function snapshot() {
  return q(`SELECT (SELECT count(*) FROM ledger_txns), (SELECT count(*) FROM ledger_entries),
                   (SELECT sum(balance_ucents) FROM accounts), (SELECT sum(last_entry_id) FROM accounts),
                   (SELECT count(*) FROM accounts)`).flat().join(' ');
}

function seal() {
  const r = feltctl('seal');
  assert.equal(r.code, 0, r.stderr);
}

function audit() {
  const r = feltctl('audit');
  return { code: r.code, out: r.stdout, err: r.stderr };
}

async function accounting() {
  const r = await api('GET', '/api/accounting', { key: getPlatformKey() });
  assert.equal(r.status, 200, r.body);
  for (const f of ['total_deposited_ucents', 'total_balance_ucents', 'total_in_play_ucents',
    'total_rake_ucents', 'total_withdrawn_ucents', 'invariant_holds', 'drift_ucents']) assert.ok(f in r.json, f);
  return r.json.ledger_audit;
}

async function assertIntact() {
  const a = audit();
  assert.equal(a.code, 0, a.out + a.err);
  assert.match(a.out, /^audit: ok/m);
  const l = await accounting();
  assert.equal(l.intact, true, JSON.stringify(l));
  assert.equal(l.first_bad_txn, null);
}

// A superuser's edit is reported by both, naming txn `bad` (or, with bad null, no txn).
async function assertFound(bad, why) {
  const a = audit();
  assert.equal(a.code, 1, a.out + a.err);
  if (bad !== null) {
    assert.match(a.err, new RegExp(`first bad txn ${bad}: .*(?:${why.source})`), a.err);
  } else {
    assert.match(a.out, why, a.out);
    assert.match(a.err, /no txn is bad/, a.err);
  }
  const l = await accounting();
  assert.equal(l.intact, false, JSON.stringify(l));
  assert.equal(l.first_bad_txn, bad === null ? null : Number(bad), JSON.stringify(l));
  assert.match(l.problem, why);
}

// tamper(), check that it is found, then undo() whatever happened: the suites after this one
// need an intact ledger.
async function tampered(tamper, bad, why, undo) {
  asSuper(tamper);
  try {
    await assertFound(bad, why);
  } finally {
    asSuper(undo);
  }
  await assertIntact();
}

test.before(() => {
  const name = uniqueName('tamper');
  agent = { id: one(`INSERT INTO agents (name) VALUES ('${name}') RETURNING id`) };
  [[agent.balance, agent.inPlay]] = q(`SELECT balance_account, in_play_account FROM ledger_agent_accounts('${agent.id}')`);
  deposits = one("SELECT id FROM accounts WHERE kind = 'deposits'");
  const post = (from, to, amount) => one(`SELECT ledger_post('deposit', '{"suite":"tamper"}',
    ARRAY[${from}, ${to}]::bigint[], ARRAY[${-amount}, ${amount}]::bigint[])`, DB_APP);
  txns.push(post(deposits, agent.balance, 500000));
  // a transaction that rolls back burns a txn id: a hole inside the sealed range
  burned = one(`BEGIN; SELECT ledger_post('deposit', '{}', ARRAY[${deposits}, ${agent.balance}]::bigint[],
                ARRAY[-1, 1]::bigint[]); ROLLBACK;`, DB_APP);
  for (let i = 1; i <= 4; i++) txns.push(post(agent.balance, agent.inPlay, 1000 * i));
  seal();
});

test('the ledger is intact and sealed before the attacks', async () => {
  const sealedThrough = Number(one('SELECT max(through_txn_id) FROM ledger_seals'));
  assert.ok(sealedThrough >= Number(txns.at(-1)));
  assert.ok(Number(burned) > Number(txns[0]) && Number(burned) < Number(txns[1]));
  await assertIntact();
});

test('as felt_app: no DDL, no trigger switched off, no ownership', () => {
  const owner = /must be owner|permission denied/;
  for (const t of ['ledger_entries', 'ledger_txns', 'accounts', 'ledger_seals']) {
    refusedAsApp(`ALTER TABLE ${t} DISABLE TRIGGER USER`, owner);
    refusedAsApp(`ALTER TABLE ${t} DISABLE TRIGGER ALL`, owner);
    refusedAsApp(`ALTER TABLE ${t} OWNER TO felt_app`, owner);
    refusedAsApp(`DROP TABLE ${t}`, owner);
    refusedAsApp(`CREATE TRIGGER t BEFORE INSERT ON ${t} FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`, owner);
  }
  refusedAsApp('CREATE TABLE public.mine (x int)', /permission denied for schema/);
  refusedAsApp('CREATE FUNCTION public.mine() RETURNS int LANGUAGE sql AS $$SELECT 1$$', /permission denied for schema/);
  refusedAsApp('SET ROLE felt', /permission denied to set role/);
  refusedAsApp(`ALTER FUNCTION ledger_post(text, jsonb, bigint[], bigint[]) SECURITY INVOKER`, owner);
});

test('as felt_app: no direct write to the ledger, not even a balanced pair on an old txn', () => {
  const denied = /permission denied for table/;
  const before = snapshot();
  const old = txns[0];
  refusedAsApp(`INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)
                VALUES (${old}, ${agent.balance}, 7777), (${old}, ${deposits}, -7777)`, denied);
  refusedAsApp(`INSERT INTO ledger_txns (kind) VALUES ('adjustment')`, denied);
  refusedAsApp(`UPDATE ledger_entries SET amount_ucents = amount_ucents * 2 WHERE txn_id = ${old}`, denied);
  refusedAsApp(`DELETE FROM ledger_entries WHERE txn_id = ${old}`, denied);
  refusedAsApp(`UPDATE ledger_txns SET reference = '{"x":1}' WHERE id = ${old}`, denied);
  refusedAsApp(`DELETE FROM ledger_txns WHERE id = ${old}`, denied);
  for (const t of ['ledger_entries', 'ledger_txns', 'accounts', 'ledger_seals']) refusedAsApp(`TRUNCATE ${t}`, denied);
  refusedAsApp(`INSERT INTO ledger_seals SELECT * FROM ledger_seals LIMIT 1`, denied);
  refusedAsApp(`UPDATE ledger_seals SET digest = sha256('x')`, denied);
  refusedAsApp(`DELETE FROM ledger_seals`, denied);
  refusedAsApp(`UPDATE ledger_seal_state SET candidate_txn_id = 1`, denied);
  assert.equal(snapshot(), before);
});

test('as felt_app: balances change only by posting', () => {
  const denied = /permission denied/;
  const before = snapshot();
  refusedAsApp(`UPDATE accounts SET balance_ucents = balance_ucents + 1000000 WHERE id = ${agent.balance}`, denied);
  refusedAsApp(`UPDATE accounts SET last_entry_id = 0 WHERE id = ${agent.balance}`, denied);
  // delete and re-create an account with another balance
  refusedAsApp(`DELETE FROM accounts WHERE id = ${agent.inPlay}`, denied);
  refusedAsApp(`INSERT INTO accounts (agent_id, kind, balance_ucents) VALUES ('${agent.id}', 'agent_in_play', 99999)`, denied);
  // the temporary-table trigger trick: a trigger runs at depth 2, which 002's guard trusted
  refusedAsApp(`CREATE TEMP TABLE nest (x int)`, /permission denied to create temporary tables/);
  refusedAsApp(`CREATE FUNCTION pg_temp.up() RETURNS trigger LANGUAGE plpgsql AS
                $$BEGIN UPDATE accounts SET balance_ucents = balance_ucents + 1; RETURN NULL; END$$`,
  /permission denied/);
  // locking the accounts to stall settlement needs UPDATE rights too
  refusedAsApp(`SELECT 1 FROM accounts WHERE id = ${agent.balance} FOR UPDATE`, denied);
  // the ledger's internals are not callable
  refusedAsApp(`SELECT ledger_assert_balanced(${txns[0]})`, /permission denied for function/);
  // and what it may call refuses to create money
  refusedAsApp(`SELECT ledger_post('deposit', '{}', ARRAY[${deposits}, ${agent.balance}]::bigint[], ARRAY[-1, 2]::bigint[])`,
    /does not balance/);
  refusedAsApp(`SELECT ledger_post('buy_in', '{}', ARRAY[${agent.balance}, ${agent.inPlay}]::bigint[], ARRAY[-900000000, 900000000]::bigint[])`,
    /accounts_balance_nonnegative/);
  assert.equal(snapshot(), before);
});

test('the attacks left the ledger intact', async () => {
  await assertIntact();
});

test('as a superuser: an entry rewritten with triggers disabled is found', async () => {
  const t = txns[2];
  await tampered(`ALTER TABLE ledger_entries DISABLE TRIGGER USER;
                  UPDATE ledger_entries SET amount_ucents = amount_ucents * 3 WHERE txn_id = ${t};
                  ALTER TABLE ledger_entries ENABLE TRIGGER USER`,
  t, /changed since it was sealed/,
  `ALTER TABLE ledger_entries DISABLE TRIGGER USER;
   UPDATE ledger_entries SET amount_ucents = amount_ucents / 3 WHERE txn_id = ${t};
   ALTER TABLE ledger_entries ENABLE TRIGGER USER`);
});

test('as a superuser: a txn rewritten (its reference) is found', async () => {
  const t = txns[1];
  const ref = one(`SELECT reference::text FROM ledger_txns WHERE id = ${t}`);
  await tampered(`ALTER TABLE ledger_txns DISABLE TRIGGER USER;
                  UPDATE ledger_txns SET reference = '{"suite":"forged"}' WHERE id = ${t};
                  ALTER TABLE ledger_txns ENABLE TRIGGER USER`,
  t, /changed since it was sealed/,
  `ALTER TABLE ledger_txns DISABLE TRIGGER USER;
   UPDATE ledger_txns SET reference = '${ref}' WHERE id = ${t};
   ALTER TABLE ledger_txns ENABLE TRIGGER USER`);
});

test('as a superuser: a deleted entry is found', async () => {
  const t = txns[3];
  const [[id, account, amount]] = q(`SELECT id, account_id, amount_ucents FROM ledger_entries WHERE txn_id = ${t} ORDER BY id LIMIT 1`);
  await tampered(`ALTER TABLE ledger_entries DISABLE TRIGGER ALL;
                  DELETE FROM ledger_entries WHERE id = ${id};
                  ALTER TABLE ledger_entries ENABLE TRIGGER ALL`,
  t, /changed since it was sealed|does not balance/,
  `ALTER TABLE ledger_entries DISABLE TRIGGER ALL;
   INSERT INTO ledger_entries (id, txn_id, account_id, amount_ucents) OVERRIDING SYSTEM VALUE
   VALUES (${id}, ${t}, ${account}, ${amount}) ON CONFLICT DO NOTHING;
   ALTER TABLE ledger_entries ENABLE TRIGGER ALL`);
});

test('as a superuser: an edited balance is found', async () => {
  const [[balance, last]] = q(`SELECT balance_ucents, last_entry_id FROM accounts WHERE id = ${agent.balance}`);
  await tampered(`ALTER TABLE accounts DISABLE TRIGGER USER;
                  UPDATE accounts SET balance_ucents = balance_ucents + 1000000 WHERE id = ${agent.balance};
                  ALTER TABLE accounts ENABLE TRIGGER USER`,
  null, new RegExp(`account ${agent.balance}: balance_ucents`),
  `ALTER TABLE accounts DISABLE TRIGGER USER;
   UPDATE accounts SET balance_ucents = ${balance}, last_entry_id = ${last} WHERE id = ${agent.balance};
   ALTER TABLE accounts ENABLE TRIGGER USER`);
});

test('as a superuser: an account deleted and re-created with another balance is found', async () => {
  const [[created, balance, last]] = q(`SELECT created_at, balance_ucents, last_entry_id FROM accounts WHERE id = ${agent.inPlay}`);
  await tampered(`ALTER TABLE accounts DISABLE TRIGGER ALL;
                  DELETE FROM accounts WHERE id = ${agent.inPlay};
                  INSERT INTO accounts (id, agent_id, kind, balance_ucents, last_entry_id, created_at) OVERRIDING SYSTEM VALUE
                  VALUES (${agent.inPlay}, '${agent.id}', 'agent_in_play', ${balance} + 250000, ${last}, '${created}');
                  ALTER TABLE accounts ENABLE TRIGGER ALL`,
  null, new RegExp(`account ${agent.inPlay}: balance_ucents`),
  `ALTER TABLE accounts DISABLE TRIGGER USER;
   UPDATE accounts SET balance_ucents = ${balance} WHERE id = ${agent.inPlay};
   ALTER TABLE accounts ENABLE TRIGGER USER`);
});

test('as a superuser: a txn inserted into the sealed past is found', async () => {
  // balanced, balances updated, the triggers on: only the seals can tell
  await tampered(`INSERT INTO ledger_txns (id, kind, created_by) OVERRIDING SYSTEM VALUE VALUES (${burned}, 'adjustment', 'felt_app');
                  INSERT INTO ledger_entries (txn_id, account_id, amount_ucents)
                  VALUES (${burned}, ${agent.balance}, 5000), (${burned}, ${deposits}, -5000)`,
  burned, /appeared inside the (sealed )?range/,
  `ALTER TABLE ledger_entries DISABLE TRIGGER USER; ALTER TABLE ledger_txns DISABLE TRIGGER USER;
           ALTER TABLE accounts DISABLE TRIGGER USER;
           UPDATE accounts a SET balance_ucents = a.balance_ucents - e.amount_ucents,
                  last_entry_id = (SELECT coalesce(max(x.id), 0) FROM ledger_entries x WHERE x.account_id = a.id AND x.txn_id <> ${burned})
             FROM ledger_entries e WHERE e.account_id = a.id AND e.txn_id = ${burned};
           DELETE FROM ledger_entries WHERE txn_id = ${burned}; DELETE FROM ledger_txns WHERE id = ${burned};
           ALTER TABLE ledger_entries ENABLE TRIGGER USER; ALTER TABLE ledger_txns ENABLE TRIGGER USER;
           ALTER TABLE accounts ENABLE TRIGGER USER`);
});

test('as a superuser: an altered seal is found', async () => {
  const [[seal, digest, first]] = q(`SELECT id, encode(digest, 'hex'), txn_ids[1] FROM ledger_seals
                                      WHERE ${txns[1]} = ANY (txn_ids)`);
  await tampered(`ALTER TABLE ledger_seals DISABLE TRIGGER USER;
                  UPDATE ledger_seals SET digest = sha256('forged') WHERE id = ${seal};
                  ALTER TABLE ledger_seals ENABLE TRIGGER USER`,
  first, new RegExp(`seal ${seal} was altered`),
  `ALTER TABLE ledger_seals DISABLE TRIGGER USER;
   UPDATE ledger_seals SET digest = decode('${digest}', 'hex') WHERE id = ${seal};
   ALTER TABLE ledger_seals ENABLE TRIGGER USER`);
});

test('feltctl audit --anchor: the head it printed proves the chain was not rewritten', () => {
  const a = audit();
  const m = a.out.match(/--anchor (\d+):([0-9a-f]{64})/);
  assert.ok(m, a.out);
  let r = feltctl('audit', '--anchor', `${m[1]}:${m[2]}`);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  r = feltctl('audit', '--anchor', `${m[1]}:${'0'.repeat(64)}`);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /not the seal anchored outside the database/);
  assert.equal(feltctl('audit', '--anchor', 'nonsense').code, 2);
});
