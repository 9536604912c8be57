/* chain — typed Ethereum JSON-RPC calls over lib/money/rpc.  See chain.h. */
#include "money/chain.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hash.h"
#include "money/u256.h"

const struct config_var chain_vars[] = {
	{"FELT_CHAIN_RPC_URL", NULL,
	 "JSON-RPC URL of a node on FELT_CHAIN_ID for reading deposits and "
	 "confirmations (secret: it may hold a provider key); unset = on-chain "
	 "deposits and withdrawals are off"},
	{"FELT_SIGNER_RPC_URL", NULL,
	 "JSON-RPC URL whose eth_sendTransaction signs for "
	 "FELT_HOT_WALLET_ADDRESS (a node or signer holding its key; felt-payd "
	 "only; secret); default FELT_CHAIN_RPC_URL"},
	{"FELT_CHAIN_CONNECT_TIMEOUT_MS", "1000", "connecting to the node, ms"},
	{"FELT_CHAIN_TIMEOUT_MS", "3000", "one call to the node, ms"},
	{"FELT_CHAIN_RETRIES", "2", "retries of a call that failed transiently"},
	{"FELT_CHAIN_BACKOFF_MS", "200", "pause before the first retry, ms (doubles)"},
	{"FELT_CHAIN_REQUEST_BUDGET_MS", "5000",
	 "felt-api: node time one deposit request may use, ms (then 503)"},
	{NULL, NULL, NULL},
};

struct chain {
	struct rpc *rpc;
	char error[RPC_ERROR_SIZE];
};

static int load_url(const char *var, char out[RPC_URL_MAX], const char **bad)
{
	const char *v = config_get(chain_vars, var);

	out[0] = '\0';
	if (v == NULL)
		return CONFIG_OK;
	if (strlen(v) >= RPC_URL_MAX ||
	    (strncasecmp(v, "http://", 7) != 0 && strncasecmp(v, "https://", 8) != 0)) {
		*bad = var;
		return CONFIG_ERR_SYNTAX;
	}
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			*bad = var;
			return CONFIG_ERR_SYNTAX;
		}
	snprintf(out, RPC_URL_MAX, "%s", v);
	return CONFIG_OK;
}

static int load_ms(const char *var, int64_t min, int64_t max, int64_t *out,
		   const char **bad)
{
	int rc = config_int(var, strtoll(config_default(chain_vars, var), NULL, 10),
			    min, max, out);

	if (rc != CONFIG_OK)
		*bad = var;
	return rc;
}

int chain_config_load(struct chain_config *cfg, const char **bad)
{
	int rc;

	memset(cfg, 0, sizeof *cfg);
	if ((rc = load_url("FELT_CHAIN_RPC_URL", cfg->rpc_url, bad)) ||
	    (rc = load_url("FELT_SIGNER_RPC_URL", cfg->signer_url, bad)) ||
	    (rc = load_ms("FELT_CHAIN_CONNECT_TIMEOUT_MS", 1, 600000,
			  &cfg->rpc.connect_timeout_ms, bad)) ||
	    (rc = load_ms("FELT_CHAIN_TIMEOUT_MS", 1, 600000, &cfg->rpc.timeout_ms, bad)) ||
	    (rc = load_ms("FELT_CHAIN_RETRIES", 0, 100, &cfg->rpc.retries, bad)) ||
	    (rc = load_ms("FELT_CHAIN_BACKOFF_MS", 0, 600000, &cfg->rpc.backoff_ms, bad)) ||
	    (rc = load_ms("FELT_CHAIN_REQUEST_BUDGET_MS", 1, 600000,
			  &cfg->request_budget_ms, bad)))
		return rc;
	if (cfg->signer_url[0] == '\0')
		memcpy(cfg->signer_url, cfg->rpc_url, RPC_URL_MAX);
	return CONFIG_OK;
}

struct chain *chain_open(const char *url, const struct chain_config *cfg)
{
	struct chain *ch;

	if (url == NULL || url[0] == '\0')
		return NULL;
	ch = calloc(1, sizeof *ch);
	if (ch == NULL)
		return NULL;
	ch->rpc = rpc_open(url, &cfg->rpc);
	if (ch->rpc == NULL) {
		free(ch);
		return NULL;
	}
	return ch;
}

void chain_close(struct chain *ch)
{
	if (ch == NULL)
		return;
	rpc_close(ch->rpc);
	free(ch);
}

void chain_set_budget(struct chain *ch, int64_t ms)
{
	rpc_set_budget(ch->rpc, ms);
}

const char *chain_last_error(const struct chain *ch)
{
	return ch->error;
}

