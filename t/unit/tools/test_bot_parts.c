/*
 * Unit tests for felt-bot's pure parts: strategies (always legal), the
 * command line, URLs, REST bodies, statistics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot_opts.h"
#include "bot_rest.h"
#include "bot_stats.h"
#include "bot_strategy.h"
#include "bot_url.h"

/* A string literal and its length. */
#define SL(s) s, strlen(s)

static bool legal(const struct bot_legal *l, const struct bot_choice *c)
{
	switch (c->kind) {
	case BOT_FOLD: return l->fold;
	case BOT_CHECK: return l->check;
	case BOT_CALL: return l->call;
	case BOT_RAISE:
		return l->raise && c->amount_chips >= l->raise_min_chips &&
		       c->amount_chips <= l->raise_max_chips;
	case BOT_ALLIN:
		return (l->allin && c->amount_chips == l->allin_chips) ||
		       (l->raise && c->amount_chips == l->raise_max_chips);
	}
	return false;
}

/* A random set of legal actions, shaped like what servers offer. */
static void random_legal(uint64_t *rng, struct bot_legal *l)
{
	uint64_t r = bot_rng_next(rng);

	memset(l, 0, sizeof *l);
	l->fold = r & 1 || !(r & 6);
	l->check = r & 2;
	l->call = !l->check && (r & 4);
	l->call_chips = l->call ? 1 + (int64_t)(r >> 8 & 63) : 0;
	if (r & 8) {
		l->raise = true;
		l->raise_min_chips = 2 + (int64_t)(r >> 16 & 127);
		l->raise_max_chips = l->raise_min_chips + (int64_t)(r >> 24 & 511) * (r & 16 ? 1 : 0);
	}
	if (r & 32) {
		l->allin = true;
		l->allin_chips = l->raise ? l->raise_max_chips : 50;
	}
}

START_TEST(every_strategy_is_always_legal)
{
	uint64_t rng = 12345, draws = 99;
	int kinds[5] = {0};

	for (int s = BOT_STRATEGY_RANDOM; s <= BOT_STRATEGY_TIGHT; s++)
		for (int i = 0; i < 8000; i++) {
			struct bot_legal l;
			struct bot_situation sit;
			struct bot_choice c;

			random_legal(&rng, &l);
			memset(&sit, 0, sizeof sit);
			sit.n_hole = 2;
			sit.hole[0] = (card_t)(bot_rng_next(&rng) % 52);
			sit.hole[1] = (card_t)((sit.hole[0] + 1 + bot_rng_next(&rng) % 51) % 52);
			sit.n_board = (int)(bot_rng_next(&rng) % 4);
			sit.n_board = sit.n_board ? sit.n_board + 2 : 0;
			for (int b = 0; b < sit.n_board; b++) {
				card_t card;
				bool dup;

				do {
					card = (card_t)(bot_rng_next(&rng) % 52);
					dup = card == sit.hole[0] || card == sit.hole[1];
					for (int k = 0; k < b; k++)
						dup |= sit.board[k] == card;
				} while (dup);
				sit.board[b] = card;
			}
			sit.pot_chips = (int64_t)(bot_rng_next(&rng) % 500);
			sit.to_call_chips = l.call_chips;
			sit.stack_chips = 100;
			if (!l.fold && !l.check && !l.call && !l.raise && !l.allin)
				continue;
			c = bot_decide((enum bot_strategy)s, &sit, &l, &draws);
			ck_assert_msg(legal(&l, &c), "strategy %d chose %s %lld", s,
				      bot_kind_name(c.kind), (long long)c.amount_chips);
			if (s == BOT_STRATEGY_RANDOM)
				kinds[c.kind]++;
		}
	/* random plays everything, all-ins included */
	for (int k = 0; k < 5; k++)
		ck_assert_msg(kinds[k] > 100, "random chose %s only %d times", bot_kind_name(k),
			      kinds[k]);
}
END_TEST

