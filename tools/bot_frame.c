/* bot_frame — shared by felt-bot's protocol layers.  See bot_frame.h. */
#include "bot_frame.h"

#include <string.h>

#include "core/json.h"

const char *bot_frame_strerror(int err)
{
	switch (err) {
	case BOT_FRAME_OK: return "ok";
	case BOT_FRAME_EJSON: return "frame is not a JSON object";
	case BOT_FRAME_ESHAPE: return "frame lacks a field or has one of the wrong type";
	case BOT_FRAME_EENVELOPE: return "frame has the wrong framing (envelope)";
	case BOT_FRAME_ELEAK: return "frame shows a hole card it must not";
	case BOT_FRAME_ETYPE: return "unknown message type";
	}
	return "unknown error";
}

void bot_frame_note(int *err, int e)
{
	if (*err == BOT_FRAME_OK)
		*err = e;
}

struct json_object *bot_frame_parse(const char *p, size_t len, int depth, const char **type,
				    int *err)
{
	struct json_object *o = NULL;

	if (json_parse(p, len, depth, &o, NULL, 0) != JSON_OK || !o ||
	    !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		*err = BOT_FRAME_EJSON;
		return NULL;
	}
	if (json_get_string(o, "type", type) != JSON_OK) {
		json_object_put(o);
		*err = BOT_FRAME_ESHAPE;
		return NULL;
	}
	return o;
}

int bot_frame_cards(struct json_object *arr, card_t *out, int max, int *err)
{
	size_t n;

	if (!arr || !json_object_is_type(arr, json_type_array)) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		return 0;
	}
	n = json_object_array_length(arr);
	if (n > (size_t)max) {
		bot_frame_note(err, BOT_FRAME_ESHAPE);
		n = (size_t)max;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(arr, i);
		const char *s = json_object_is_type(c, json_type_string) ?
			json_object_get_string(c) : NULL;

		if (!s || strlen(s) != 2 || card_parse(s, &out[i]) != CARDS_OK) {
			bot_frame_note(err, BOT_FRAME_ESHAPE);
			return (int)i;
		}
	}
	return (int)n;
}

int bot_frame_emit(struct json_object *o, char *buf, size_t len)
{
	size_t n;
	const char *s = json_to_string_len(o, &n);
	int ret = -1;

	if (n < len) {
		memcpy(buf, s, n + 1);
		ret = (int)n;
	}
	json_object_put(o);
	return ret;
}
