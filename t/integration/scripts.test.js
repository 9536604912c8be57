// The operator's first hour and script/server's own behaviour, run as a user runs them
// (issue 8; issue 7 item 8). A second stack, in FELT_TEST_VAR/srv on ports of its own, is
// started by script/server itself from an environment with no FELT_DB in it, then:
// the README's "first hour" lines word for word (only the port differs), script/server
// --background again, after kill -9 of felt-api, without felt-api's socket, with nginx
// unable to start, stop, and the foreground run with a crash and a Ctrl-C.
//
// As root, the whole file runs once more as a throw-away unprivileged user, through
// script/test in a copy of the tree that user owns, with a normal user's PATH (no
// /usr/sbin): FELT_TEST_AS_USER=0 skips that pass.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const TOP = process.env.FELT_TOP;
const VAR = process.env.FELT_TEST_VAR;
if (!TOP || !VAR || !process.env.FELT_BIN) throw new Error('run the integration tests through script/test');
const SRV = path.join(VAR, 'srv');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// What an operator's shell has: no FELT_DB, nothing exported by script/test beyond where
// this second stack lives and that it reuses the test build (same configure arguments).
let env;
let port;
async function setup() {
  if (env) return;
  port = await freePort();
  env = {
    PATH: process.env.PATH, HOME: process.env.HOME || '/', LANG: 'C.UTF-8',
    FELT_VAR: SRV, FELT_BUILD: process.env.FELT_BIN, FELT_CONFIGURE: '--enable-sanitizers',
    FELT_HTTP_PORT: String(port), FELT_PG_PORT: String(await freePort()),
    FELT_WSD_PORT: String(await freePort()),
  };
  for (const k of ['ASAN_OPTIONS', 'UBSAN_OPTIONS']) if (process.env[k]) env[k] = process.env[k];
}

function sh(cmd, opts = {}) {
  const r = spawnSync('bash', ['-c', cmd], { cwd: TOP, env, encoding: 'utf8', timeout: 900000, ...opts });
  return { code: r.status, stdout: r.stdout || '', stderr: r.stderr || '', out: (r.stdout || '') + (r.stderr || '') };
}

