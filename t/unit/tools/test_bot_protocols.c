/*
 * Unit tests for felt-bot's protocol layers (tools/bot_molt, tools/bot_open)
 * against recorded frames in t/unit/tools/frames/ (one .jsonl script each),
 * shaped like the seed's and the references' examples.
 *
 * A script's first line names the protocol and the agent's set-up; every
 * other line is {"in": frame} (or {"raw": "text"} for bytes that are not
 * JSON) with an optional "expect": {"send": {...subset of the client frame
 * sent...}, "err": "ok|json|shape|envelope|leak|type", "state", "hand_done",
 * "ended", "fatal": bool, "error_code": "..."}.  Whatever "expect" does not
 * name must not happen: no frame sent, no error, flags false.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot_molt.h"
#include "bot_open.h"
#include "core/json.h"

/* Every key of want is in got with an equal value (objects compared the same way). */
static bool subset(struct json_object *want, struct json_object *got)
{
	if (!json_object_is_type(want, json_type_object))
		return json_object_equal(want, got);
	if (!got || !json_object_is_type(got, json_type_object))
		return false;
	json_object_object_foreach(want, key, val) {
		struct json_object *g;

		if (!json_object_object_get_ex(got, key, &g) || !subset(val, g))
			return false;
	}
	return true;
}

static const char *err_name(int e)
{
	return e == BOT_FRAME_OK ? "ok" : e == BOT_FRAME_EJSON ? "json" :
	       e == BOT_FRAME_ESHAPE ? "shape" : e == BOT_FRAME_EENVELOPE ? "envelope" :
	       e == BOT_FRAME_ELEAK ? "leak" : e == BOT_FRAME_ETYPE ? "type" : "?";
}

static bool flag(struct json_object *expect, const char *key)
{
	bool b = false;

	json_get_bool(expect, key, &b);
	return b;
}

static void check_line(const char *file, int line, struct json_object *expect, int err,
		       const struct bot_out *r)
{
	const char *want_err = "ok", *want_code = "";
	struct json_object *want_send = NULL;

	if (expect) {
		json_get_string(expect, "err", &want_err);
		json_get_string(expect, "error_code", &want_code);
		json_get_object(expect, "send", &want_send);
	}
	ck_assert_msg(strcmp(err_name(err), want_err) == 0, "%s:%d: err %s, want %s",
		      file, line, err_name(err), want_err);
	ck_assert_msg(strcmp(r->error_code, want_code) == 0, "%s:%d: error_code '%s', want '%s'",
		      file, line, r->error_code, want_code);
	ck_assert_msg(r->state == flag(expect, "state"), "%s:%d: state %d", file, line, r->state);
	ck_assert_msg(r->hand_done == flag(expect, "hand_done"), "%s:%d: hand_done %d", file,
		      line, r->hand_done);
	ck_assert_msg(r->ended == flag(expect, "ended"), "%s:%d: ended %d", file, line, r->ended);
	ck_assert_msg(r->fatal == flag(expect, "fatal"), "%s:%d: fatal %d", file, line, r->fatal);
	ck_assert_msg(r->send == (want_send != NULL), "%s:%d: sent %s", file, line,
		      r->send ? r->text : "nothing");
	if (want_send) {
		struct json_object *got = NULL;

		ck_assert_msg(json_parse(r->text, strlen(r->text), 8, &got, NULL, 0) == JSON_OK,
			      "%s:%d: sent frame is not JSON: %s", file, line, r->text);
		ck_assert_msg(subset(want_send, got), "%s:%d: sent %s, want at least %s", file,
			      line, r->text, json_to_string(want_send));
		json_object_put(got);
	}
}

