// nginx in front (issue 7 item 5): every error nginx generates itself is JSON in the
// path's dialect; a per-address connection limit taken when a connection is accepted and
// header/body timeouts keep one address's slow connections from locking others out;
// worker_connections never exceeds the open files nginx may have.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { BASE, api, rawRequest, waitFor } = require('./lib.js');

const VAR = process.env.FELT_TEST_VAR;
const { port: PORT } = new URL(BASE);

function assertDetail(r, status, label) {
  assert.equal(r.status, status, `${label}: ${r.status} ${r.raw ?? r.body}`);
  assert.match(r.headers['content-type'] ?? r.headers.get?.('content-type') ?? '', /^application\/json/, label);
  assert.equal(typeof r.json?.detail, 'string', `${label}: ${r.body}`);
  assert.equal(r.json.error, undefined, label);
}
function assertV1(r, status, code, label) {
  assert.equal(r.status, status, `${label}: ${r.status} ${r.raw ?? r.body}`);
  assert.match(r.headers['content-type'] ?? r.headers.get?.('content-type') ?? '', /^application\/json/, label);
  assert.equal(r.json?.error?.code, code, `${label}: ${r.body}`);
  assert.equal(typeof r.json.error.message, 'string', label);
  assert.equal(r.json.detail, undefined, label);
}
const req = (line, extra = '') => `${line} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${extra}\r\n`;

test('TRACE and CONNECT are 405 JSON in the path\'s dialect', async () => {
  for (const m of ['TRACE', 'CONNECT']) {
    assertV1(await rawRequest(req(`${m} /v1/agents`)), 405, 'METHOD_NOT_ALLOWED', `${m} /v1`);
    assertDetail(await rawRequest(req(`${m} /api/me`)), 405, `${m} /api`);
    assertDetail(await rawRequest(req(`${m} /`)), 405, `${m} /`);
  }
  // CONNECT in authority form names no path: Open Poker's form.
  const auth = await rawRequest(req('CONNECT example.com:443'));
  assert.ok(auth.status >= 400 && auth.status < 500, auth.raw);
  assert.equal(typeof auth.json?.detail, 'string', auth.raw);
});

test('malformed requests nginx refuses are 400 JSON in the path\'s dialect', async () => {
  // Two Host headers: nginx refuses the request after reading its line.
  assertV1(await rawRequest(req('GET /v1/agents', 'Host: y\r\n')), 400, 'BAD_REQUEST', 'double host /v1');
  assertDetail(await rawRequest(req('GET /api/me', 'Host: y\r\n')), 400, 'double host /api');
  // A header over the buffers: nginx's 494, sent as 400.
  const big = `X-Big: ${'a'.repeat(20000)}\r\n`;
  assertV1(await rawRequest(req('GET /v1/agents', big)), 400, 'BAD_REQUEST', 'big header /v1');
  assertDetail(await rawRequest(req('GET /api/me', big)), 400, 'big header /api');
  // An unsupported HTTP version.
  const v2 = await rawRequest('GET /v1/agents HTTP/2.0\r\nHost: x\r\n\r\n');
  assertV1(v2, 505, 'HTTP_VERSION_NOT_SUPPORTED', 'HTTP/2.0');
  // Garbage with no request line to read a path from: Open Poker's form.
  const junk = await rawRequest('\x16\x03\x01 not http\r\n\r\n');
  assertDetail(junk, 400, 'junk');
});

test('long request lines: felt-api\'s 414 and nginx\'s 414 both answer in the /v1 format', async () => {
  assertV1(await api('GET', `/v1/${'a'.repeat(3000)}`), 414, 'URI_TOO_LONG', 'felt-api, 3,000 characters');
  assertDetail(await api('GET', `/api/${'a'.repeat(3000)}`), 414, 'felt-api /api');
  assertV1(await api('GET', `/v1/${'a'.repeat(9000)}`), 414, 'URI_TOO_LONG', 'nginx, 9,000 characters');
  assertDetail(await api('GET', `/api/${'a'.repeat(9000)}`), 414, 'nginx /api');
});

test('413 and 429 are JSON; 429 says when to retry', async () => {
  const big = 'x'.repeat(100 * 1024);
  assertV1(await api('POST', '/v1/agents', { body: big, headers: { 'content-type': 'application/json' } }),
    413, 'PAYLOAD_TOO_LARGE', '413 /v1');
  assertDetail(await api('POST', '/api/register', { body: big, headers: { 'content-type': 'application/json' } }),
    413, '413 /api');
  // The full /health is rate limited (burst 10): a burst of 60 meets the limit.
  const answers = await Promise.all(Array.from({ length: 60 }, () => api('GET', '/health')));
  const limited = answers.filter((r) => r.status === 429);
  assert.ok(limited.length > 0, answers.map((r) => r.status).join(' '));
  for (const r of limited) {
    assertDetail(r, 429, '429');
    assert.equal(r.headers.get('retry-after'), '60');
  }
});

