/*
 * api_config.c — GET /api/public-config: the rules an agent may see
 * (lib/settings: chain, deposit and hot wallet addresses, withdrawal
 * limits, lobby stakes, rake) and the protocol versions. Nothing secret is
 * ever in here: no private RPC URL (only FELT_CHAIN_PUBLIC_RPC_URL), no
 * database, no keys.
 *
 * The answer is rendered once at start from the settings felt-api loaded
 * (a malformed or contradictory FELT_* value has already stopped it), so
 * a request is a copy from memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_handlers.h"
#include "core/json.h"
#include "money/chain.h"
#include "money/money.h"

/* A dollar amount and its exact _ucents twin. */
static void add_dollars(struct json_object *o, const char *key, int64_t ucents)
{
	char ukey[48];

	json_object_object_add(o, key, money_json_dollars(ucents));
	snprintf(ukey, sizeof ukey, "%s_ucents", key);
	json_object_object_add(o, ukey, json_object_new_int64(ucents));
}

static void add_int(struct json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static struct json_object *string_or_null(const char *v)
{
	return v[0] ? json_object_new_string(v) : NULL;
}

static struct json_object *chain_json(const struct settings *s,
				      const struct chain_config *chain)
{
	struct json_object *o = json_object_new_object();
	int node = chain->rpc_url[0] != '\0';

	add_int(o, "chain_id", s->chain_id);
	json_object_object_add(o, "usdc_contract",
			       json_object_new_string(s->usdc_contract));
	json_object_object_add(o, "usdc_decimals", json_object_new_int(6));
	json_object_object_add(o, "deposit_address",
			       string_or_null(s->deposit_address));
	json_object_object_add(o, "hot_wallet_address",
			       string_or_null(s->hot_wallet_address));
	/* Only the URL published for agents: felt's own node URLs may carry
	 * a provider key, and the signer's spends the hot wallet. */
	json_object_object_add(o, "rpc_url", string_or_null(s->public_rpc_url));
	add_int(o, "confirmations_required", s->confirmations);
	json_object_object_add(o, "deposits_enabled", json_object_new_boolean(
		node && s->deposit_address[0]));
	json_object_object_add(o, "withdrawals_enabled", json_object_new_boolean(
		node && s->hot_wallet_address[0]));
	return o;
}

static struct json_object *withdrawal_json(const struct settings *s)
{
	struct json_object *o = json_object_new_object();

	add_dollars(o, "min", s->withdraw_min_ucents);
	add_dollars(o, "max", s->withdraw_max_ucents);
	add_dollars(o, "daily_max", s->withdraw_daily_max_ucents);
	return o;
}

static struct json_object *lobby_json(const struct settings *s)
{
	struct json_object *o = json_object_new_object();

	add_int(o, "small_blind_chips", s->lobby_small_blind_chips);
	add_int(o, "big_blind_chips", s->lobby_big_blind_chips);
	add_int(o, "buy_in_min_chips", s->lobby_buy_in_min_chips);
	add_int(o, "buy_in_max_chips", s->lobby_buy_in_max_chips);
	add_int(o, "buy_in_default_chips", s->lobby_buy_in_default_chips);
	add_int(o, "chip_ucents", s->lobby_chip_ucents);
	add_int(o, "seats", s->lobby_seats);
	return o;
}

static struct json_object *rake_json(const struct settings *s)
{
	struct json_object *o = json_object_new_object();

	add_int(o, "percent_bps", s->rake_bps);
	add_int(o, "cap_big_blinds", s->rake_cap_big_blinds);
	/* DESIGN §2: per hand, whole chips, no flop no drop. */
	json_object_object_add(o, "no_flop_no_drop", json_object_new_boolean(1));
	json_object_object_add(o, "whole_chips", json_object_new_boolean(1));
	return o;
}

static struct json_object *protocols_json(void)
{
	struct json_object *o = json_object_new_object();

	/* DESIGN §8: era-A money REST with era-C ("V2") WS framing for Open
	 * Poker; MoltPoker protocol 0.1 as its skill.md. */
	json_object_object_add(o, "openpoker_rest", json_object_new_string("A"));
	json_object_object_add(o, "openpoker_ws", json_object_new_string("2"));
	json_object_object_add(o, "moltpoker", json_object_new_string("0.1"));
	json_object_object_add(o, "moltpoker_min_supported",
			       json_object_new_string("0.1"));
	return o;
}

char *api_public_config_render(const struct settings *s,
			       const struct chain_config *chain, size_t *len_out)
{
	struct json_object *o = json_object_new_object();
	const char *text;
	char *copy;

	json_object_object_add(o, "chain", chain_json(s, chain));
	json_object_object_add(o, "withdrawal_limits", withdrawal_json(s));
	json_object_object_add(o, "lobby", lobby_json(s));
	json_object_object_add(o, "rake", rake_json(s));
	json_object_object_add(o, "protocol_versions", protocols_json());
	text = json_to_string_len(o, len_out);
	copy = text ? strdup(text) : NULL;
	json_object_put(o);
	return copy;
}

int api_public_config(struct handler_ctx *ctx, struct request *req,
		      struct response *res)
{
	(void)req;
	return response_body(res, 200, "application/json",
			     ctx->public_config, ctx->public_config_len);
}
