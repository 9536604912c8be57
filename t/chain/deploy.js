// Compile t/chain/TestUSDC.sol with solc-js and deploy two instances on the local chain
// (the USDC felt accepts, and "another token"), fund the hot wallet, and print the
// environment felt and the tests use as KEY=VALUE lines.
//   node t/chain/deploy.js RPC_URL      (NODE_PATH: the chain tools' node_modules)
// Accounts of ganache's deterministic wallet: 0 deploys and mints, 1 is the deposit
// address, 2 the hot wallet. Test wallets are made later (chain.js newWallet).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const solc = require('solc');
const chain = require('../integration/chain.js');

const HOT_WALLET_FUNDS = 1000000n * 10n ** 6n; // 1,000,000 tUSDC

function compile() {
  const source = fs.readFileSync(path.join(__dirname, 'TestUSDC.sol'), 'utf8');
  const input = {
    language: 'Solidity',
    sources: { 'TestUSDC.sol': { content: source } },
    settings: {
      evmVersion: 'paris',
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  return out.contracts['TestUSDC.sol'].TestUSDC;
}

async function main() {
  const url = process.argv[2];
  process.env.FELT_TEST_CHAIN_URL = url;
  const c = compile();
  // The hand-written encodings of chain.js must be the compiler's.
  for (const [sig, id] of Object.entries(c.evm.methodIdentifiers)) {
    const name = sig.slice(0, sig.indexOf('('));
    if (chain.SELECTOR[name] !== undefined && chain.SELECTOR[name] !== id)
      throw new Error(`chain.js selector of ${sig} is ${chain.SELECTOR[name]}, solc says ${id}`);
  }
  const accounts = await chain.rpc('eth_accounts');
  const [minter, deposit, hot] = accounts;
  const usdc = await chain.deploy(minter, c.evm.bytecode.object);
  const other = await chain.deploy(minter, c.evm.bytecode.object);
  process.env.FELT_TEST_MINTER = minter;
  await chain.mint(usdc, hot, HOT_WALLET_FUNDS);
  if ((await chain.balanceOf(usdc, hot)) !== HOT_WALLET_FUNDS) throw new Error('minting failed');
  const chainId = Number(BigInt(await chain.rpc('eth_chainId')));
  const env = {
    FELT_TEST_CHAIN_URL: url,
    FELT_CHAIN_RPC_URL: url,
    FELT_CHAIN_ID: chainId,
    FELT_USDC_CONTRACT: usdc,
    FELT_DEPOSIT_ADDRESS: deposit,
    FELT_HOT_WALLET_ADDRESS: hot,
    FELT_TEST_OTHER_TOKEN: other,
    FELT_TEST_MINTER: minter,
  };
  for (const [k, v] of Object.entries(env)) console.log(`${k}=${v}`);
}

main().catch((e) => {
  console.error(`deploy: ${e.message}`);
  process.exit(1);
});