const url = (p) => `http://127.0.0.1:${port}${p}`;
async function get(p) {
  try {
    const r = await fetch(url(p));
    return { status: r.status, body: await r.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

async function waitFor(fn, { tries = 600, delayMs = 100 } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw new Error('condition not reached');
}

const readPid = (file) => {
  try { return Number(fs.readFileSync(file, 'utf8').split('\n')[0]); } catch { return 0; }
};
const pids = () => ({
  pg: readPid(path.join(SRV, 'pg/data/postmaster.pid')),
  api: readPid(path.join(SRV, 'run/api.pid')),
  payd: readPid(path.join(SRV, 'run/payd.pid')),
  nginx: readPid(path.join(SRV, 'run/nginx.pid')),
});
// Alive and not a zombie (an orphan under a PID 1 that does not reap stays one).
function alive(pid) {
  try { return pid > 0 && !/^State:\s*Z/m.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8')); } catch { return false; }
}

test('the first start prints the platform key once, says where it is kept, and serves', async () => {
  await setup();
  const r = sh('script/server --background');
  assert.equal(r.code, 0, r.out);
  const m = r.stdout.match(/platform key\s+(op_live_\S+)\s+\(new: shown only now; kept in (\S+), mode 600\)/);
  assert.ok(m, r.stdout);
  assert.equal(m[2], path.join(SRV, 'platform.key'));
  assert.equal(fs.readFileSync(m[2], 'utf8').trim(), m[1]);
  assert.equal(fs.statSync(m[2]).mode & 0o777, 0o600);
  // No key was replaced on the first start, and no "previous key" is mentioned.
  assert.doesNotMatch(r.out, /previous/);
  // What FELT_DB is for, and the file the operator's commands read.
  assert.match(r.stdout, /FELT_DB\s+host=\S+ port=\d+ user=felt_app dbname=felt\n\s+what feltctl and the daemons connect with/);
  assert.ok(fs.existsSync(path.join(SRV, 'felt.env')));
  const key = m[1];
  const acc = await fetch(url('/api/accounting'), { headers: { authorization: `Bearer ${key}` } });
  assert.equal(acc.status, 200, 'the printed key is the platform key');
  // GET / is an index of the surfaces, not a JSON 404.
  const home = await get('/');
  assert.equal(home.status, 200, home.body);
  const idx = JSON.parse(home.body);
  assert.equal(idx.service, 'felt');
  assert.equal(idx.surfaces.open_poker.rest, '/api/');
  assert.equal(idx.surfaces.moltpoker.websocket, '/v1/ws');
  assert.equal(idx.surfaces.moltpoker.docs, '/skill.md');
  // The benchmark location is not part of a production configuration.
  const bench = await get('/bench/nginx-200');
  assert.equal(bench.status, 404, bench.body);
  assert.equal(sh('script/server status').code, 0);
});

// The README's first hour: the fenced block between the first-hour markers, one command
// at a time (continued lines joined) in one shell, port 8080 replaced by this stack's.
function firstHourCommands() {
  const readme = fs.readFileSync(path.join(TOP, 'README.md'), 'utf8');
  const m = readme.match(/<!-- first-hour: begin -->\n```sh\n([\s\S]*?)```\n<!-- first-hour: end -->/);
  assert.ok(m, 'README.md has the first-hour block');
  const cmds = [];
  let cur = '';
  for (const line of m[1].split('\n')) {
    if (!cur && (line.trim() === '' || line.trim().startsWith('#'))) continue;
    cur += (cur ? '\n' : '') + line;
    if (!line.endsWith('\\')) { cmds.push(cur); cur = ''; }
  }
  return cmds;
}

test("the README's first hour runs word for word", async () => {
  await setup();
  const cmds = firstHourCommands();
  assert.ok(cmds.length >= 8, cmds.join('\n'));
  const script = cmds.map((c, i) =>
    `echo "@@@ ${i}"; ${c.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`)}\necho; echo "@@@ ${i} rc=$?"`).join('\n');
  const r = sh(script + '\n', { stdio: ['ignore', 'pipe', 'pipe'] });
  const outputs = [];
  for (let i = 0; i < cmds.length; i++) {
    const mm = r.stdout.match(new RegExp(`@@@ ${i}\\n([\\s\\S]*?)\\n@@@ ${i} rc=(\\d+)`));
    assert.ok(mm, `command ${i} (${cmds[i]}) did not run: ${r.out}`);
    assert.equal(mm[2], '0', `${cmds[i]}\n${mm[1]}\n${r.stderr}`);
    outputs.push(mm[1]);
  }
  const find = (re) => {
    const i = cmds.findIndex((c) => re.test(c));
    assert.ok(i >= 0, `no command matches ${re}`);
    return outputs[i];
  };
  assert.match(find(/^script\/server --background$/), /^\s*felt is running|already running/m);
  assert.match(find(/feltctl credit my_bot 25.00/), /^credit txn=\d+ agent=[0-9a-f-]{36} amount=25\.00 balance=25\.00$/m);
  const balance = find(/api\/balance/);
  assert.match(balance, /"balance": ?25\.00\b/);
  assert.equal(JSON.parse(balance.trim()).balance, 25);
  assert.match(find(/FROM ledger_txns/), /\badjustment\s+\|\s+test funds\b/);
  const entries = find(/FROM ledger_entries/);
  assert.match(entries, /\bagent_balance\s+\|\s+250000\b/);
  assert.match(entries, /\badjustments\s+\|\s+-250000\b/);
  assert.match(find(/FROM accounting_invariant/), /^\s*t\s+\|\s+0\s*$/m);
  // /v1: my_bot is taken (by the /api registration above), so the 201 names the suffix.
  const molt = JSON.parse(find(/v1\/agents/).trim());
  assert.match(molt.name, /^my_bot_[0-9a-f]{8}$/);
  assert.match(molt.api_key, /^mpk_/);
  assert.equal(JSON.parse(find(/^curl -s 127\.0\.0\.1:8080\/$/).trim()).service, 'felt');
});

test('--background again: nothing to do, and the key is not printed again', async () => {
  await setup();
  const before = pids();
  const r = sh('script/server --background');
  assert.equal(r.code, 0, r.out);
  assert.match(r.stderr, /already running; nothing to do/);
  assert.doesNotMatch(r.stdout, /op_live_/);
  assert.match(r.stdout, /platform key\s+kept in \S+platform\.key/);
  assert.deepEqual(pids(), before);
});

test('after kill -9 of felt-api, --background names it and starts only it again', async () => {
  await setup();
  const before = pids();
  assert.ok(alive(before.api) && alive(before.pg) && alive(before.nginx) && alive(before.payd), JSON.stringify(before));
  process.kill(before.api, 'SIGKILL');
  await waitFor(() => !alive(before.api));
  const st = sh('script/server status');
  assert.equal(st.code, 1, `${JSON.stringify(before)} ${fs.existsSync(`/proc/${before.api}`) ? fs.readFileSync(`/proc/${before.api}/status`, 'utf8').slice(0, 300) : 'gone'}\n${st.out}`);
  assert.match(st.stderr, /felt-api not running \(stale pid file \S+api\.pid: pid \d+ is gone\)/);
  const r = sh('script/server --background');
  assert.equal(r.code, 0, r.out);
  const proc = (pid) => (fs.existsSync(`/proc/${pid}`) ? fs.readFileSync(`/proc/${pid}/status`, 'utf8').slice(0, 300) : 'gone');
  assert.match(r.stderr, /felt-api was not running \(stale pid file \S+api\.pid: pid \d+ is gone\): starting it again/,
    `${JSON.stringify(before)} now ${JSON.stringify(pids())}; pid ${before.api}: ${proc(before.api)}`);
  const after = pids();
  assert.notEqual(after.api, before.api);
  assert.ok(alive(after.api));
  // Nothing else was restarted.
  assert.equal(after.pg, before.pg);
  assert.equal(after.nginx, before.nginx);
  assert.equal(after.payd, before.payd);
  assert.equal((await get('/health/ready')).status, 200);
});

test("felt-api without its socket is named and started again", async () => {
  await setup();
  const before = pids();
  fs.unlinkSync(path.join(SRV, 'run/api.sock'));
  const r = sh('script/server --background');
  assert.equal(r.code, 0, r.out);
  assert.match(r.stderr, /felt-api was running \(pid \d+\) without its socket \S+api\.sock: starting it again/);
  const after = pids();
  assert.notEqual(after.api, before.api);
  assert.ok(!alive(before.api), 'the socketless felt-api was stopped');
  assert.equal(after.pg, before.pg);
  assert.equal((await get('/health/ready')).status, 200);
});

test('a part that cannot start never stops the healthy ones', async () => {
  await setup();
  const before = pids();
  // nginx stops, and something else takes its port.
  process.kill(before.nginx, 'SIGQUIT');
  await waitFor(() => !alive(before.nginx));
  const squatter = net.createServer();
  await new Promise((resolve) => squatter.listen(port, '127.0.0.1', resolve));
  try {
    const r = sh('script/server --background');
    assert.equal(r.code, 1, r.out);
    assert.match(r.stderr, /Address already in use/);
    assert.match(r.stderr, /nginx did not start \(log: \S+nginx-error\.log\)/);
    const after = pids();
    assert.equal(after.pg, before.pg);
    assert.ok(alive(before.pg), 'PostgreSQL still runs');
    assert.ok(alive(before.api), 'felt-api still runs');
    assert.ok(alive(before.payd), 'felt-payd still runs');
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
  const r = sh('script/server --background');
  assert.equal(r.code, 0, r.out);
  assert.equal(pids().api, before.api);
  assert.equal((await get('/health/ready')).status, 200);
});

test('stop stops everything', async () => {
  await setup();
  const before = pids();
  const r = sh('script/server stop');
  assert.equal(r.code, 0, r.out);
  assert.match(r.stderr, /felt: stopped/);
  for (const [name, pid] of Object.entries(before)) assert.ok(!alive(pid), `${name} still runs`);
  assert.equal(sh('script/server status').code, 1);
});

test('foreground: a crash is named and repaired; Ctrl-C says it stopped cleanly', { timeout: 900000 }, async () => {
  await setup();
  // Its own process group, as a terminal's foreground job: the "Ctrl-C" below is a SIGINT
  // to the whole group, as the terminal sends it.
  const child = spawn('bash', ['script/server'], { cwd: TOP, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  try {
    await waitFor(() => out.includes('Ctrl-C stops everything.') || child.exitCode !== null, { tries: 6000 });
    assert.match(out, /Ctrl-C stops everything\./, out);
    assert.match(out, /platform key\s+kept in /);
    const api = pids().api;
    process.kill(api, 'SIGKILL');
    await waitFor(() => /felt-api started again/.test(out) || child.exitCode !== null, { tries: 3000 });
    assert.match(out, /felt-api died: not running \(stale pid file \S+: pid \d+ is gone\), killed by signal KILL/);
    assert.match(out, /felt-api started again/);
    await waitFor(async () => (await get('/health/ready')).status === 200);
    process.kill(-child.pid, 'SIGINT');
    const end = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve({ code: 'still running 120 s after Ctrl-C' }), 120000))]);
    assert.equal(end.code, 0, out);
    assert.match(out, /felt: stopped cleanly/);
    assert.doesNotMatch(out, /exited \(log/);
    for (const [name, pid] of Object.entries(pids())) assert.ok(!alive(pid), `${name} still runs`);
  } finally {
    if (child.exitCode === null) {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ }
      // A stop that hangs must not hang the suite: the whole group goes after 60 s.
      const killer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 60000);
      await exited;
      clearTimeout(killer);
    }
    sh('script/server stop');
  }
});

test("this stack's daemons made no sanitizer reports", () => {
  const logs = fs.readdirSync(path.join(SRV, 'log')).filter((f) => f.endsWith('.log'));
  for (const f of logs) {
    const text = fs.readFileSync(path.join(SRV, 'log', f), 'utf8');
    assert.doesNotMatch(text, /ERROR: (Address|Leak)Sanitizer|runtime error:/, f);
  }
});

// --- the same again as a normal user ---------------------------------------------------

const asUser = process.getuid() === 0 && process.env.FELT_TEST_AS_USER !== '0';

function runRoot(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { code: r.status, out: (r.stdout || '') + (r.stderr || '') };
}

test('as an unprivileged user: script/test runs this file and it passes', { skip: !asUser && 'not root (or FELT_TEST_AS_USER=0)' }, async () => {
  const user = `felt-t-${crypto.randomBytes(4).toString('hex')}`;
  const home = path.join(VAR, `home-${user}`);
  // useradd locks /etc/passwd; another run on the machine may hold the lock a moment.
  let made;
  for (let i = 0; i < 50; i++) {
    made = runRoot('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/bash', user]);
    if (made.code === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(made.code, 0, made.out);
  try {
    // A copy of the tree (what git tracks, and new files not ignored) that the user owns.
    const clone = path.join(home, 'felt');
    fs.mkdirSync(clone);
    const files = runRoot('bash', ['-c', 'git ls-files -z --cached --others --exclude-standard |'
      + ' tar --null --ignore-failed-read -cf - -T - 2>/dev/null | tar -xf - -C "$0"', clone], { cwd: TOP });
    assert.equal(files.code, 0, files.out);
    assert.equal(runRoot('chown', ['-R', `${user}:`, home]).code, 0);
    // A normal user's environment: no /usr/sbin on the PATH, no FELT_* from this run; only
    // the machine's way out to the npm registry (proxy, extra CA) is kept, as a user's
    // login would have it.
    const reach = ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'https_proxy',
      'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy', 'npm_config_cafile', 'npm_config_registry']
      .filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
    const r = runRoot('runuser', ['-u', user, '--', 'env', '-i', `HOME=${home}`, `USER=${user}`, ...reach,
      'PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'FELT_TEST_ONLY=integration',
      'FELT_TEST_MATCH=^scripts\\.test\\.js$', 'FELT_TEST_CHAIN=0', 'bash', 'script/test'],
    { cwd: clone, timeout: 3600000 });
    const last = r.out.trim().split('\n').pop();
    assert.equal(r.code, 0, r.out.slice(-6000));
    const m = last.match(/^(\d+) passed, 0 failed$/);
    assert.ok(m && Number(m[1]) >= 9, r.out.slice(-6000));
    assert.match(r.out, /scripts\.test\.js\s+\d+ passed, 0 failed/);
  } finally {
    const del = runRoot('userdel', [user]);
    if (del.code !== 0) console.error(`userdel ${user}: ${del.out}`);
  }
});