START_TEST(call_never_folds_what_it_can_continue)
{
	struct bot_legal l = { .fold = true, .call = true, .call_chips = 50, .raise = true,
			       .raise_min_chips = 100, .raise_max_chips = 200 };
	struct bot_situation sit = { .n_hole = 0 };
	uint64_t rng = 1;

	ck_assert_int_eq(bot_decide(BOT_STRATEGY_CALL, &sit, &l, &rng).kind, BOT_CALL);
	l.call = false;
	l.check = true;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_CALL, &sit, &l, &rng).kind, BOT_CHECK);
}
END_TEST

static struct bot_situation hand(const char *hole, const char *board)
{
	struct bot_situation s;

	memset(&s, 0, sizeof s);
	s.n_hole = cards_parse(hole, strlen(hole), s.hole, 2);
	s.n_board = board ? cards_parse(board, strlen(board), s.board, 5) : 0;
	s.pot_chips = 30;
	s.stack_chips = 1000;
	return s;
}

START_TEST(tight_by_hand)
{
	struct bot_legal facing = { .fold = true, .call = true, .call_chips = 20, .raise = true,
				    .raise_min_chips = 40, .raise_max_chips = 1000 };
	struct bot_situation s;
	struct bot_choice c;
	uint64_t rng = 1;

	s = hand("AsAd", NULL);
	s.to_call_chips = 20;
	c = bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng);
	ck_assert_int_eq(c.kind, BOT_RAISE);
	ck_assert_int_eq(c.amount_chips, 40 + 15);
	s = hand("7c2d", NULL);
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_FOLD);
	s = hand("5c5d", NULL);
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_CALL);
	s.to_call_chips = 500;
	s.pot_chips = 100;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_FOLD);
	/* postflop: two pair raises, a pair with a hole card calls, air folds */
	s = hand("Kc7d", "Kh7s2c");
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_RAISE);
	s = hand("Kc9d", "Kh7s2c");
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_CALL);
	s = hand("Qc9d", "Kh7s2c");
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_FOLD);
	/* a board pair that is not ours is junk */
	s = hand("Qc9d", "Kh7s7c");
	s.to_call_chips = 20;
	ck_assert_int_eq(bot_decide(BOT_STRATEGY_TIGHT, &s, &facing, &rng).kind, BOT_FOLD);
}
END_TEST

START_TEST(safe_choice)
{
	struct bot_legal l = { .fold = true, .check = true };
	struct bot_legal only_call = { .call = true };

	ck_assert_int_eq(bot_safe_choice(&l).kind, BOT_CHECK);
	l.check = false;
	ck_assert_int_eq(bot_safe_choice(&l).kind, BOT_FOLD);
	ck_assert_int_eq(bot_safe_choice(&only_call).kind, BOT_CALL);
}
END_TEST

START_TEST(strategy_names)
{
	enum bot_strategy s = BOT_STRATEGY_CALL;

	ck_assert_int_eq(bot_strategy_parse("tight", &s), 0);
	ck_assert_int_eq(s, BOT_STRATEGY_TIGHT);
	ck_assert_int_eq(bot_strategy_parse("Tight", &s), BOT_STRATEGY_EUNKNOWN);
	ck_assert_int_eq(bot_strategy_parse(NULL, &s), BOT_STRATEGY_EUNKNOWN);
	ck_assert_str_eq(bot_strategy_name(BOT_STRATEGY_RANDOM), "random");
}
END_TEST

