// SPDX-License-Identifier: MIT
// TestUSDC: the smallest ERC-20 felt's payment tests need, with USDC's 6
// decimals.  Compiled by solc-js and deployed on a local ganache chain by
// t/chain/deploy.js; never used on a real chain.
//
// transfer and Transfer are ERC-20 (EIP-20) exactly.  The deployer mints
// test funds, and may block an address (as USDC's blacklist does): a
// transfer from or to it reverts, which is how the tests make a withdrawal
// fail.  transferMany sends several transfers in one transaction (several
// Transfer logs, which a deposit sums).
pragma solidity ^0.8.20;

contract TestUSDC {
    string public constant name = "Test USD Coin";
    string public constant symbol = "tUSDC";
    uint8 public constant decimals = 6;

    address public immutable minter;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(address => bool) public blocked;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor() {
        minter = msg.sender;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == minter, "only the minter");
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function setBlocked(address who, bool on) external {
        require(msg.sender == minter, "only the minter");
        blocked[who] = on;
    }

    function transfer(address to, uint256 value) public returns (bool) {
        require(!blocked[msg.sender] && !blocked[to], "blocked");
        require(balanceOf[msg.sender] >= value, "transfer amount exceeds balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }

    function transferMany(address[] calldata to, uint256[] calldata value) external returns (bool) {
        require(to.length == value.length, "lengths differ");
        for (uint256 i = 0; i < to.length; i++)
            transfer(to[i], value[i]);
        return true;
    }
}