/* A malformed answer: say which field. */
static int bad_answer(struct chain *ch, const char *what)
{
	snprintf(ch->error, sizeof ch->error, "node sent a malformed %s", what);
	return CHAIN_EPROTOCOL;
}

/* rpc_call with the rpc error mapped and its text kept. */
static int call(struct chain *ch, const char *method, struct json_object *params,
		int retry, struct json_object **result)
{
	int rc = rpc_call(ch->rpc, method, params, retry, result);

	ch->error[0] = '\0';
	if (rc == RPC_OK)
		return CHAIN_OK;
	snprintf(ch->error, sizeof ch->error, "%s", rpc_last_error(ch->rpc));
	switch (rc) {
	case RPC_EUNAVAILABLE: return CHAIN_EUNAVAILABLE;
	case RPC_ERROR: return CHAIN_EREFUSED;
	case RPC_EPROTOCOL: return CHAIN_EPROTOCOL;
	case RPC_EHTTP: return CHAIN_EHTTP;
	case RPC_ENOMEM: return CHAIN_ENOMEM;
	}
	return CHAIN_EARG;
}

/* --- checking the fields of an answer --- */

static const char *str_member(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* A JSON-RPC quantity ("0x1a") that fits 64 bits. */
static int parse_qty(const char *s, uint64_t *out)
{
	struct u256 v;

	return s && u256_from_hex(s, strlen(s), &v) == U256_OK &&
			       u256_to_u64(&v, out) == U256_OK
		       ? 0 : -1;
}

static int qty_member(struct json_object *o, const char *key, uint64_t *out)
{
	return parse_qty(str_member(o, key), out);
}

int chain_hash_normalize(const char *in, char out[CHAIN_HASH_SIZE])
{
	if (in == NULL || strlen(in) != CHAIN_HASH_SIZE - 1 || in[0] != '0' ||
	    (in[1] != 'x' && in[1] != 'X'))
		return CHAIN_EARG;
	out[0] = '0';
	out[1] = 'x';
	for (size_t i = 2; i < CHAIN_HASH_SIZE - 1; i++) {
		int v = hash_hex_value(in[i]);

		if (v < 0)
			return CHAIN_EARG;
		out[i] = "0123456789abcdef"[v];
	}
	out[CHAIN_HASH_SIZE - 1] = '\0';
	return CHAIN_OK;
}

static int hash_member(struct json_object *o, const char *key,
		       char out[CHAIN_HASH_SIZE])
{
	return chain_hash_normalize(str_member(o, key), out) == CHAIN_OK ? 0 : -1;
}

/* An address from a node: lowercase hex, checksummed here. */
static int parse_address(const char *s, char out[EIP55_ADDRESS_SIZE])
{
	char lower[EIP55_ADDRESS_SIZE];

	if (s == NULL || strlen(s) != EIP55_ADDRESS_SIZE - 1)
		return -1;
	for (size_t i = 0; i < EIP55_ADDRESS_SIZE; i++)
		lower[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	return eip55_normalize(lower, out) == EIP55_OK ? 0 : -1;
}

/* An address member that may be null ("" then: a contract creation). */
static int address_or_null(struct json_object *o, const char *key,
			   char out[EIP55_ADDRESS_SIZE])
{
	struct json_object *v;

	out[0] = '\0';
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 0;
	return parse_address(json_object_is_type(v, json_type_string)
				     ? json_object_get_string(v) : NULL, out);
}

/* Hex bytes "0x..." (even length), copied. */
static char *hex_data_member(struct json_object *o, const char *key)
{
	const char *s = str_member(o, key);
	size_t n;

	if (s == NULL || s[0] != '0' || s[1] != 'x' || (n = strlen(s)) % 2 != 0 ||
	    !hash_is_hex(s + 2, n - 2))
		return NULL;
	return strdup(s);
}

/* --- calls --- */

static struct json_object *params1(const char *a)
{
	struct json_object *p = json_object_new_array();

	json_object_array_add(p, json_object_new_string(a));
	return p;
}

/* A call whose result is one quantity. */
static int qty_call(struct chain *ch, const char *method,
		    struct json_object *params, uint64_t *out)
{
	struct json_object *res;
	int rc = call(ch, method, params, 1, &res);

	if (rc != CHAIN_OK)
		return rc;
	rc = json_object_is_type(res, json_type_string) &&
			     parse_qty(json_object_get_string(res), out) == 0
		     ? CHAIN_OK : bad_answer(ch, method);
	json_object_put(res);
	return rc;
}

int chain_chain_id(struct chain *ch, uint64_t *out)
{
	return qty_call(ch, "eth_chainId", NULL, out);
}

int chain_block_number(struct chain *ch, uint64_t *out)
{
	return qty_call(ch, "eth_blockNumber", NULL, out);
}

int chain_transaction_count(struct chain *ch, const char *address,
			    const char *block_tag, uint64_t *out)
{
	struct json_object *p;

	if (address == NULL || block_tag == NULL)
		return CHAIN_EARG;
	p = params1(address);
	json_object_array_add(p, json_object_new_string(block_tag));
	return qty_call(ch, "eth_getTransactionCount", p, out);
}

static int parse_log(struct json_object *o, struct chain_log *l)
{
	struct json_object *topics, *removed;
	size_t n;

	if (parse_address(str_member(o, "address"), l->address) != 0 ||
	    !json_object_object_get_ex(o, "topics", &topics) ||
	    !json_object_is_type(topics, json_type_array) ||
	    (n = json_object_array_length(topics)) > CHAIN_MAX_TOPICS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct json_object *t = json_object_array_get_idx(topics, i);

		if (!json_object_is_type(t, json_type_string) ||
		    chain_hash_normalize(json_object_get_string(t), l->topics[i]) != CHAIN_OK)
			return -1;
	}
	l->n_topics = n;
	l->removed = json_object_object_get_ex(o, "removed", &removed) &&
		     json_object_get_boolean(removed);
	l->data = hex_data_member(o, "data");
	return l->data ? 0 : -1;
}

static int parse_receipt(struct json_object *o, const char *want_hash,
			 struct chain_receipt *r)
{
	struct json_object *logs;
	uint64_t status;
	size_t n;

	if (hash_member(o, "transactionHash", r->tx_hash) != 0 ||
	    strcmp(r->tx_hash, want_hash) != 0 ||
	    hash_member(o, "blockHash", r->block_hash) != 0 ||
	    qty_member(o, "blockNumber", &r->block_number) != 0 ||
	    qty_member(o, "status", &status) != 0 || status > 1 ||
	    parse_address(str_member(o, "from"), r->from) != 0 ||
	    address_or_null(o, "to", r->to) != 0 ||
	    !json_object_object_get_ex(o, "logs", &logs) ||
	    !json_object_is_type(logs, json_type_array) ||
	    (n = json_object_array_length(logs)) > CHAIN_MAX_LOGS)
		return -1;
	r->status = (int)status;
	r->logs = calloc(n ? n : 1, sizeof *r->logs);
	if (r->logs == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		r->n_logs = i + 1; /* so a failure frees what was read */
		if (parse_log(json_object_array_get_idx(logs, i), &r->logs[i]) != 0)
			return -1;
	}
	r->n_logs = n;
	return 0;
}

/* A call taking one transaction hash (normalized into hash); a null
 * result is CHAIN_ENOTFOUND. */
static int by_hash(struct chain *ch, const char *method, const char *tx_hash,
		   char hash[CHAIN_HASH_SIZE], struct json_object **res)
{
	int rc;

	*res = NULL;
	if (chain_hash_normalize(tx_hash, hash) != CHAIN_OK)
		return CHAIN_EARG;
	rc = call(ch, method, params1(hash), 1, res);
	return rc == CHAIN_OK && *res == NULL ? CHAIN_ENOTFOUND : rc;
}

int chain_receipt(struct chain *ch, const char *tx_hash,
		  struct chain_receipt *out)
{
	char hash[CHAIN_HASH_SIZE];
	struct json_object *res;
	int rc;

	memset(out, 0, sizeof *out);
	rc = by_hash(ch, "eth_getTransactionReceipt", tx_hash, hash, &res);
	if (rc != CHAIN_OK)
		return rc;
	if (parse_receipt(res, hash, out) != 0) {
		chain_receipt_free(out);
		rc = bad_answer(ch, "receipt");
	}
	json_object_put(res);
	return rc;
}

void chain_receipt_free(struct chain_receipt *r)
{
	for (size_t i = 0; r->logs && i < r->n_logs; i++)
		free(r->logs[i].data);
	free(r->logs);
	r->logs = NULL;
	r->n_logs = 0;
}

static int parse_tx(struct json_object *o, struct chain_tx *t)
{
	struct json_object *bn;

	memset(t, 0, sizeof *t);
	if (hash_member(o, "hash", t->hash) != 0 ||
	    parse_address(str_member(o, "from"), t->from) != 0 ||
	    address_or_null(o, "to", t->to) != 0 ||
	    qty_member(o, "nonce", &t->nonce) != 0)
		return -1;
	if (json_object_object_get_ex(o, "blockNumber", &bn) && bn != NULL) {
		if (qty_member(o, "blockNumber", &t->block_number) != 0)
			return -1;
		t->mined = true;
	}
	t->input = hex_data_member(o, "input");
	return t->input ? 0 : -1;
}

int chain_transaction(struct chain *ch, const char *tx_hash,
		      struct chain_tx *out)
{
	char hash[CHAIN_HASH_SIZE];
	struct json_object *res;
	int rc;

	memset(out, 0, sizeof *out);
	rc = by_hash(ch, "eth_getTransactionByHash", tx_hash, hash, &res);
	if (rc != CHAIN_OK)
		return rc;
	if (parse_tx(res, out) != 0 || strcmp(out->hash, hash) != 0) {
		chain_tx_free(out);
		rc = bad_answer(ch, "transaction");
	}
	json_object_put(res);
	return rc;
}

void chain_tx_free(struct chain_tx *tx)
{
	free(tx->input);
	tx->input = NULL;
}

void chain_txs_free(struct chain_tx *txs, size_t n)
{
	for (size_t i = 0; txs && i < n; i++)
		chain_tx_free(&txs[i]);
	free(txs);
}

int chain_block_transactions(struct chain *ch, uint64_t number,
			     struct chain_tx **txs, size_t *n)
{
	struct json_object *p = json_object_new_array(), *res, *list;
	char num[24];
	size_t count;
	int rc;

	*txs = NULL;
	*n = 0;
	snprintf(num, sizeof num, "0x%" PRIx64, number);
	json_object_array_add(p, json_object_new_string(num));
	json_object_array_add(p, json_object_new_boolean(1));
	rc = call(ch, "eth_getBlockByNumber", p, 1, &res);
	if (rc != CHAIN_OK)
		return rc;
	if (res == NULL)
		return CHAIN_ENOTFOUND;
	if (!json_object_object_get_ex(res, "transactions", &list) ||
	    !json_object_is_type(list, json_type_array)) {
		json_object_put(res);
		return bad_answer(ch, "block");
	}
	count = json_object_array_length(list);
	*txs = calloc(count ? count : 1, sizeof **txs);
	if (*txs == NULL) {
		json_object_put(res);
		return CHAIN_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		*n = i + 1;
		if (parse_tx(json_object_array_get_idx(list, i), &(*txs)[i]) != 0) {
			chain_txs_free(*txs, *n);
			*txs = NULL;
			*n = 0;
			json_object_put(res);
			return bad_answer(ch, "block transaction");
		}
	}
	*n = count;
	json_object_put(res);
	return CHAIN_OK;
}

/* {"from", "to", "data"} of a call or transaction. */
static struct json_object *tx_object(const char *from, const char *to,
				     const char *data)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "from", json_object_new_string(from));
	json_object_object_add(o, "to", json_object_new_string(to));
	json_object_object_add(o, "data", json_object_new_string(data));
	return o;
}