// A second nginx from the same template, in its own directory, in front of a felt-api
// that is not there (502) or never answers (504, with a 1 s backstop).
async function withOwnNginx(fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'felt-nginx-'));
  fs.chmodSync(dir, 0o755);
  for (const d of ['run', 'log', 'nginx']) fs.mkdirSync(path.join(dir, d), { mode: 0o755 });
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const env = { ...process.env, FELT_VAR: dir, FELT_HTTP_PORT: String(port), FELT_API_TIMEOUT_S: '1' };
  const conf = `${dir}/nginx/nginx.conf`;
  const start = spawnSync('bash', ['-c', `. "$FELT_TOP/script/lib.sh" && felt_nginx_conf &&
    nginx -p "${dir}/nginx" -c "${conf}" -e "${dir}/log/nginx-error.log"`], { env, encoding: 'utf8' });
  assert.equal(start.status, 0, start.stderr);
  try {
    await fn(`http://127.0.0.1:${port}`, `${dir}/run/api.sock`);
  } finally {
    spawnSync('nginx', ['-p', `${dir}/nginx`, '-c', conf, '-e', `${dir}/log/nginx-error.log`, '-s', 'stop']);
    await waitFor(() => !fs.existsSync(`${dir}/run/nginx.pid`), { tries: 100 }).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('502 and 504 say BAD_GATEWAY and GATEWAY_TIMEOUT, not SERVICE_UNAVAILABLE', async () => {
  await withOwnNginx(async (url, apiSocket) => {
    assertV1(await rawRequest(req('GET /v1/agents'), { url }), 502, 'BAD_GATEWAY', '502 /v1');
    assertDetail(await rawRequest(req('GET /api/me'), { url }), 502, '502 /api');
    // A felt-api that accepts and never answers.
    const held = [];
    const silent = net.createServer((c) => held.push(c)).listen(apiSocket);
    await new Promise((r) => silent.on('listening', r));
    fs.chmodSync(apiSocket, 0o666);
    try {
      assertV1(await rawRequest(req('GET /v1/agents'), { url }), 504, 'GATEWAY_TIMEOUT', '504 /v1');
      assertDetail(await rawRequest(req('GET /api/me'), { url }), 504, '504 /api');
    } finally {
      held.forEach((c) => c.destroy());
      silent.close();
    }
  });
});

test('worker_connections is within the open files nginx gets, and nginx did not warn', () => {
  const conf = fs.readFileSync(`${VAR}/nginx/nginx.conf`, 'utf8');
  const conns = Number(conf.match(/worker_connections (\d+);/)[1]);
  const nofile = Number(conf.match(/worker_rlimit_nofile (\d+);/)[1]);
  const hard = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(conns <= nofile, `${conns} > ${nofile}`);
  if (hard !== 'unlimited') assert.ok(nofile <= Number(hard), `${nofile} > hard limit ${hard}`);
  const log = fs.readFileSync(`${VAR}/log/nginx-error.log`, 'utf8');
  assert.doesNotMatch(log, /exceed open file resource limit/);
});

// Opens n connections from 127.0.0.1 that each send half a request header and wait.
// Resolves once every one of them is connected or closed; each socket's connect and close
// times are kept (ms), so closes that came before any timeout could apply can be told apart.
async function slowFlood(n) {
  const socks = [];
  const state = { closed: 0, early: 0 };
  const earlyMs = (Number(process.env.FELT_CLIENT_TIMEOUT_S || 10) - 1) * 1000;
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port: Number(PORT) });
    let t0 = Date.now();
    socks.push(s);
    s.on('connect', () => { t0 = Date.now(); s.write('GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: '); resolve(); });
    s.on('error', () => {});
    s.on('close', () => { state.closed++; if (Date.now() - t0 < earlyMs) state.early++; resolve(); });
  })));
  return { socks, state };
}

// What this proves: one address cannot hold more than the limit however many connections
// it opens, because the front closes the excess as it accepts them, before any header
// timeout could (the excess is closed "early", within the header timeout of its own
// connect, which without the limit would keep it open). nginx's capacity
// (worker_connections, sized to thousands) is then out of one address's reach, and a
// client from another address is served. 4x the limit, not tens of thousands: enough to
// exceed it, and the same code path whatever the count.
test('one address\'s slow-header flood: it keeps at most the per-address limit, others still get 200', async () => {
  const limit = Number(process.env.FELT_CONN_PER_ADDR || 512);
  const n = 4 * limit;
  const { socks, state } = await slowFlood(n);
  try {
    await waitFor(() => state.closed >= n - limit, { tries: 200, delayMs: 50 });
    assert.ok(state.early >= n - limit, `${state.early} refused at once, want ${n - limit}`);
    assert.ok(n - state.closed <= limit, `${n - state.closed} connections held, limit ${limit}`);
    // Another address is not affected...
    const other = await rawRequest(req('GET /health/live'), { localAddress: '127.0.0.2' });
    assert.equal(other.status, 200, other.raw);
    // ...while the flooding address is refused without an answer as long as it holds its
    // limit (the header timeout may have cut some of its connections meanwhile).
    const same = await rawRequest(req('GET /health/live'), { localAddress: '127.0.0.1' });
    await new Promise((r) => setTimeout(r, 100));
    const held = n - state.closed;
    assert.ok(same.status === 0 || held < limit, `served at ${held} of ${limit}: ${same.raw}`);
  } finally {
    socks.forEach((s) => s.destroy());
  }
  // Once the flood is gone the address is served again.
  await waitFor(async () => (await rawRequest(req('GET /health/live'))).status === 200, { tries: 100 });
});

test('a slow header and a stalled body are cut by the client timeouts, with no HTML', async () => {
  const timeoutS = Number(process.env.FELT_CLIENT_TIMEOUT_S || 10);
  const cases = [
    'GET /api/me HTTP/1.1\r\nHost: x\r\nX-Slow: ',
    'POST /v1/agents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"na',
  ];
  // Side by side: each waits out the timeout.
  await Promise.all(cases.map(async (text) => {
    const t0 = Date.now();
    const r = await rawRequest(text, { timeoutMs: (timeoutS + 20) * 1000 });
    const s = (Date.now() - t0) / 1000;
    // Closed by nginx well before our own give-up, and nothing that is not JSON.
    assert.ok(s < timeoutS + 15, `open for ${s} s`);
    assert.ok(r.raw === '' || r.json, `answered: ${r.raw.slice(0, 200)}`);
    assert.doesNotMatch(r.raw, /<html/i);
  }));
});
