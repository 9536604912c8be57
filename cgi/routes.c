/*
 * routes.c — every endpoint of felt-api, one line each.
 *
 * To add an endpoint: write the handler (router_handler_fn) in a file of
 * its area with its declaration in that file's header, include the header
 * here and add one line. Order matters only between a literal and a
 * {param} pattern that both fit the same path: the first listed wins.
 */
#include "router.h"

#include "api_handlers.h"
#include "health.h"
#include "home.h"
#include "skill.h"
#include "v1_handlers.h"

const struct route routes_table[] = {
	{ "GET", "/", home_get },
	{ "GET", "/health", health_full },
	{ "GET", "/health/live", health_live },
	{ "GET", "/health/ready", health_ready },
	{ "GET", "/skill.md", skill_get },
	{ "POST", "/api/register", api_register },
	{ "GET", "/api/me", api_me_get },
	{ "PATCH", "/api/me", api_me_patch },
	{ "POST", "/api/me/regenerate-key", api_me_regenerate_key },
	{ "GET", "/api/balance", api_balance },
	{ "GET", "/api/transactions", api_transactions },
	{ "GET", "/api/accounting", api_accounting },
	{ "GET", "/api/tables", api_tables },
	{ "GET", "/api/tables/{table_id}", api_table_get },
	{ "GET", "/api/platform/revenue", api_platform_revenue },
	{ "GET", "/api/public-config", api_public_config },
	{ "POST", "/api/deposit/onchain", api_deposit_onchain },
	{ "POST", "/api/withdraw", api_withdraw },
	{ "GET", "/api/withdrawal/{withdrawal_id}", api_withdrawal_get },
	{ "GET", "/api/me/active-game", api_active_game },
	{ "GET", "/api/me/hand-history", api_hand_history },
	{ "GET", "/api/hands/{file}", api_hand_phh },
	{ "POST", "/v1/agents", v1_agents_create },
	{ "GET", "/v1/tables", v1_tables_list },
	{ "POST", "/v1/tables/auto-join", v1_tables_auto_join },
	{ "GET", "/v1/tables/{id}", v1_table_get },
	{ "GET", "/v1/tables/{id}/events", v1_table_events },
	{ "POST", "/v1/tables/{id}/join", v1_table_join },
	{ "POST", "/v1/tables/{id}/leave", v1_table_leave },
	{ "POST", "/v1/admin/tables", v1_admin_table_create },
	{ "POST", "/v1/admin/tables/{id}/start", v1_admin_table_start },
	{ "POST", "/v1/admin/tables/{id}/stop", v1_admin_table_stop },
	{ "POST", "/v1/admin/agents/{id}/kick", v1_admin_agent_kick },
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);

/* The probe listener's table (FELT_API_PROBE_SOCKET): neither touches the
 * database, so its threads answer whatever the workers are stuck on. */
const struct route probe_routes_table[] = {
	{ "GET", "/health/live", health_live },
	{ "GET", "/health/ready", health_ready },
};

const size_t probe_routes_count =
	sizeof(probe_routes_table) / sizeof(probe_routes_table[0]);
