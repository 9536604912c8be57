// Helpers for the payment tests: JSON-RPC to the local ganache chain that script/test
// started, ERC-20 encodings written out by hand (no web3 library), wallets, blocks, and
// stopping/starting the chain and felt-payd the way the stack started them.
//   FELT_TEST_CHAIN_URL  the chain's JSON-RPC URL     FELT_USDC_CONTRACT  the token felt accepts
//   FELT_TEST_OTHER_TOKEN another token (same code)  FELT_TEST_MINTER    deployer, mints tokens
//   FELT_DEPOSIT_ADDRESS, FELT_HOT_WALLET_ADDRESS    as felt is configured
// t/chain/deploy.js uses rpc(), deploy() and the encodings before any of that exists.
'use strict';
const { spawnSync } = require('node:child_process');

// Selectors and topic of the calls used here; deploy.js checks them against solc's output.
const SELECTOR = {
  transfer: 'a9059cbb',            // transfer(address,uint256)
  transferMany: 'b7fc6612',        // transferMany(address[],uint256[])
  mint: '40c10f19',                // mint(address,uint256)
  setBlocked: '000af2a1',          // setBlocked(address,bool)
  balanceOf: '70a08231',           // balanceOf(address)
};
const TRANSFER_TOPIC = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';

let nextId = 0;
// One JSON-RPC call; throws an Error with .rpc = the error object when the node refuses.
async function rpc(method, params = [], url = process.env.FELT_TEST_CHAIN_URL) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: ++nextId, method, params }),
  });
  const j = await res.json();
  if (j.error) {
    const e = new Error(`${method}: ${j.error.message}`);
    e.rpc = j.error;
    throw e;
  }
  return j.result;
}

const hex = (n) => '0x' + BigInt(n).toString(16);
const word = (v) => (typeof v === 'string' ? v.replace(/^0x/, '').toLowerCase() : BigInt(v).toString(16))
  .padStart(64, '0');

function call(name, ...words) {
  return '0x' + SELECTOR[name] + words.map(word).join('');
}
// transferMany(address[] to, uint256[] value): two dynamic arrays, heads then tails.
function transferManyData(tos, values) {
  const a = [tos.length, ...tos];
  const b = [values.length, ...values];
  return call('transferMany', 64, 64 + 32 * a.length, ...a, ...b);
}

// Send a transaction from an unlocked account; ganache mines it at once (unless mining is
// paused: miner_stop). Returns the hash.
async function send(from, to, data, { value, gas = 300000, gasPrice } = {}) {
  const tx = { from, to, data, gas: hex(gas) };
  if (value !== undefined) tx.value = hex(value);
  if (gasPrice !== undefined) tx.gasPrice = hex(gasPrice);
  return rpc('eth_sendTransaction', [tx]);
}

async function receipt(hash) {
  return rpc('eth_getTransactionReceipt', [hash]);
}

async function head() {
  return Number(BigInt(await rpc('eth_blockNumber')));
}

// Mine n empty blocks.
async function mine(n = 1) {
  if (n > 0) await rpc('evm_mine', [{ blocks: n }]);
}

// Deploy contract bytecode from an account; returns the contract address.
async function deploy(from, bytecode) {
  const hash = await rpc('eth_sendTransaction', [{ from, data: '0x' + bytecode, gas: hex(3000000) }]);
  const r = await receipt(hash);
  if (!r || r.status !== '0x1') throw new Error('deployment failed');
  return r.contractAddress;
}

async function balanceOf(token, who) {
  return BigInt(await rpc('eth_call', [{ to: token, data: call('balanceOf', who) }, 'latest']));
}

const transfer = (token, from, to, amount) => send(from, token, call('transfer', to, amount));
const mint = (token, to, amount, minter = process.env.FELT_TEST_MINTER) =>
  send(minter, token, call('mint', to, amount));
const setBlocked = (token, who, on, minter = process.env.FELT_TEST_MINTER) =>
  send(minter, token, call('setBlocked', who, on ? 1 : 0));

// Transfer logs of token to address `to` since block fromBlock: [{from, value, hash}].
async function transfersTo(token, to, fromBlock = 0) {
  const logs = await rpc('eth_getLogs', [{
    address: token, fromBlock: hex(fromBlock), toBlock: 'latest',
    topics: [TRANSFER_TOPIC, null, '0x' + word(to)],
  }]);
  return logs.map((l) => ({ from: '0x' + l.topics[1].slice(26), value: BigInt(l.data), hash: l.transactionHash }));
}

// A new unlocked account with ETH for gas and `tokens` base units of USDC. Its key is
// random (ganache's own new accounts repeat after a restart).
async function newWallet(tokens = 0n, token = process.env.FELT_USDC_CONTRACT) {
  const key = '0x' + require('node:crypto').randomBytes(32).toString('hex');
  const address = await rpc('personal_importRawKey', [key, '']);
  await rpc('personal_unlockAccount', [address, '', 0]);
  await send(process.env.FELT_TEST_MINTER, address, '0x', { value: 10n ** 18n, gas: 21000 });
  if (tokens > 0n) await mint(token, address, tokens);
  return address;
}

// Run a function of script/lib.sh with the stack's environment, in a session of its own:
// a daemon it starts must outlive this test file (the test runner cleans up after it).
function lib(fn) {
  const r = spawnSync('setsid', ['bash', '-c', `. "$FELT_TOP/script/lib.sh" && ${fn}`],
    { encoding: 'utf8', env: process.env });
  if (r.status !== 0) throw new Error(`${fn} failed: ${r.stderr}`);
  return r.stdout;
}
// felt-payd's pid (from its pid file), and whether a pid still runs (a zombie does not).
function paydPid() {
  return Number(require('node:fs').readFileSync(`${process.env.FELT_VAR}/run/payd.pid`, 'utf8'));
}
function alive(pid) {
  try {
    return !/^State:\s*Z/m.test(require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
const chainStop = () => lib('felt_chain_stop');
const chainStart = () => lib('felt_chain_start');
const paydStop = () => lib('felt_kill payd');
const paydStart = (env = '') => lib(`${env} felt_payd_start`);

module.exports = {
  SELECTOR, TRANSFER_TOPIC, rpc, hex, word, call, transferManyData, send, receipt, head, mine,
  deploy, balanceOf, transfer, mint, setBlocked, transfersTo, newWallet, chainStop, chainStart,
  paydStop, paydStart, paydPid, alive,
};
