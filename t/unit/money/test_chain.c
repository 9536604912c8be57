/* Unit tests for lib/money/chain: the eth_* calls against canned node
 * answers (fakerpc.h), field checks, sends never retried, configuration. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "money/chain.h"
#include "fakerpc.h"

static struct fakerpc srv;
static struct chain_config cfg;
static struct chain *ch;

#define TX "0x6b0bd7f87c2f1e2c37c1d9d66f4bb10e7a4f5c8e0c5d8c7a1b2c3d4e5f607182"
#define BLOCK "0x1f5c5e2a9ad0a5b4a07c2c1b1c4e0c5e2c9d6b0a1f4e3d2c1b0a9f8e7d6c5b4a"
#define TOKEN_LC "0xe78a0f7e598cc8b0bb87894b0f60dd2a88d6a8ab"
#define TOKEN "0xe78A0F7E598Cc8b0Bb87894B0F60dD2a88d6a8Ab"
#define FROM_LC "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
#define FROM "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

#define ANSWER(result) "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":" result "}"
#define LOG(addr, topics, data) \
	"{\"address\":\"" addr "\",\"topics\":[" topics "],\"data\":\"" data "\"," \
	"\"blockNumber\":\"0x10\",\"logIndex\":\"0x0\",\"removed\":false}"
#define RECEIPT(hash, status, logs) ANSWER( \
	"{\"transactionHash\":\"" hash "\",\"blockHash\":\"" BLOCK "\"," \
	"\"blockNumber\":\"0x10\",\"status\":\"" status "\",\"from\":\"" FROM_LC "\"," \
	"\"to\":\"" TOKEN_LC "\",\"gasUsed\":\"0x5208\",\"logs\":[" logs "]}")
#define TRANSFER_TOPICS \
	"\"0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef\"," \
	"\"0x0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed\"," \
	"\"0x000000000000000000000000fb6916095ca1df60bb79ce92ce3ea74c37c5d359\""
#define AMOUNT "0x00000000000000000000000000000000000000000000000000000000000f4240"

static void setup(void)
{
	char url[64];

	ck_assert_int_eq(fakerpc_start(&srv), 0);
	fakerpc_url(&srv, url, sizeof url);
	memset(&cfg, 0, sizeof cfg);
	snprintf(cfg.rpc_url, sizeof cfg.rpc_url, "%s", url);
	cfg.rpc = (struct rpc_options){ 500, 1000, 1, 10 };
	ch = chain_open(cfg.rpc_url, &cfg);
	ck_assert_ptr_nonnull(ch);
}

static void teardown(void)
{
	chain_close(ch);
	fakerpc_stop(&srv);
}

static void script1(const char *body)
{
	struct fake_reply r[] = { { 200, body, 0 } };

	fakerpc_script(&srv, r, 1);
}

START_TEST(quantities)
{
	uint64_t v;

	script1(ANSWER("\"0x539\""));
	ck_assert_int_eq(chain_chain_id(ch, &v), CHAIN_OK);
	ck_assert_uint_eq(v, 1337);
	ck_assert_str_eq(srv.methods[0], "eth_chainId");
	script1(ANSWER("\"0x2105\""));
	ck_assert_int_eq(chain_block_number(ch, &v), CHAIN_OK);
	ck_assert_uint_eq(v, 8453);
	script1(ANSWER("\"0x7\""));
	ck_assert_int_eq(chain_transaction_count(ch, FROM, "pending", &v), CHAIN_OK);
	ck_assert_uint_eq(v, 7);
	ck_assert_str_eq(srv.last_params, "[\"" FROM "\",\"pending\"]");
	script1(ANSWER("7"));
	ck_assert_int_eq(chain_block_number(ch, &v), CHAIN_EPROTOCOL);
	script1(ANSWER("\"0x10000000000000000\""));
	ck_assert_int_eq(chain_block_number(ch, &v), CHAIN_EPROTOCOL);
	ck_assert_ptr_nonnull(strstr(chain_last_error(ch), "eth_blockNumber"));
}
END_TEST

START_TEST(receipt_with_logs)
{
	struct chain_receipt r;

	script1(RECEIPT(TX, "0x1",
			LOG(TOKEN_LC, TRANSFER_TOPICS, AMOUNT) ","
			LOG(FROM_LC, "", "0x")));
	/* the hash may be given in upper case */
	ck_assert_int_eq(chain_receipt(ch, "0x6B0BD7F87C2F1E2C37C1D9D66F4BB10E7A4F5C8E0C5D8C7A1B2C3D4E5F607182",
				       &r), CHAIN_OK);
	ck_assert_str_eq(srv.last_params, "[\"" TX "\"]");
	ck_assert_str_eq(r.tx_hash, TX);
	ck_assert_str_eq(r.block_hash, BLOCK);
	ck_assert_uint_eq(r.block_number, 16);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.from, FROM);
	ck_assert_str_eq(r.to, TOKEN);
	ck_assert_uint_eq(r.n_logs, 2);
	ck_assert_str_eq(r.logs[0].address, TOKEN);
	ck_assert_uint_eq(r.logs[0].n_topics, 3);
	ck_assert_str_eq(r.logs[0].data, AMOUNT);
	ck_assert(!r.logs[0].removed);
	ck_assert_uint_eq(r.logs[1].n_topics, 0);
	chain_receipt_free(&r);
}
END_TEST

