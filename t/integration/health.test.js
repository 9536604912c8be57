// Health probes of seed 000 through nginx, including the database going away and
// coming back. Run by script/test (node --test) against the whole stack.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { api, psql, feltctl, pgStop, pgStart, waitFor } = require('./lib.js');
const { paydStop, paydStart } = require('./chain.js');

test('GET /health/live answers ok', async () => {
  const r = await api('GET', '/health/live');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('GET /health/ready answers ok with the database up', async () => {
  const r = await api('GET', '/health/ready');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
});

test('GET /health reports what felt has, and nothing it does not', async () => {
  // Money both spendable and in play, so a swapped figure would show.
  const a = await api('POST', '/v1/agents', { body: {} });
  assert.equal(feltctl('credit', a.json.agent_id, '2.00', '--reason', 'health test').code, 0);
  const post = psql(`SELECT ledger_post('buy_in', '{}', ARRAY[balance_account, in_play_account],`
    + ` ARRAY[-5000, 5000]::bigint[]) FROM ledger_agent_accounts('${a.json.agent_id}')`);
  assert.equal(post.code, 0, post.stderr);
  const r = await api('GET', '/health');
  assert.equal(r.status, 200);
  const h = r.json;
  assert.ok(['ok', 'degraded'].includes(h.status), h.status);
  assert.match(h.version, /^\d+\.\d+\.\d+/);
  assert.equal(typeof h.uptime_seconds, 'number');
  assert.ok(h.uptime_seconds >= 0);
  assert.equal(h.services.database, 'ok');
  for (const c of ['wsd', 'payd']) {
    assert.equal(typeof h.services[c].running, 'boolean', c);
    assert.ok(['running', 'stale', 'absent'].includes(h.services[c].state), c);
  }
  // Not faked: felt has no Redis, flush worker or WAL lag.
  assert.equal(h.services.redis, undefined);
  assert.equal(h.services.flush_worker, undefined);
  assert.equal(h.services.wal_lag, undefined);
  // degraded exactly when a non-critical part is down
  const allUp = h.services.wsd.running && h.services.payd.running;
  assert.equal(h.status, allUp ? 'ok' : 'degraded');
  const f = h.financial_reconciliation;
  assert.equal(typeof f.units_match, 'boolean');
  for (const k of ['balance_cents', 'balance_ucents', 'locked_cents', 'locked_ucents', 'drift_ucents']) {
    assert.ok(Number.isInteger(f[k]), k);
  }
  assert.equal(f.balance_cents, Math.trunc(f.balance_ucents / 100));
  assert.equal(f.locked_cents, Math.trunc(f.locked_ucents / 100));
  // The figures are the maintained account balances (cheap: no pass over the ledger),
  // field for field; on a sound ledger they are also the raw sums /api/accounting
  // recomputes (the DBA view).
  const m = psql("SELECT sum(balance_ucents) FILTER (WHERE kind = 'agent_balance'),"
    + " sum(balance_ucents) FILTER (WHERE kind = 'agent_in_play'),"
    + " coalesce(sum(balance_ucents) FILTER (WHERE kind = 'withdrawals_pending'), 0),"
    + ' -sum(balance_ucents), sum(balance_ucents) = 0 FROM accounts').stdout.trim();
  assert.equal(m, [f.balance_ucents, f.locked_ucents, f.pending_withdrawals_ucents, f.drift_ucents,
    f.units_match ? 't' : 'f'].join('|'));
  const v = psql('SELECT total_balance_ucents, total_in_play_ucents, total_pending_withdrawals_ucents,'
    + ' drift_ucents, invariant_holds FROM accounting_invariant').stdout.trim();
  assert.equal(v, m);
  assert.equal(f.balance_drift_ucents, undefined);
});

test('GET /health reads felt-wsd and felt-payd heartbeats', async () => {
  // Rows for instances no real process uses, removed afterwards; the real felt-payd is
  // stopped meanwhile (its own heartbeats would make payd look alive).
  const inst = `itest-${process.pid}`;
  const reset = () => psql(`DELETE FROM heartbeats WHERE instance = '${inst}'`);
  paydStop();
  try {
    let q = psql(`SELECT heartbeat_touch('wsd', '${inst}', 1, '{"active_tables": 3, "lobby_queue": 1}')`);
    assert.equal(q.code, 0, q.stderr);
    q = psql(`SELECT heartbeat_touch('payd', '${inst}', 2, '{}')`);
    assert.equal(q.code, 0, q.stderr);
    let h = (await api('GET', '/health')).json;
    assert.equal(h.services.wsd.running, true);
    assert.equal(h.services.wsd.state, 'running');
    assert.ok(h.services.wsd.last_seen_ago_seconds < 60);
    assert.equal(h.services.payd.running, true);
    assert.deepEqual(Object.keys(h.game), ['active_tables', 'active_connections', 'lobby_queue']);
    for (const k of Object.keys(h.game)) assert.ok(Number.isInteger(h.game[k]), k);
    assert.ok(h.game.active_tables >= 3);
    assert.ok(h.game.lobby_queue >= 1);

    // Every payd heartbeat old: payd is down, the platform is degraded.
    q = psql("UPDATE heartbeats SET last_seen_at = now() - interval '1 hour' WHERE component = 'payd'");
    assert.equal(q.code, 0, q.stderr);
    h = (await api('GET', '/health')).json;
    assert.equal(h.services.payd.running, false);
    assert.equal(h.services.payd.state, 'stale');
    assert.ok(h.services.payd.last_seen_ago_seconds >= 3599);
    assert.equal(h.status, 'degraded');
  } finally {
    reset();
    paydStart();
  }
});

test('felt-api records its own heartbeat', async () => {
  const out = await waitFor(() => {
    const r = psql("SELECT count(*) FROM heartbeats WHERE component = 'api' AND last_seen_at > now() - interval '1 minute'");
    return r.code === 0 && Number(r.stdout.trim()) > 0;
  });
  assert.ok(out);
});

test('database down: ready 503, /health down, live still ok; recovery after restart', async () => {
  const name = `hd_${process.pid}_${Date.now().toString(36)}`;
  const reg = await api('POST', '/api/register', { body: { name, email: `${name}@example.com` } });
  assert.equal(reg.status, 201, reg.body);
  pgStop();
  try {
    // Ready reports what felt-api's database watcher saw: within its interval.
    let ready;
    await waitFor(async () => (ready = await api('GET', '/health/ready')).status === 503);
    assert.equal(ready.status, 503);
    assert.equal(ready.json.status, 'unavailable');
    assert.equal(ready.json.reason, 'database unreachable');

    const full = await api('GET', '/health');
    assert.equal(full.status, 503);
    assert.equal(full.json.status, 'down');
    assert.equal(full.json.services.database, 'down');

    const live = await api('GET', '/health/live');
    assert.equal(live.status, 200);
  } finally {
    pgStart();
  }
  // Every worker thread must recover, not just one: after the first success,
  // a run of consecutive successes (nginx spreads requests over the threads).
  await waitFor(async () => (await api('GET', '/health/ready')).status === 200);
  await waitFor(async () => (await api('GET', '/api/me', { key: reg.json.api_key })).status === 200);
  for (let i = 0; i < 32; i++) {
    const r = await api('GET', '/api/me', { key: reg.json.api_key });
    assert.equal(r.status, 200, `request ${i} after recovery: ${r.body}`);
  }
  const full = await api('GET', '/health');
  assert.equal(full.status, 200);
  assert.equal(full.json.services.database, 'ok');
});

test('SIGUSR2 takes felt-api out of rotation and back: ready 503 draining, then 200', async () => {
  const fs = require('node:fs');
  const path = require('node:path');
  const pid = Number(fs.readFileSync(path.join(process.env.FELT_TEST_VAR, 'run', 'api.pid'), 'utf8'));
  process.kill(pid, 'SIGUSR2');
  try {
    const r = await waitFor(async () => {
      const x = await api('GET', '/health/ready');
      return x.status === 503 ? x : null;
    });
    assert.deepEqual(r.json, { status: 'unavailable', reason: 'draining' });
    assert.equal((await api('GET', '/health/live')).status, 200, 'still alive while draining');
    assert.equal((await api('GET', '/health')).json.draining, true);
  } finally {
    process.kill(pid, 'SIGUSR2');
  }
  await waitFor(async () => (await api('GET', '/health/ready')).status === 200);
  assert.equal((await api('GET', '/health')).json.draining, false);
});