static void run_script(const char *name)
{
	char path[1024], buf[16384];
	FILE *f;
	int line = 0;
	bool molt = false;
	struct molt_agent ma;
	struct open_agent oa;

	snprintf(path, sizeof path, "%s/%s", FRAMES_DIR, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	while (fgets(buf, sizeof buf, f)) {
		struct json_object *o = NULL, *in, *expect = NULL;
		const char *raw = NULL, *frame;
		struct bot_out r;
		int err;

		line++;
		ck_assert_msg(strchr(buf, '\n'), "%s:%d: line too long", name, line);
		ck_assert_msg(json_parse(buf, strlen(buf), 32, &o, NULL, 0) == JSON_OK,
			      "%s:%d: script line is not JSON", name, line);
		if (line == 1) {
			const char *proto, *strat;
			enum bot_strategy s;
			int64_t buy_in = 2000;
			bool rejoin = false;

			ck_assert(json_get_string(o, "protocol", &proto) == JSON_OK);
			ck_assert(json_get_string(o, "strategy", &strat) == JSON_OK);
			ck_assert(bot_strategy_parse(strat, &s) == 0);
			json_get_int64(o, "buy_in", &buy_in);
			json_get_bool(o, "rejoin", &rejoin);
			molt = strcmp(proto, "moltpoker") == 0;
			molt_agent_init(&ma, s, 42);
			open_agent_init(&oa, s, 42, buy_in, rejoin, "fb");
			json_object_put(o);
			continue;
		}
		json_get_object(o, "expect", &expect);
		if (json_get_string(o, "raw", &raw) == JSON_OK)
			frame = raw;
		else {
			ck_assert_msg(json_get_object(o, "in", &in) == JSON_OK, "%s:%d: no in", name,
				      line);
			frame = json_to_string(in);
		}
		err = molt ? molt_on_frame(&ma, frame, strlen(frame), &r) :
			     open_on_frame(&oa, frame, strlen(frame), &r);
		check_line(name, line, expect, err, &r);
		json_object_put(o);
	}
	fclose(f);
	ck_assert_msg(line > 2, "%s: empty script", name);
}

START_TEST(molt_heads_up)
{
	run_script("molt_heads_up.jsonl");
}
END_TEST

START_TEST(open_six_max)
{
	run_script("open_six_max.jsonl");
}
END_TEST

START_TEST(open_funds)
{
	run_script("open_funds.jsonl");
}
END_TEST

/* The client frames themselves, field by field (seed 004's action payload). */
START_TEST(molt_builders)
{
	char buf[512];
	struct bot_choice raise = { BOT_RAISE, 100 }, allin = { BOT_ALLIN, 925 };
	struct bot_choice fold = { BOT_FOLD, 0 };

	ck_assert_int_gt(molt_build_action("550e8400", 42, &raise, NULL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"action\",\"action\":{\"turn_token\":\"550e8400\","
			      "\"kind\":\"raiseTo\",\"amount\":100},\"expected_seq\":42}");
	ck_assert_int_gt(molt_build_action("t", -1, &allin, "why", buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"action\",\"action\":{\"turn_token\":\"t\","
			      "\"kind\":\"raiseTo\",\"amount\":925,\"reasoning\":\"why\"}}");
	ck_assert_int_gt(molt_build_action("a\"b", 1, &fold, NULL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"action\",\"action\":{\"turn_token\":\"a\\\"b\","
			      "\"kind\":\"fold\"},\"expected_seq\":1}");
	ck_assert_int_eq(molt_build_action("t", 1, &fold, NULL, buf, 10), -1);
	ck_assert_int_gt(molt_build_ping(1706835000000, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"ping\",\"payload\":{\"timestamp\":1706835000000}}");
}
END_TEST

START_TEST(open_builders)
{
	char buf[512];
	struct bot_choice raise = { BOT_RAISE, 320 }, allin = { BOT_ALLIN, 1000 };

	ck_assert_int_gt(open_build_action("h1", "t1", "fb-1", &raise, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"action\",\"hand_id\":\"h1\",\"action\":\"raise\","
			      "\"amount\":320,\"client_action_id\":\"fb-1\",\"turn_token\":\"t1\"}");
	ck_assert_int_gt(open_build_action("h1", "t1", "fb-2", &allin, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"type\":\"action\",\"hand_id\":\"h1\",\"action\":\"all_in\","
			      "\"client_action_id\":\"fb-2\",\"turn_token\":\"t1\"}");
	ck_assert_int_eq(open_build_action("h1", "t1", "fb-2", &allin, buf, 20), -1);
}
END_TEST

/* Open Poker without an all_in entry: an all-in is a raise to the maximum. */
START_TEST(open_allin_without_entry)
{
	struct open_agent a;
	struct bot_out o;
	const char *turn = "{\"type\":\"your_turn\",\"table_id\":\"t\",\"table_seq\":1,"
		"\"hand_id\":\"h\",\"turn_token\":\"k\",\"pot\":30,\"community_cards\":[],"
		"\"players\":[],\"valid_actions\":[{\"action\":\"raise\",\"amount\":null,"
		"\"min\":900,\"max\":900}]}";
	struct json_object *sent = NULL, *v;

	open_agent_init(&a, BOT_STRATEGY_RANDOM, 7, 2000, false, "fb");
	ck_assert_int_eq(open_on_frame(&a, turn, strlen(turn), &o), BOT_FRAME_OK);
	ck_assert(o.send);
	ck_assert_int_eq(json_parse(o.text, strlen(o.text), 8, &sent, NULL, 0), JSON_OK);
	ck_assert(json_object_object_get_ex(sent, "action", &v));
	ck_assert_str_eq(json_object_get_string(v), "raise");
	ck_assert(json_object_object_get_ex(sent, "amount", &v));
	ck_assert_int_eq(json_object_get_int64(v), 900);
	json_object_put(sent);
}
END_TEST

/* Whole-number floats are chip amounts; fractions are a shape error. */
START_TEST(open_float_chips)
{
	struct open_agent a;
	struct bot_out o;
	const char *ok = "{\"type\":\"your_turn\",\"table_id\":\"t\",\"table_seq\":1,"
		"\"hand_id\":\"h\",\"turn_token\":\"k\",\"pot\":30.0,\"community_cards\":[],"
		"\"players\":[],\"valid_actions\":[{\"action\":\"call\",\"amount\":20.0}]}";
	const char *bad = "{\"type\":\"your_turn\",\"table_id\":\"t\",\"table_seq\":2,"
		"\"hand_id\":\"h\",\"turn_token\":\"k2\",\"pot\":30.5,\"community_cards\":[],"
		"\"players\":[],\"valid_actions\":[{\"action\":\"call\",\"amount\":20}]}";

	open_agent_init(&a, BOT_STRATEGY_CALL, 7, 2000, false, "fb");
	ck_assert_int_eq(open_on_frame(&a, ok, strlen(ok), &o), BOT_FRAME_OK);
	ck_assert(o.send);
	ck_assert_int_eq(a.legal.call_chips, 20);
	ck_assert_int_eq(open_on_frame(&a, bad, strlen(bad), &o), BOT_FRAME_ESHAPE);
}
END_TEST

/* After a reconnect the same turn is answered again (the old action may be lost). */
START_TEST(molt_reconnect_answers_again)
{
	struct molt_agent a;
	struct bot_out o;
	const char *welcome = "{\"type\":\"welcome\",\"seat\":0,\"agent_id\":\"x\",\"timeout\":30000}";
	const char *gs = "{\"type\":\"game_state\",\"seq\":4,\"hand\":1,\"phase\":\"preflop\","
		"\"board\":[],\"pot\":0,\"players\":[{\"seat\":0,\"stack\":99,\"bet\":1}],"
		"\"dealer\":0,\"turn\":0,\"toCall\":1,\"turn_token\":\"tk\","
		"\"actions\":[{\"kind\":\"fold\"},{\"kind\":\"call\",\"min\":1,\"max\":1}]}";

	molt_agent_init(&a, BOT_STRATEGY_CALL, 1);
	ck_assert_int_eq(molt_on_frame(&a, welcome, strlen(welcome), &o), BOT_FRAME_OK);
	ck_assert_int_eq(molt_on_frame(&a, gs, strlen(gs), &o), BOT_FRAME_OK);
	ck_assert(o.send);
	ck_assert_int_eq(molt_on_frame(&a, gs, strlen(gs), &o), BOT_FRAME_OK);
	ck_assert(!o.send);
	molt_reconnected(&a);
	ck_assert_int_eq(molt_on_frame(&a, gs, strlen(gs), &o), BOT_FRAME_OK);
	ck_assert(o.send);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bot_protocols");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, molt_heads_up);
	tcase_add_test(tc, open_six_max);
	tcase_add_test(tc, open_funds);
	tcase_add_test(tc, molt_builders);
	tcase_add_test(tc, open_builders);
	tcase_add_test(tc, open_allin_without_entry);
	tcase_add_test(tc, open_float_chips);
	tcase_add_test(tc, molt_reconnect_answers_again);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