START_TEST(urls)
{
	struct bot_url u;
	char out[256];

	ck_assert_int_eq(bot_url_parse("http://127.0.0.1:8080", &u), 0);
	ck_assert_str_eq(u.host, "127.0.0.1");
	ck_assert_int_eq(u.port, 8080);
	ck_assert_str_eq(u.path, "/");
	ck_assert(!u.tls && !u.ws);
	ck_assert_int_eq(bot_url_parse("WSS://poker.example/v1/ws?x=1#frag", &u), 0);
	ck_assert(u.tls && u.ws);
	ck_assert_int_eq(u.port, 443);
	ck_assert_str_eq(u.path, "/v1/ws?x=1");
	ck_assert_int_eq(bot_url_parse("ws://[::1]:81/v1/ws", &u), 0);
	ck_assert_str_eq(u.host, "::1");
	ck_assert_int_eq(u.port, 81);
	ck_assert_int_eq(bot_url_parse("ftp://x", &u), BOT_URL_ESCHEME);
	ck_assert_int_eq(bot_url_parse("http://", &u), BOT_URL_EHOST);
	ck_assert_int_eq(bot_url_parse("http://h:0", &u), BOT_URL_EPORT);
	ck_assert_int_eq(bot_url_parse("http://h:99999", &u), BOT_URL_EPORT);
	ck_assert_int_eq(bot_url_parse("http://h:8x", &u), BOT_URL_EPORT);
	ck_assert_int_eq(bot_url_parse("http://h/felt/", &u), 0);
	ck_assert_int_eq(bot_url_join(&u, "/v1/agents", out, sizeof out), 0);
	ck_assert_str_eq(out, "/felt/v1/agents");
	ck_assert_int_eq(bot_url_parse("http://h", &u), 0);
	ck_assert_int_eq(bot_url_join(&u, "/ws", out, sizeof out), 0);
	ck_assert_str_eq(out, "/ws");
	ck_assert_int_eq(bot_url_join(&u, "/ws", out, 3), -1);
	ck_assert_int_eq(bot_url_query_escape("a+b/c=d e~_.-", out, sizeof out), 0);
	ck_assert_str_eq(out, "a%2Bb%2Fc%3Dd%20e~_.-");
	ck_assert_int_eq(bot_url_query_escape("abc", out, 3), -1);
}
END_TEST

static int parse(struct bot_opts *o, char *err, const char *a, const char *b, const char *c,
		 const char *d)
{
	char *argv[6] = { "felt-bot", (char *)a, (char *)b, (char *)c, (char *)d, NULL };
	int argc = 1 + (a != NULL) + (b != NULL) + (c != NULL) + (d != NULL);

	bot_opts_defaults(o);
	return bot_opts_parse(argc, argv, o, err, 256);
}

