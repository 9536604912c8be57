/* bot_rest — REST bodies in and out for felt-bot.  See bot_rest.h. */
#include "bot_rest.h"

#include <stdio.h>
#include <string.h>

#include "bot_frame.h"
#include "core/json.h"

int bot_rest_register_body(const char *name, const char *email, char *buf, size_t len)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	if (email) {
		json_object_object_add(o, "email", json_object_new_string(email));
		json_object_object_add(o, "terms_accepted", json_object_new_boolean(1));
	}
	return bot_frame_emit(o, buf, len) < 0 ? -1 : 0;
}

int bot_rest_join_body(const char *bucket, char *buf, size_t len)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "client_protocol_version", json_object_new_string("0.1"));
	if (bucket)
		json_object_object_add(o, "bucket_key", json_object_new_string(bucket));
	return bot_frame_emit(o, buf, len) < 0 ? -1 : 0;
}

static struct json_object *parse(const char *body, size_t len)
{
	struct json_object *o = NULL;

	if (json_parse(body, len, 8, &o, NULL, 0) != JSON_OK || !o ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Copy string member key into dst (size n); -1 if absent, empty or too long. */
static int take(struct json_object *o, const char *key, char *dst, size_t n)
{
	const char *s;

	if (json_get_string(o, key, &s) != JSON_OK || !*s || strlen(s) >= n)
		return -1;
	memcpy(dst, s, strlen(s) + 1);
	return 0;
}

int bot_rest_parse_register(const char *body, size_t len, char agent_id[BOT_REST_ID_MAX],
			    char api_key[BOT_REST_KEY_MAX])
{
	struct json_object *o = parse(body, len);
	int ret = -1;

	if (o && take(o, "agent_id", agent_id, BOT_REST_ID_MAX) == 0 &&
	    take(o, "api_key", api_key, BOT_REST_KEY_MAX) == 0)
		ret = 0;
	json_object_put(o);
	return ret;
}

int bot_rest_parse_join(const char *body, size_t len, struct bot_join *out)
{
	struct json_object *o = parse(body, len);
	int64_t seat;
	int ret = -1;

	memset(out, 0, sizeof *out);
	if (o && take(o, "table_id", out->table_id, sizeof out->table_id) == 0 &&
	    take(o, "session_token", out->session_token, sizeof out->session_token) == 0 &&
	    take(o, "ws_url", out->ws_url, sizeof out->ws_url) == 0 &&
	    json_get_int64(o, "seat_id", &seat) == JSON_OK && seat >= 0 && seat < 100) {
		out->seat_id = (int)seat;
		ret = 0;
	}
	json_object_put(o);
	return ret;
}

void bot_rest_error_code(int status, const char *body, size_t blen, char *code, size_t len)
{
	struct json_object *o = parse(body, blen), *err;
	const char *s = NULL;

	if (o && json_get_object(o, "error", &err) == JSON_OK)
		json_get_string(err, "code", &s);
	else if (o)
		json_get_string(o, "detail", &s);
	if (s && *s)
		snprintf(code, len, "%s", s);
	else
		snprintf(code, len, "HTTP_%d", status);
	json_object_put(o);
}
