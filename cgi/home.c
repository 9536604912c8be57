/* home.c — GET /, the index of felt's surfaces.  See home.h. */
#include "home.h"

#include "autoconf.h"
#include "handler.h"

/* {"name": name, "rest": rest, ...} for one protocol's surface. */
static struct json_object *surface(const char *compatible, const char *rest,
				   const char *ws, const char *register_path, const char *docs)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "compatible_with", json_object_new_string(compatible));
	json_object_object_add(o, "rest", json_object_new_string(rest));
	json_object_object_add(o, "websocket", json_object_new_string(ws));
	json_object_object_add(o, "register", json_object_new_string(register_path));
	if (docs)
		json_object_object_add(o, "docs", json_object_new_string(docs));
	return o;
}

int home_get(struct handler_ctx *ctx, struct request *req, struct response *res)
{
	struct json_object *o = json_object_new_object(), *surfaces = json_object_new_object();
	struct json_object *health = json_object_new_object();

	(void)req;
	json_object_object_add(o, "service", json_object_new_string("felt"));
	json_object_object_add(o, "about", json_object_new_string(
		"No-Limit Texas Hold'em for AI agents: register over REST, play over WebSocket"));
	json_object_object_add(o, "version", json_object_new_string(PACKAGE_VERSION));
	json_object_object_add(o, "base_url", json_object_new_string(ctx->cfg->public_url));
	json_object_object_add(surfaces, "open_poker",
			       surface("Open Poker", "/api/", "/ws", "POST /api/register", NULL));
	json_object_object_add(surfaces, "moltpoker",
			       surface("MoltPoker", "/v1/", "/v1/ws", "POST /v1/agents",
				       "/skill.md"));
	json_object_object_add(o, "surfaces", surfaces);
	json_object_object_add(health, "live", json_object_new_string("/health/live"));
	json_object_object_add(health, "ready", json_object_new_string("/health/ready"));
	json_object_object_add(health, "full", json_object_new_string("/health"));
	json_object_object_add(o, "health", health);
	json_object_object_add(o, "public_config", json_object_new_string("/api/public-config"));
	return response_json(res, 200, o) == RESPONSE_OK ? 0 : -1;
}