static void add_qty(struct json_object *o, const char *key, uint64_t v)
{
	char text[24];

	snprintf(text, sizeof text, "0x%" PRIx64, v);
	json_object_object_add(o, key, json_object_new_string(text));
}

int chain_estimate_gas(struct chain *ch, const char *from, const char *to,
		       const char *data, uint64_t *gas)
{
	struct json_object *p;

	if (from == NULL || to == NULL || data == NULL)
		return CHAIN_EARG;
	p = json_object_new_array();
	json_object_array_add(p, tx_object(from, to, data));
	return qty_call(ch, "eth_estimateGas", p, gas);
}

int chain_send_transaction(struct chain *ch, const struct chain_send *tx,
			   char hash[CHAIN_HASH_SIZE])
{
	struct json_object *p, *o, *res;
	int rc;

	if (tx->from == NULL || tx->to == NULL || tx->data == NULL)
		return CHAIN_EARG;
	o = tx_object(tx->from, tx->to, tx->data);
	if (tx->gas)
		add_qty(o, "gas", tx->gas);
	add_qty(o, "nonce", tx->nonce);
	p = json_object_new_array();
	json_object_array_add(p, o);
	rc = call(ch, "eth_sendTransaction", p, 0, &res);
	if (rc != CHAIN_OK)
		return rc;
	rc = json_object_is_type(res, json_type_string) &&
			     chain_hash_normalize(json_object_get_string(res), hash) == CHAIN_OK
		     ? CHAIN_OK : bad_answer(ch, "transaction hash");
	json_object_put(res);
	return rc;
}

const char *chain_strerror(int err)
{
	switch (err) {
	case CHAIN_OK: return "ok";
	case CHAIN_EUNAVAILABLE: return "node unavailable";
	case CHAIN_EREFUSED: return "node refused the call";
	case CHAIN_EPROTOCOL: return "malformed answer from the node";
	case CHAIN_ENOTFOUND: return "not found on chain";
	case CHAIN_EARG: return "malformed hash or address";
	case CHAIN_ENOMEM: return "out of memory";
	case CHAIN_EHTTP: return "node answered an HTTP error";
	}
	return "unknown chain error";
}
