// PostgreSQL frozen, not down (issue 7 item 4): SIGSTOP on the postmaster and every
// backend, the way a hung host or a paused VM looks. Nothing may hang: /health/live
// answers at once (its own listener and threads, no database), /health/ready says 503
// within 2 s, requests in flight answer 503 in their dialect within the statement
// timeout (+1 s, the client's bound over the server's own), later ones at once, the
// workers serve again after SIGCONT, and the outage is two log lines, not thousands.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { api, pgFreeze, pgThaw, waitFor, uniqueName } = require('./lib.js');

const STATEMENT_MS = Number(process.env.FELT_DB_STATEMENT_TIMEOUT_MS || 5000);
const API_LOG = `${process.env.FELT_TEST_VAR}/log/api.log`;

async function timed(p) {
  const t0 = Date.now();
  const r = await p;
  return { ...r, ms: Date.now() - t0 };
}

function assert503(r, v1, label) {
  assert.equal(r.status, 503, `${label}: ${r.status} ${r.body}`);
  if (v1) assert.equal(r.json?.error?.code, 'SERVICE_UNAVAILABLE', `${label}: ${r.body}`);
  else assert.equal(typeof r.json?.detail, 'string', `${label}: ${r.body}`);
}

test('frozen database: probes answer, requests get 503 in time, workers recover, two log lines', async () => {
  const name = uniqueName('fz');
  const reg = await api('POST', '/api/register', { body: { name, email: `${name}@example.com` } });
  assert.equal(reg.status, 201, reg.body);
  const key = reg.json.api_key;
  await waitFor(async () => (await api('GET', '/health/ready')).status === 200);
  const logFrom = fs.statSync(API_LOG).size;

  const pids = pgFreeze();
  const t0 = Date.now();
  let inflight;
  try {
    // Requests that need the database, more than there are workers, sent as it freezes.
    inflight = Array.from({ length: 12 }, (_, i) => (i % 2
      ? timed(api('GET', '/api/me', { key })).then((r) => ({ ...r, v1: false }))
      : timed(api('POST', '/v1/agents', { body: {} })).then((r) => ({ ...r, v1: true }))));

    // Liveness never waits on the database, busy workers or not.
    const live = await timed(api('GET', '/health/live'));
    assert.equal(live.status, 200, live.body);
    assert.ok(live.ms < 1000, `live took ${live.ms} ms`);

    // Readiness turns 503 within 2 s of the freeze, each answer immediate.
    let ready;
    await waitFor(async () => {
      ready = await timed(api('GET', '/health/ready'));
      assert.ok(ready.ms < 1000, `ready took ${ready.ms} ms`);
      return ready.status === 503;
    }, { tries: 200, delayMs: 20 });
    const readyAfter = Date.now() - t0;
    assert.ok(readyAfter < 2000, `ready said 503 ${readyAfter} ms after the freeze`);
    assert.match(ready.json.reason, /^database (unreachable|not answering)$/);

    // Every request in flight answers 503 in its dialect within the statement timeout
    // (+1 s: the server's own cancel comes first when it can answer at all).
    const answers = await Promise.all(inflight);
    for (const [i, r] of answers.entries()) {
      assert503(r, r.v1, `in flight #${i}`);
      assert.ok(r.ms <= STATEMENT_MS + 2500, `in flight #${i} took ${r.ms} ms`);
    }

    // Once felt-api knows, the workers are free: a burst answers 503 without waiting on
    // the database (well within one statement timeout; felt-api's log shows < 1 ms).
    await waitFor(async () => (await api('GET', '/health/ready')).json?.reason === 'database unreachable');
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      timed(i % 2 ? api('GET', '/api/me', { key }) : api('POST', '/v1/agents', { body: {} }))));
    for (const [i, r] of burst.entries()) {
      assert503(r, i % 2 === 0, `burst #${i}`);
      assert.ok(r.ms < STATEMENT_MS, `burst #${i} took ${r.ms} ms`);
    }
    assert.equal((await api('GET', '/health/live')).status, 200);
  } finally {
    pgThaw(pids);
  }

  // Thawed: ready again, and every worker serves (a run longer than the workers).
  await waitFor(async () => (await api('GET', '/health/ready')).status === 200, { tries: 300 });
  await waitFor(async () => (await api('GET', '/api/me', { key })).status === 200, { tries: 300 });
  for (let i = 0; i < 24; i++) {
    const r = await api('GET', '/api/me', { key });
    assert.equal(r.status, 200, `after thaw #${i}: ${r.body}`);
  }
  const v1 = await api('POST', '/v1/agents', { body: {} });
  assert.equal(v1.status, 201, v1.body);

  // The outage in the log: one line when it stopped answering, one when it came back
  // with how many failures, and no line per failed attempt.
  await waitFor(() => /event=db_up/.test(fs.readFileSync(API_LOG, 'utf8').slice(logFrom)));
  const log = fs.readFileSync(API_LOG, 'utf8').slice(logFrom);
  assert.equal((log.match(/event=db_down/g) || []).length, 1, log.slice(0, 2000));
  assert.equal((log.match(/event=db_up/g) || []).length, 1);
  assert.match(log, /event=db_up failures=\d+ down_ms=\d+/);
  assert.doesNotMatch(log, /db_connect_failed/);
  const dbErrors = (log.match(/event=db_error/g) || []).length;
  assert.ok(dbErrors <= 16, `${dbErrors} db_error lines`);
});
