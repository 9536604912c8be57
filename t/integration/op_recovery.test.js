// Open Poker cash tables and felt-wsd dying (issue 10, DESIGN §5): after kill -9 mid-hand
// each agent's in-play equals its committed stack; on restart the table resumes for who
// reconnects, and who does not is cashed out after the grace (FELT_CASH_GRACE_MS).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { waitFor } = require('./lib.js');
const { stack } = require('./wslib.js');
const { opConnect, type, money, checkOpFrames, bot, sql, pair, inPlayMatchesStacks, accountingHolds } =
  require('./oplib.js');

const VAR = process.env.FELT_TEST_VAR;

function pidOf(name) {
  return Number(fs.readFileSync(path.join(VAR, 'run', `${name}.pid`), 'utf8'));
}

test('kill -9 mid-hand: in-play equals the committed stacks; the table resumes; the absent are cashed out', { timeout: 180000 }, async () => {
  const { a, b, ca, cb, table } = await pair();
  // Checking and calling only: nobody busts before the kill.
  const calm = { raiseRate: 0, foldRate: 0, allIn: false };
  const bots = [bot(ca, calm), bot(cb, calm)];
  for (let i = 0; i < 3; i++) await ca.next(type('hand_result'), { timeoutMs: 30000 });
  bots.forEach((x) => { x.on = false; });
  // A hand in progress that nobody answers: kill felt-wsd in it.
  await Promise.race([ca.next(type('your_turn')), cb.next(type('your_turn'))]);
  const hands = Number(sql(`SELECT hand_number FROM tables WHERE id = '${table}'`));
  process.kill(pidOf('wsd'), 'SIGKILL');
  await ca.waitClose(); await cb.waitClose();
  inPlayMatchesStacks(table);
  const total = money(a.agent_id).inPlay + money(b.agent_id).inPlay;
  const rake = Number(sql(`SELECT coalesce(sum(rake_chips), 0) FROM hands WHERE table_id = '${table}'`));
  assert.equal(total, (4000 - rake) * 10, 'in play: both buy-ins less the rake of committed hands');
  await accountingHolds();
  stack(`felt_wsd_start main ${process.env.FELT_WSD_PORT}`);

  // b comes back to its seat and plays on; a does not come back.
  const cb2 = opConnect(b.api_key, { label: 'b2' });
  await cb2.next(type('connected'));
  const j = await cb2.next(type('table_joined'), { timeoutMs: 30000 });
  assert.equal(j.table_id, table);
  const st = await cb2.next(type('table_state'));
  assert.ok(st.table_seq > Math.max(...cb.frames.filter((m) => 'table_seq' in m).map((m) => m.table_seq)),
    'table_seq never goes back');
  bot(cb2);
  const seatA = ca.frames.find(type('table_joined')).seat;
  await cb2.next((m) => m.type === 'player_left' && m.seat === seatA, { timeoutMs: 60000 });
  await cb2.next(type('table_closed'), { timeoutMs: 30000 });
  await waitFor(() => money(a.agent_id).inPlay === 0 && money(b.agent_id).inPlay === 0);
  const all = Number(sql(`SELECT coalesce(sum(rake_chips), 0) FROM hands WHERE table_id = '${table}'`));
  assert.equal(money(a.agent_id).balance + money(b.agent_id).balance, 200000 - all * 10);
  assert.ok(Number(sql(`SELECT hand_number FROM tables WHERE id = '${table}'`)) >= hands);
  await accountingHolds();
  checkOpFrames(cb2);
  cb2.close();
});