START_TEST(receipt_absent_or_malformed)
{
	static const char *const bad[] = {
		/* another transaction's receipt */
		RECEIPT("0x0000000000000000000000000000000000000000000000000000000000000001", "0x1", ""),
		RECEIPT(TX, "0x2", ""),                                   /* status */
		RECEIPT(TX, "0x1", LOG("0x12", "", "0x")),                /* address */
		RECEIPT(TX, "0x1", LOG(TOKEN_LC, "\"0x1\"", "0x")),       /* topic */
		RECEIPT(TX, "0x1", LOG(TOKEN_LC, TRANSFER_TOPICS ",\"" AMOUNT "\",\"" AMOUNT "\"",
				       AMOUNT)),                          /* 5 topics */
		RECEIPT(TX, "0x1", LOG(TOKEN_LC, "", "0x123")),           /* odd data */
		ANSWER("{\"transactionHash\":\"" TX "\"}"),
		ANSWER("\"0x1\""),
	};
	struct chain_receipt r;

	script1(ANSWER("null"));
	ck_assert_int_eq(chain_receipt(ch, TX, &r), CHAIN_ENOTFOUND);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		script1(bad[i]);
		ck_assert_msg(chain_receipt(ch, TX, &r) == CHAIN_EPROTOCOL, "answer %zu", i);
		ck_assert_ptr_null(r.logs);
	}
	/* a malformed hash never reaches the node */
	script1(ANSWER("null"));
	ck_assert_int_eq(chain_receipt(ch, "0x1234", &r), CHAIN_EARG);
	ck_assert_int_eq(chain_receipt(ch, TX "' OR 1=1", &r), CHAIN_EARG);
	ck_assert_uint_eq(fakerpc_requests(&srv), 0);
}
END_TEST

START_TEST(transactions_and_blocks)
{
	struct chain_tx tx, *txs;
	size_t n;

	script1(ANSWER("{\"hash\":\"" TX "\",\"from\":\"" FROM_LC "\",\"to\":\"" TOKEN_LC "\","
		       "\"nonce\":\"0x3\",\"blockNumber\":null,\"input\":\"0xa9059cbb\"}"));
	ck_assert_int_eq(chain_transaction(ch, TX, &tx), CHAIN_OK);
	ck_assert(!tx.mined);
	ck_assert_uint_eq(tx.nonce, 3);
	ck_assert_str_eq(tx.to, TOKEN);
	ck_assert_str_eq(tx.input, "0xa9059cbb");
	chain_tx_free(&tx);
	script1(ANSWER("null"));
	ck_assert_int_eq(chain_transaction(ch, TX, &tx), CHAIN_ENOTFOUND);

	script1(ANSWER("{\"number\":\"0x10\",\"transactions\":[{\"hash\":\"" TX "\",\"from\":\""
		       FROM_LC "\",\"to\":null,\"nonce\":\"0x0\",\"blockNumber\":\"0x10\","
		       "\"input\":\"0x\"}]}"));
	ck_assert_int_eq(chain_block_transactions(ch, 16, &txs, &n), CHAIN_OK);
	ck_assert_str_eq(srv.last_params, "[\"0x10\",true]");
	ck_assert_uint_eq(n, 1);
	ck_assert(txs[0].mined);
	ck_assert_uint_eq(txs[0].block_number, 16);
	ck_assert_str_eq(txs[0].to, "");
	chain_txs_free(txs, n);
	script1(ANSWER("null"));
	ck_assert_int_eq(chain_block_transactions(ch, 99, &txs, &n), CHAIN_ENOTFOUND);
	script1(ANSWER("{\"transactions\":[{\"hash\":\"0x1\"}]}"));
	ck_assert_int_eq(chain_block_transactions(ch, 16, &txs, &n), CHAIN_EPROTOCOL);
	ck_assert_ptr_null(txs);
}
END_TEST