START_TEST(options)
{
	struct bot_opts o;
	char err[256], bucket[80];

	ck_assert_int_eq(parse(&o, err, NULL, NULL, NULL, NULL), BOT_OPTS_RUN);
	ck_assert_int_eq(o.agents, 6);
	ck_assert_str_eq(o.base, "http://127.0.0.1:8080");
	ck_assert_int_eq(parse(&o, err, "--agents", "600", "--tables=100", NULL), BOT_OPTS_RUN);
	ck_assert_int_eq(o.agents, 600);
	ck_assert_int_eq(o.tables, 100);
	ck_assert_int_eq(bot_opts_bucket(&o, 0, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats6_timeout30000");
	ck_assert_int_eq(bot_opts_bucket(&o, 5, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats6_timeout30000");
	ck_assert_int_eq(bot_opts_bucket(&o, 6, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats6_timeout29999");
	ck_assert_int_eq(bot_opts_bucket(&o, 599, bucket, sizeof bucket), 0); /* table 99 */
	ck_assert_str_eq(bucket, "sb1_bb2_seats6_timeout29997");
	ck_assert_int_eq(parse(&o, err, "--agents", "7", "--tables", "2"), BOT_OPTS_RUN);
	ck_assert_int_eq(bot_opts_bucket(&o, 0, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats4_timeout30000");
	ck_assert_int_eq(bot_opts_bucket(&o, 3, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats4_timeout30000");
	ck_assert_int_eq(bot_opts_bucket(&o, 4, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats3_timeout29999");
	ck_assert_int_eq(bot_opts_bucket(&o, 6, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "sb1_bb2_seats3_timeout29999");
	ck_assert_int_eq(parse(&o, err, "--rate", "50", NULL, NULL), BOT_OPTS_RUN);
	ck_assert_int_eq(o.rate, 50);
	ck_assert_int_eq(parse(&o, err, "--rate", "-1", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--bucket", "lobby", "--strategy", "tight"), BOT_OPTS_RUN);
	ck_assert_int_eq(bot_opts_bucket(&o, 3, bucket, sizeof bucket), 0);
	ck_assert_str_eq(bucket, "lobby");
	ck_assert_int_eq(o.strategy, BOT_STRATEGY_TIGHT);
	ck_assert_int_eq(parse(&o, err, "--protocol", "openpoker", "--agents", "1"), BOT_OPTS_RUN);
	ck_assert_int_eq(o.protocol, BOT_PROTOCOL_OPENPOKER);
	ck_assert_int_eq(parse(&o, err, "-v", "--verbose", "--rejoin", "--idle"), BOT_OPTS_RUN);
	ck_assert(o.idle);
	ck_assert_int_eq(o.verbose, 2);
	ck_assert(o.rejoin);
	ck_assert_int_eq(parse(&o, err, "-vvv", NULL, NULL, NULL), BOT_OPTS_RUN);
	ck_assert_int_eq(o.verbose, 3);
	ck_assert_int_eq(parse(&o, err, "-vx", NULL, NULL, NULL), BOT_OPTS_EUSAGE);

	ck_assert_int_eq(parse(&o, err, "--help", NULL, NULL, NULL), BOT_OPTS_HELP);
	ck_assert_int_eq(parse(&o, err, "--version", NULL, NULL, NULL), BOT_OPTS_VERSION);
	ck_assert_int_eq(parse(&o, err, "--bogus=1", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_str_eq(err, "unknown option '--bogus'");
	ck_assert_int_eq(parse(&o, err, "-x", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_str_eq(err, "unknown option '-x'");
	ck_assert_int_eq(parse(&o, err, "stray", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--agents", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_str_eq(err, "--agents needs a value");
	ck_assert_int_eq(parse(&o, err, "--agents", "0", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_str_eq(err, "--agents must be an integer 1..20000");
	ck_assert_int_eq(parse(&o, err, "--agents", "6x", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--rejoin=yes", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--strategy", "smart", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--protocol", "poker", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--base", "ws://h", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--base", "nope", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--agents", "3", "--tables", "2"), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--agents", "22", "--tables", "2"), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--name", "bad-name", NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--register-only", NULL, NULL, NULL), BOT_OPTS_EUSAGE);
	ck_assert_int_eq(parse(&o, err, "--register-only", "--keys", "k", NULL), BOT_OPTS_RUN);
	ck_assert(o.register_only);
	/* every option is in --help with its default */
	ck_assert_ptr_nonnull(strstr(bot_opts_help(), "--think-ms"));
	ck_assert_ptr_nonnull(strstr(bot_opts_help(), "(default random)"));
}
END_TEST

START_TEST(rest_bodies)
{
	char buf[256], id[BOT_REST_ID_MAX], key[BOT_REST_KEY_MAX], code[64];
	struct bot_join j;
	const char *reg = "{\"agent_id\":\"a\",\"api_key\":\"mpk_1\"}";
	const char *join = "{\"table_id\":\"tbl_1\",\"seat_id\":3,\"session_token\":\"s.t\","
		"\"ws_url\":\"ws://127.0.0.1:8080/v1/ws\",\"protocol_version\":\"0.1\","
		"\"action_timeout_ms\":30000}";

	ck_assert_int_eq(bot_rest_register_body("bot_1", NULL, buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"name\":\"bot_1\"}");
	ck_assert_int_eq(bot_rest_register_body("bot_1", "b@x.example.com", buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"name\":\"bot_1\",\"email\":\"b@x.example.com\","
			      "\"terms_accepted\":true}");
	ck_assert_int_eq(bot_rest_join_body("lobby", buf, sizeof buf), 0);
	ck_assert_str_eq(buf, "{\"client_protocol_version\":\"0.1\",\"bucket_key\":\"lobby\"}");
	ck_assert_int_eq(bot_rest_parse_register(reg, strlen(reg), id, key), 0);
	ck_assert_str_eq(key, "mpk_1");
	ck_assert_int_eq(bot_rest_parse_register(SL("{\"agent_id\":\"a\"}"), id, key), -1);
	ck_assert_int_eq(bot_rest_parse_join(join, strlen(join), &j), 0);
	ck_assert_int_eq(j.seat_id, 3);
	ck_assert_str_eq(j.ws_url, "ws://127.0.0.1:8080/v1/ws");
	ck_assert_int_eq(bot_rest_parse_join(SL("{\"table_id\":\"t\"}"), &j), -1);
	bot_rest_error_code(400, SL("{\"error\":{\"code\":\"TABLE_FULL\",\"message\":\"x\"}}"),
			    code, sizeof code);
	ck_assert_str_eq(code, "TABLE_FULL");
	bot_rest_error_code(409, SL("{\"detail\":\"Agent name already taken\"}"), code,
			    sizeof code);
	ck_assert_str_eq(code, "Agent name already taken");
	bot_rest_error_code(502, SL("<html>"), code, sizeof code);
	ck_assert_str_eq(code, "HTTP_502");
}
END_TEST

START_TEST(latency_quantiles)
{
	struct bot_latency *h = calloc(1, sizeof *h);

	ck_assert_int_eq(bot_latency_quantile(h, 0.5), 0);
	for (uint64_t v = 1; v <= 1000; v++)
		bot_latency_add(h, v * 10); /* 10 us .. 10 ms */
	/* within the histogram's resolution (32 buckets per octave: about 3 %) */
	ck_assert_uint_ge(bot_latency_quantile(h, 0.50), 4850);
	ck_assert_uint_le(bot_latency_quantile(h, 0.50), 5150);
	ck_assert_uint_ge(bot_latency_quantile(h, 0.99), 9600);
	ck_assert_uint_le(bot_latency_quantile(h, 0.99), 10000);
	ck_assert_uint_eq(bot_latency_quantile(h, 1.0), 10000);
	ck_assert_uint_eq(bot_latency_quantile(h, 0.0), 10);
	bot_latency_add(h, UINT64_MAX / 2); /* absurd values land in the last bucket */
	ck_assert_uint_eq(h->max_us, UINT64_MAX / 2);
	free(h);
}
END_TEST

START_TEST(summary_line)
{
	struct bot_stats *s = calloc(1, sizeof *s);
	char line[1024];

	s->agents = 6;
	s->hands = 200;
	s->actions = 1234;
	bot_stats_error(s, "NOT_YOUR_TURN");
	bot_stats_error(s, "STALE_SEQ");
	bot_stats_error(s, "NOT_YOUR_TURN");
	bot_stats_error(s, NULL);
	bot_stats_latency(s, 300);
	bot_stats_snapshot(s, 1.5, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "felt-bot: snapshot t_s=1.500 hands=200 actions=1234 "));
	ck_assert_ptr_nonnull(strstr(line, " interval_latency_n=1 interval_latency_p50_us=300 "));
	bot_stats_snapshot(s, 2.5, line, sizeof line); /* a new interval: empty */
	ck_assert_ptr_nonnull(strstr(line, " interval_latency_n=0 "));
	bot_stats_format(s, 10.0, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "felt-bot: agents=6 failed=0 tables=0 hands=200 "));
	ck_assert_ptr_nonnull(strstr(line, " errors=4 (NOT_YOUR_TURN=2 STALE_SEQ=1 unknown=1) "));
	ck_assert_ptr_nonnull(strstr(line, " hands_per_s=20.0 "));
	ck_assert_ptr_nonnull(strstr(line, " latency_p50_us=300 "));
	ck_assert_ptr_null(strchr(line, '\n'));
	bot_stats_format(s, 10.0, line, 20);
	ck_assert_int_eq(strlen(line), 19);
	for (int i = 0; i < BOT_STATS_CODES + 3; i++) {
		char code[16];

		snprintf(code, sizeof code, "C%d", i);
		bot_stats_error(s, code);
	}
	ck_assert_int_gt(s->other_codes, 0);
	free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("bot_parts");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60); /* thousands of decisions under the sanitizers */
	tcase_add_test(tc, every_strategy_is_always_legal);
	tcase_add_test(tc, call_never_folds_what_it_can_continue);
	tcase_add_test(tc, tight_by_hand);
	tcase_add_test(tc, safe_choice);
	tcase_add_test(tc, strategy_names);
	tcase_add_test(tc, urls);
	tcase_add_test(tc, options);
	tcase_add_test(tc, rest_bodies);
	tcase_add_test(tc, latency_quantiles);
	tcase_add_test(tc, summary_line);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
