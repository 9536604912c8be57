// Helpers for the integration tests (node:test). script/test starts the stack and sets:
//   FELT_TEST_URL  nginx base URL      FELT_TEST_DB  libpq conninfo of the felt database (owner)
//   FELT_TEST_DB_APP, FELT_TEST_DB_SUPER  the same database as felt_app / as a superuser
//   FELT_TOP       source tree         FELT_BIN      build directory (programs)
//   FELT_TEST_VAR  state directory (pg/, run/, log/)
'use strict';
const { spawnSync } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');

const BASE = process.env.FELT_TEST_URL;
const DB = process.env.FELT_TEST_DB;
const DB_APP = process.env.FELT_TEST_DB_APP;
const DB_SUPER = process.env.FELT_TEST_DB_SUPER;
if (!BASE || !DB) throw new Error('run the integration tests through script/test');

// One HTTP request. body: an object (sent as JSON) or a string/Buffer (sent as is).
// key: an API key sent as "Authorization: Bearer <key>". Returns {status, headers, body, json}.
async function api(method, urlPath, { body, headers = {}, key } = {}) {
  const h = { ...headers };
  if (key) h.authorization = `Bearer ${key}`;
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else { payload = JSON.stringify(body); h['content-type'] ??= 'application/json'; }
  }
  const res = await fetch(BASE + urlPath, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, body: text, json };
}

// One request written by hand on a raw TCP connection, for what fetch refuses to send
// (TRACE, CONNECT, malformed request lines) or to send from another loopback address.
// text is the whole request head (CRLF line ends); resolves when the server closes or
// after timeoutMs with {status, headers, body, raw}; status is 0 when nothing came back.
function rawRequest(text, { localAddress, timeoutMs = 5000, url = BASE } = {}) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks = [];
    const s = net.connect({ host: hostname, port: Number(port), localAddress });
    const done = () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = raw.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number((lines[0].match(/^HTTP\/1\.[01] (\d{3})/) || [])[1] || 0);
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      const body = rest.join('\r\n\r\n');
      let json;
      try { json = JSON.parse(body); } catch { json = undefined; }
      resolve({ status, headers, body, json, raw });
    };
    const timer = setTimeout(() => s.destroy(), timeoutMs);
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => {});
    s.on('close', done);
    s.on('connect', () => s.write(text));
  });
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: process.env, ...opts });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Run SQL through psql (unaligned, tuples only). Returns {code, stdout, stderr}; code 0 on
// success, 1 or 3 when the statement failed.
function psql(sql, { db = DB } = {}) {
  return run('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', sql]);
}

// Run feltctl from the build directory with the stack's environment.
function feltctl(...args) {
  return run(path.join(process.env.FELT_BIN, 'tools', 'feltctl'), args);
}

// Stop or start the stack's PostgreSQL (through script/lib.sh, as the stack was started).
function pgctl(fn) {
  const r = run('bash', ['-c', `. "$FELT_TOP/script/lib.sh" && ${fn}`]);
  if (r.code !== 0) throw new Error(`${fn} failed: ${r.stderr}`);
}
const pgStop = () => pgctl('felt_pg_stop');
const pgStart = () => pgctl('felt_pg_start');

// The stack's PostgreSQL processes: the postmaster (first line of postmaster.pid) and
// its children (backends, background workers), read from /proc.
function pgPids() {
  const fs = require('node:fs');
  const pm = Number(fs.readFileSync(`${process.env.FELT_TEST_VAR}/pg/data/postmaster.pid`, 'utf8').split('\n')[0]);
  const kids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8'); } catch { continue; }
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pm) kids.push(Number(d));
  }
  return [pm, ...kids];
}

// Freeze PostgreSQL (SIGSTOP to the postmaster and every child): not down, silent, the
// way a hung host looks. Returns the pids, for pgThaw. Always thaw in a finally.
function pgFreeze() {
  const pids = pgPids();
  for (const p of pids) process.kill(p, 'SIGSTOP');
  return pids;
}
function pgThaw(pids) {
  for (const p of pids) { try { process.kill(p, 'SIGCONT'); } catch { /* gone */ } }
}

// Poll until fn() resolves truthy; bounded by tries, never by wall-clock assumptions.
async function waitFor(fn, { tries = 200, delayMs = 50 } = {}) {
  for (let i = 0; i < tries; i++) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, delayMs));
  }
  throw new Error('condition not reached');
}

let seq = 0;
// A name unique across test runs against the same database: letters, digits, underscore.
function uniqueName(prefix = 't') {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${seq++}`.slice(0, 32);
}

let platformKey;
// The platform agent's key, issued once per test file through feltctl.
function getPlatformKey() {
  if (!platformKey) {
    const r = feltctl('platform-key');
    if (r.code !== 0) throw new Error(`feltctl platform-key failed: ${r.stderr}`);
    platformKey = r.stdout.trim().split(/\s+/).pop();
  }
  return platformKey;
}

module.exports = {
  BASE, DB, DB_APP, DB_SUPER, api, rawRequest, psql, feltctl, pgStop, pgStart, pgFreeze, pgThaw,
  waitFor, uniqueName, getPlatformKey,
};