START_TEST(estimate_and_send)
{
	struct chain_send tx = { FROM, TOKEN, "0xa9059cbb", 60000, 5 };
	char hash[CHAIN_HASH_SIZE];
	uint64_t gas;
	struct fake_reply busy[] = { { 503, "", 0 }, { 200, ANSWER("\"" TX "\""), 0 } };

	script1(ANSWER("\"0xea60\""));
	ck_assert_int_eq(chain_estimate_gas(ch, FROM, TOKEN, "0xa9059cbb", &gas), CHAIN_OK);
	ck_assert_uint_eq(gas, 60000);
	ck_assert_str_eq(srv.last_params,
			 "[{\"from\":\"" FROM "\",\"to\":\"" TOKEN "\",\"data\":\"0xa9059cbb\"}]");
	script1("{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":3,"
		"\"message\":\"execution reverted: balance\"}}");
	ck_assert_int_eq(chain_estimate_gas(ch, FROM, TOKEN, "0xa9059cbb", &gas), CHAIN_EREFUSED);
	ck_assert_str_eq(chain_last_error(ch), "execution reverted: balance");

	script1(ANSWER("\"" TX "\""));
	ck_assert_int_eq(chain_send_transaction(ch, &tx, hash), CHAIN_OK);
	ck_assert_str_eq(hash, TX);
	ck_assert_str_eq(srv.methods[0], "eth_sendTransaction");
	ck_assert_str_eq(srv.last_params, "[{\"from\":\"" FROM "\",\"to\":\"" TOKEN "\","
			 "\"data\":\"0xa9059cbb\",\"gas\":\"0xea60\",\"nonce\":\"0x5\"}]");
	/* an uncertain send is never repeated by the client */
	fakerpc_script(&srv, busy, 2);
	ck_assert_int_eq(chain_send_transaction(ch, &tx, hash), CHAIN_EUNAVAILABLE);
	ck_assert_uint_eq(fakerpc_requests(&srv), 1);
	script1(ANSWER("\"0x12\""));
	ck_assert_int_eq(chain_send_transaction(ch, &tx, hash), CHAIN_EPROTOCOL);
}
END_TEST

START_TEST(configuration)
{
	struct chain_config c;
	const char *bad = NULL;

	unsetenv("FELT_CHAIN_RPC_URL");
	unsetenv("FELT_SIGNER_RPC_URL");
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_OK);
	ck_assert_str_eq(c.rpc_url, "");
	ck_assert_int_eq(c.rpc.timeout_ms, 3000);
	ck_assert_int_eq(c.request_budget_ms, 5000);
	setenv("FELT_CHAIN_RPC_URL", "http://127.0.0.1:8545", 1);
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_OK);
	ck_assert_str_eq(c.signer_url, "http://127.0.0.1:8545"); /* defaults to the node */
	setenv("FELT_SIGNER_RPC_URL", "https://signer.example/x", 1);
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_OK);
	ck_assert_str_eq(c.signer_url, "https://signer.example/x");
	setenv("FELT_CHAIN_RPC_URL", "ftp://node", 1);
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_ERR_SYNTAX);
	ck_assert_str_eq(bad, "FELT_CHAIN_RPC_URL");
	setenv("FELT_CHAIN_RPC_URL", "http://a b", 1);
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_ERR_SYNTAX);
	setenv("FELT_CHAIN_RPC_URL", "http://node", 1);
	setenv("FELT_CHAIN_TIMEOUT_MS", "0", 1);
	ck_assert_int_eq(chain_config_load(&c, &bad), CONFIG_ERR_RANGE);
	ck_assert_str_eq(bad, "FELT_CHAIN_TIMEOUT_MS");
	unsetenv("FELT_CHAIN_TIMEOUT_MS");
	unsetenv("FELT_CHAIN_RPC_URL");
	unsetenv("FELT_SIGNER_RPC_URL");
	ck_assert_ptr_null(chain_open("", &c));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("chain");
	TCase *tc = tcase_create("chain");
	SRunner *sr;
	int failed;

	rpc_global_init();
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, quantities);
	tcase_add_test(tc, receipt_with_logs);
	tcase_add_test(tc, receipt_absent_or_malformed);
	tcase_add_test(tc, transactions_and_blocks);
	tcase_add_test(tc, estimate_and_send);
	tcase_add_test(tc, configuration);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
