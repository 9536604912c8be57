/*
 * handler.h — what every felt-api handler receives, and small helpers that
 * answer the common failures in the right dialect.
 *
 * struct api_state is the process-wide state shared by all threads (start
 * time, draining flag, counters); it is created by main.c and only changed
 * through atomics. struct handler_ctx is per worker thread: the shared
 * state, the settings (FELT_* rules and the chain client's configuration)
 * and the thread's own database connection.
 */
#ifndef FELT_CGI_HANDLER_H
#define FELT_CGI_HANDLER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "apidb.h"
#include "apiconf.h"
#include "core/dbhealth.h"
#include "request.h"
#include "response.h"

struct skill;
struct settings;
struct chain_config;

struct api_state {
	struct timespec started;        /* CLOCK_MONOTONIC at start */
	atomic_bool draining;           /* ready answers 503 while set */
	atomic_bool stopping;           /* set before the socket is shut down */
	atomic_uint_fast64_t requests;  /* requests answered */
	atomic_uint_fast64_t errors_5xx;
	atomic_int busy;                /* requests in progress */
	struct dbhealth db_health;      /* does the database answer (dbwatch) */
};

struct handler_ctx {
	const struct apiconf *cfg;
	struct api_state *state;
	const struct skill *skill;      /* the loaded /skill.md, may be NULL */
	const char *public_config;      /* /api/public-config JSON, from start */
	const struct settings *settings;      /* the published rules */
	const struct chain_config *chain;     /* how to reach the node */
	size_t public_config_len;
	struct apidb *db;               /* this thread's connection */
};

/*
 * handler_json_body: parse the request body as a JSON object. On success
 * returns 0 and *out holds a reference the caller puts. Otherwise answers
 * res in the path's dialect and returns -1: /v1 gets 400 VALIDATION_ERROR
 * (MoltPoker), everything else 422 (Open Poker validation) for an empty,
 * malformed, too deep or non-object body.
 */
int handler_json_body(struct request *req, struct response *res,
		      struct json_object **out);

/*
 * handler_db: this thread's connection, connected or repaired on demand
 * (apidb_get). NULL when PostgreSQL is unreachable; then res has been
 * answered 503 in the path's dialect.
 */
PGconn *handler_db(struct handler_ctx *ctx, struct request *req,
		   struct response *res);

/*
 * handler_query_int: the query parameter name as a plain decimal integer
 * (digits only: no sign, space, hex or exponent) in [min, max] into *out;
 * absent means def. Returns 0, or -1 after answering in the path's dialect
 * (/api 422, /v1 400 VALIDATION_ERROR) with a message naming it and the
 * bounds.
 */
int handler_query_int(struct request *req, struct response *res,
		      const char *name, long long def, long long min,
		      long long max, long long *out);

/* An /api list page (seed 000's limit and offset), as numbers and as text
 * for query parameters. */
struct handler_page {
	long long limit, offset;
	char limit_s[24], offset_s[24];
};

/*
 * handler_page: the query parameters limit (1..200, default 50) and offset
 * (0..10^9, default 0) of seed 000's lists into *out. Returns 0, or -1
 * after answering as handler_query_int does (/api 422).
 */
int handler_page(struct request *req, struct response *res,
		 struct handler_page *out);

/* handler_uptime_ms: milliseconds since the process started. */
int64_t handler_uptime_ms(const struct api_state *state);

#endif
