/*
 * rpc — JSON-RPC 2.0 over HTTP(S) with libcurl: the transport felt uses to
 * talk to an EVM node (lib/money/chain has the eth_* calls on top).
 *
 * Every call is bounded: a connect timeout, a timeout per attempt and, if
 * the caller sets one, a budget for all calls on the handle together
 * (felt-api answers a deposit request within it).  Transient failures
 * (connection refused or reset, timeouts, HTTP 429/502/503/504, JSON-RPC
 * "limit exceeded" -32005) are retried with exponential backoff when the
 * caller allows it; a definite answer (a JSON-RPC error, another HTTP
 * status) never is.  A call that must not be repeated blindly
 * (eth_sendTransaction) passes retry = 0 and reconciles itself.
 *
 * One struct rpc per thread (a CURL easy handle keeps the connection
 * alive between calls).  The URL may carry a provider's key: it is never
 * logged nor put in error texts.  Call rpc_global_init() once in main
 * before any thread starts.
 */
#ifndef FELT_RPC_H
#define FELT_RPC_H

#include <stdint.h>

#include <json-c/json.h>

#include "core/config.h"

#define RPC_URL_MAX 1024
#define RPC_ERROR_SIZE 256
/* Largest answer read; a full Base block is well below. */
#define RPC_MAX_RESPONSE (32 << 20)
/* JSON nesting accepted in an answer (block > tx > access list > keys). */
#define RPC_MAX_DEPTH 64
/* EIP-1474: "limit exceeded", the one error code that means "later". */
#define RPC_CODE_LIMIT_EXCEEDED (-32005)

enum rpc_error {
	RPC_OK = 0,
	RPC_EUNAVAILABLE = -1, /* unreachable, timed out or overloaded, after the retries */
	RPC_ERROR = -2,        /* the node answered with a JSON-RPC error (rpc_last_error) */
	RPC_EPROTOCOL = -3,    /* the answer is not JSON-RPC 2.0 for this request */
	RPC_EHTTP = -4,        /* another HTTP status (401, 404...): misconfigured, not retried */
	RPC_ENOMEM = -5,
	RPC_EARG = -6,         /* NULL or empty url/method */
};

/* Transport settings (chain.h fills them from FELT_CHAIN_* variables). */
struct rpc_options {
	int64_t connect_timeout_ms;
	int64_t timeout_ms;   /* one attempt, connect included */
	int64_t retries;      /* extra attempts after a transient failure */
	int64_t backoff_ms;   /* first pause; doubles per attempt */
};

struct rpc;

/* rpc_global_init — libcurl's global set-up; once, before threads.
 * Returns RPC_OK or RPC_ENOMEM. */
int rpc_global_init(void);

/*
 * rpc_open — a client for url with options o (copied).  Returns NULL when
 * out of memory or url is empty.  Free with rpc_close.
 */
struct rpc *rpc_open(const char *url, const struct rpc_options *o);

/* rpc_close — free r (NULL-safe). */
void rpc_close(struct rpc *r);

/*
 * rpc_set_budget — from now on, all calls on r together may take at most
 * ms milliseconds (attempts are cut short, no retry starts past it);
 * ms <= 0 removes the budget.
 */
void rpc_set_budget(struct rpc *r, int64_t ms);

/*
 * rpc_call — call method with params (a JSON array; NULL means []; the
 * reference is taken over, always released).  On RPC_OK *result is the
 * "result" member (a new reference the caller puts; NULL for JSON null).
 * retry: nonzero to retry transient failures.  On failure *result is NULL
 * and rpc_last_error() says what happened.
 */
int rpc_call(struct rpc *r, const char *method, struct json_object *params,
	     int retry, struct json_object **result);

/* rpc_last_error — human text of the last failure ("" after success):
 * the node's message for RPC_ERROR.  Owned by r. */
const char *rpc_last_error(const struct rpc *r);

/* rpc_last_code — the JSON-RPC error code of the last RPC_ERROR, else 0. */
int64_t rpc_last_code(const struct rpc *r);

/* rpc_strerror — static English text for an rpc_error code. */
const char *rpc_strerror(int err);

#endif
