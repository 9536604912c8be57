/*
 * api_handlers.h — the account and money endpoints of felt-api (issue 4):
 * Open Poker's /api accounts, balance, transactions, platform accounting,
 * public configuration, and MoltPoker's POST /v1/agents.
 *
 * Each is a router_handler_fn (router.h): it fills res and returns 0, or
 * returns -1 after answering an error itself. Errors use the path's
 * dialect: /api {"detail": "..."} with 401/403/404/409/422, /v1
 * {"error": {"code", "message"}}.
 */
#ifndef FELT_CGI_API_HANDLERS_H
#define FELT_CGI_API_HANDLERS_H

#include "handler.h"
#include "money/chain.h"
#include "money/settings.h"

/*
 * api_public_config_render: the /api/public-config answer for s (and
 * whether chain has a node, for deposits_enabled/withdrawals_enabled),
 * rendered once at start: a malloc'd JSON text the caller frees at exit,
 * its length in *len_out. NULL when out of memory.
 */
char *api_public_config_render(const struct settings *s,
			       const struct chain_config *chain, size_t *len_out);

/* POST /api/register: new agent, 201 with its op_live_ key (shown once). */
int api_register(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/* GET /api/me: the caller's profile with its balance in dollars. */
int api_me_get(struct handler_ctx *ctx, struct request *req,
	       struct response *res);

/* PATCH /api/me: change name, wallet_address, avatar_url (409 if taken;
 * 422 for an email field: it cannot be changed). */
int api_me_patch(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/* POST /api/me/regenerate-key: new key; the old one fails at once. */
int api_me_regenerate_key(struct handler_ctx *ctx, struct request *req,
			  struct response *res);

/* GET /api/balance: balance, locked_in_play, total (dollars). */
int api_balance(struct handler_ctx *ctx, struct request *req,
		struct response *res);

/* GET /api/transactions?limit&offset: the caller's ledger txns. */
int api_transactions(struct handler_ctx *ctx, struct request *req,
		     struct response *res);

/* GET /api/accounting: the money invariant (platform agent only). */
/* GET /api/tables: the open cash tables (seed 000's list). */
int api_tables(struct handler_ctx *ctx, struct request *req, struct response *res);

/* GET /api/tables/{table_id}: a table_state snapshot of an open cash table
 * as of its last committed hand; 404 when there is none. */
int api_table_get(struct handler_ctx *ctx, struct request *req, struct response *res);

int api_accounting(struct handler_ctx *ctx, struct request *req,
		   struct response *res);

/* GET /api/platform/revenue: rake totals and today's (platform only). */
int api_platform_revenue(struct handler_ctx *ctx, struct request *req,
			 struct response *res);

/* GET /api/public-config: the answer api_public_config_load rendered. */
int api_public_config(struct handler_ctx *ctx, struct request *req,
		      struct response *res);

/* POST /api/deposit/onchain {tx_hash}: verify a USDC transfer on chain and
 * credit it (confirmed) or record it (pending); 400 for a hash that is
 * not a deposit of the caller's, 503 when the node is unreachable. */
int api_deposit_onchain(struct handler_ctx *ctx, struct request *req,
			struct response *res);

/* POST /api/withdraw {amount}: reserve the amount and queue a withdrawal
 * to the registered wallet (400 limits, 402 balance). */
int api_withdraw(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/* GET /api/withdrawal/{withdrawal_id}: one of the caller's withdrawals
 * (404 for anyone else's or an unknown id). */
int api_withdrawal_get(struct handler_ctx *ctx, struct request *req,
		       struct response *res);

/* GET /api/me/active-game: the table the caller sits at, its seat and
 * stack (api_history.c). */
int api_active_game(struct handler_ctx *ctx, struct request *req,
		    struct response *res);

/* GET /api/me/hand-history?limit&offset: the caller's hands, newest first,
 * with what it may see of each (422 for a bad limit or offset). */
int api_hand_history(struct handler_ctx *ctx, struct request *req,
		     struct response *res);

/* GET /api/hands/{id}.phh: a hand as PHH text, for a player of it (its own
 * and the shown cards) or the platform (every card); 404 otherwise. */
int api_hand_phh(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/* POST /v1/agents: MoltPoker registration, 201 with an mpk_ key. */
int v1_agents_create(struct handler_ctx *ctx, struct request *req,
		     struct response *res);

#endif
