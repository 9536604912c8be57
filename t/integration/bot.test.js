// felt-bot against the real stack through nginx: agents register, auto-join, play /v1
// tables over WebSocket (agent format) and the run ends clean; its command line.
// (Open Poker mode is covered by unit tests on recorded frames until /ws exists.)
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BASE, psql, waitFor } = require('./lib.js');

const BOT = path.join(process.env.FELT_BIN, 'tools', 'felt-bot');
// Play needs felt-wsd in the stack; without it only the command line is tested.
const PLAY = fs.existsSync(path.join(process.env.FELT_BIN, 'wsd', 'felt-wsd')) ? {} :
  { skip: 'felt-wsd is not part of this build' };

// Run felt-bot to its end (bounded: killed after timeoutMs). Resolves {code, stdout, stderr}.
function bot(args, { timeoutMs = 120000, onSpawn } = {}) {
  return new Promise((resolve) => {
    const p = spawn(BOT, args, { env: process.env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => { stdout += d; });
    p.stderr.on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
    if (onSpawn) onSpawn(p);
  });
}

// The summary line's key=value pairs as numbers (or strings).
function summary(stdout) {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('felt-bot: agents=')).pop();
  assert.ok(line, `no summary line in: ${stdout}`);
  const out = {};
  for (const m of line.matchAll(/(\w+)=(\S+)/g)) out[m[1]] = Number.isNaN(Number(m[2])) ? m[2] : Number(m[2]);
  return out;
}

function clean(r, s) {
  const why = `exit ${r.code}\n${r.stdout}\n${r.stderr.split('\n').filter((l) => !l.includes('level=debug')).slice(-20).join('\n')}`;
  assert.equal(r.code, 0, why);
  assert.equal(s.failed, 0, why);
  assert.equal(s.errors, 0, why);
  assert.equal(s.bad_frames, 0, why);
  assert.equal(s.leaks, 0, why);
}

// 30 hands each: the random strategy goes all-in on about one decision in 25, and the cards
// are the server's, so 10 hands (~100 decisions) missed an all-in about once in 60 runs.
test('6 agents at 2 tables play 30 hands each with random actions, all-ins included', PLAY, async () => {
  const name = `bt${process.pid % 100000}`;
  const r = await bot(['--base', BASE, '--agents', '6', '--tables', '2', '--hands', '30', '--rejoin',
    '--strategy', 'random', '--name', name, '--seed', '7', '-v']);
  const s = summary(r.stdout);
  clean(r, s);
  assert.equal(s.agents, 6);
  assert.ok(s.hands >= 60, `hands=${s.hands}`);
  assert.ok(s.actions > s.hands, `actions=${s.actions}`);
  assert.ok(s.latency_p50_us > 0);
  // every kind of action went out, all-ins among them
  for (const kind of ['fold', 'check', 'call', 'raise', 'allin']) {
    assert.match(r.stderr, new RegExp(`event=bot_action .*kind=${kind}\\b`), `no ${kind}`);
  }
  // the tables they played exist, with 3 of our agents seated at each, and committed hands
  const rows = psql(`SELECT t.id, count(DISTINCT s.agent_id), (SELECT count(*) FROM hands h WHERE h.table_id = t.id)
    FROM tables t JOIN seats s ON s.table_id = t.id JOIN agents a ON a.id = s.agent_id
    WHERE a.name LIKE '${name}\\_%' GROUP BY t.id`).stdout.trim().split('\n').map((l) => l.split('|'));
  assert.ok(rows.length >= 2, `tables: ${JSON.stringify(rows)}`);
  assert.ok(rows.every((c) => Number(c[1]) === 3), `seats per table: ${JSON.stringify(rows)}`);
  assert.ok(rows.reduce((n, c) => n + Number(c[2]), 0) >= 60, `hands in the database: ${JSON.stringify(rows)}`);
});

test('call and tight strategies play clean', PLAY, async () => {
  for (const strategy of ['call', 'tight']) {
    const r = await bot(['--base', BASE, '--agents', '2', '--hands', '3', '--rejoin', '--strategy', strategy,
      '--name', `bs${strategy[0]}${process.pid % 10000}`]);
    const s = summary(r.stdout);
    clean(r, s);
    assert.ok(s.hands >= 3, `${strategy}: hands=${s.hands}`);
  }
});

test('--keys: --register-only writes the keys (mode 600), a later run plays with them', PLAY, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'felt-bot-keys-'));
  const keys = path.join(dir, 'keys');
  try {
    let r = await bot(['--base', BASE, '--agents', '2', '--keys', keys, '--register-only']);
    assert.equal(r.code, 0, r.stderr);
    const lines = fs.readFileSync(keys, 'utf8').trim().split('\n');
    assert.equal(lines.length, 2);
    for (const l of lines) assert.match(l, /^mpk_[0-9a-f]{64} [0-9a-f-]{36} \w+$/);
    assert.equal(fs.statSync(keys).mode & 0o777, 0o600);
    r = await bot(['--base', BASE, '--agents', '2', '--keys', keys, '--hands', '2', '--rejoin', '--strategy', 'call']);
    clean(r, summary(r.stdout));
    assert.match(r.stderr, /event=bot_keys .*reused=2/);
    assert.equal(fs.readFileSync(keys, 'utf8').trim().split('\n').length, 2, 'nobody registered again');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('SIGINT stops a run that has no end, with the summary and exit 0', PLAY, async () => {
  let child;
  let seen = '';
  const run = bot(['--base', BASE, '--agents', '2', '--rejoin', '--strategy', 'call', '--think-ms', '20', '-v'],
    { onSpawn: (p) => { child = p; p.stderr.on('data', (d) => { seen += d; }); } });
  // wait (bounded) until the agents act, then ask for a snapshot and interrupt
  await waitFor(() => seen.includes('event=bot_action'), { tries: 600, delayMs: 50 });
  child.kill('SIGUSR1');
  child.kill('SIGINT');
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^felt-bot: snapshot t_s=[0-9.]+ hands=\d+ actions=\d+ /m);
  assert.match(r.stderr, /event=bot_stopping why=signal/);
  clean(r, summary(r.stdout));
});

test('a server that is not there: the agents give up, exit 1', async () => {
  const r = await bot(['--base', 'http://127.0.0.1:9', '--agents', '2', '--retries', '1'], { timeoutMs: 30000 });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.equal(summary(r.stdout).failed, 2);
  assert.match(r.stderr, /event=bot_agent_failed .*register: no answer/);
});

test('command line: --help, --version, unknown option exit 2 with a hint', async () => {
  let r = await bot(['--help']);
  assert.equal(r.code, 0);
  for (const opt of ['--base', '--agents', '--tables', '--hands', '--strategy', '--protocol', '--keys', '--think-ms']) {
    assert.ok(r.stdout.includes(opt), `--help lacks ${opt}`);
  }
  r = await bot(['--version']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^felt-bot \(felt\) \d+\.\d+\.\d+\n$/);
  r = await bot(['--agents', '6', '--frobnicate']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "felt-bot: unknown option '--frobnicate'\nTry 'felt-bot --help' for the options.\n");
  r = await bot(['--agents', 'many']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--agents must be an integer 1\.\.20000/);
});
