/* bot_stats — counters, latency histogram, summary line.  See bot_stats.h. */
#include "bot_stats.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void bot_stats_error(struct bot_stats *s, const char *code)
{
	if (!code || !*code)
		code = "unknown";
	s->errors++;
	for (int i = 0; i < BOT_STATS_CODES; i++) {
		if (s->code[i].n && strcmp(s->code[i].code, code) == 0) {
			s->code[i].n++;
			return;
		}
		if (!s->code[i].n) {
			snprintf(s->code[i].code, sizeof s->code[i].code, "%s", code);
			s->code[i].n = 1;
			return;
		}
	}
	s->other_codes++;
}

/* Values below BOT_LAT_SUB have a bucket each; above, an octave has BOT_LAT_SUB. */
static unsigned bucket_of(uint64_t us)
{
	unsigned octave, b;

	if (us < BOT_LAT_SUB)
		return (unsigned)us;
	octave = 63u - (unsigned)__builtin_clzll(us); /* us in [2^octave, 2^(octave+1)) */
	b = (octave - 4u) * BOT_LAT_SUB + (unsigned)(us >> (octave - 5u)) - BOT_LAT_SUB;
	return b < BOT_LAT_BUCKETS ? b : BOT_LAT_BUCKETS - 1;
}

/* The middle of bucket b, in microseconds. */
static uint64_t bucket_mid(unsigned b)
{
	unsigned octave, sub;
	uint64_t lo, width;

	if (b < BOT_LAT_SUB)
		return b;
	octave = b / BOT_LAT_SUB + 4u;
	sub = b % BOT_LAT_SUB;
	width = (uint64_t)1 << (octave - 5u);
	lo = ((uint64_t)BOT_LAT_SUB + sub) * width;
	return lo + width / 2;
}

void bot_latency_add(struct bot_latency *h, uint64_t us)
{
	h->bucket[bucket_of(us)]++;
	h->n++;
	if (us > h->max_us)
		h->max_us = us;
}

void bot_stats_latency(struct bot_stats *s, uint64_t us)
{
	bot_latency_add(&s->latency, us);
	bot_latency_add(&s->interval, us);
}

uint64_t bot_latency_quantile(const struct bot_latency *h, double q)
{
	uint64_t want, seen = 0;

	if (!h->n)
		return 0;
	if (q < 0)
		q = 0;
	if (q > 1)
		q = 1;
	/* the rank of the quantile, 1-based: ceil(q * n), at least 1 */
	want = (uint64_t)(q * (double)h->n);
	if ((double)want < q * (double)h->n)
		want++;
	if (want == 0)
		want = 1;
	for (unsigned b = 0; b < BOT_LAT_BUCKETS; b++) {
		seen += h->bucket[b];
		if (seen >= want) {
			uint64_t mid = bucket_mid(b);

			return mid > h->max_us ? h->max_us : mid;
		}
	}
	return h->max_us;
}

struct out {
	char *p;
	size_t len, used;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->used >= o->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->p + o->used, o->len - o->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->used += (size_t)n;
	if (o->used >= o->len)
		o->used = o->len - 1;
}

void bot_stats_format(const struct bot_stats *s, double elapsed_s, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (!len)
		return;
	buf[0] = '\0';
	put(&o, "felt-bot: agents=%" PRId64 " failed=%" PRId64 " tables=%" PRId64
	    " hands=%" PRId64 " actions=%" PRId64 " frames_in=%" PRId64 " frames_out=%" PRId64,
	    s->agents, s->agents_failed, s->tables, s->hands, s->actions, s->frames_in,
	    s->frames_out);
	put(&o, " errors=%" PRId64, s->errors);
	if (s->errors) {
		put(&o, " (");
		for (int i = 0; i < BOT_STATS_CODES && s->code[i].n; i++)
			put(&o, "%s%s=%" PRId64, i ? " " : "", s->code[i].code, s->code[i].n);
		if (s->other_codes)
			put(&o, " other=%" PRId64, s->other_codes);
		put(&o, ")");
	}
	put(&o, " bad_frames=%" PRId64 " leaks=%" PRId64 " reconnects=%" PRId64
	    " http_retries=%" PRId64, s->bad_frames, s->leaks, s->reconnects, s->http_retries);
	put(&o, " elapsed_s=%.1f hands_per_s=%.1f actions_per_s=%.1f", elapsed_s,
	    elapsed_s > 0 ? (double)s->hands / elapsed_s : 0.0,
	    elapsed_s > 0 ? (double)s->actions / elapsed_s : 0.0);
	put(&o, " latency_p50_us=%" PRIu64 " latency_p99_us=%" PRIu64 " latency_max_us=%" PRIu64,
	    bot_latency_quantile(&s->latency, 0.50), bot_latency_quantile(&s->latency, 0.99),
	    s->latency.max_us);
}

void bot_stats_snapshot(struct bot_stats *s, double t_s, char *buf, size_t len)
{
	struct out o = { buf, len, 0 };

	if (!len)
		return;
	buf[0] = '\0';
	put(&o, "felt-bot: snapshot t_s=%.3f hands=%" PRId64 " actions=%" PRId64
	    " frames_in=%" PRId64 " frames_out=%" PRId64 " errors=%" PRId64
	    " bad_frames=%" PRId64 " leaks=%" PRId64, t_s, s->hands, s->actions, s->frames_in,
	    s->frames_out, s->errors, s->bad_frames, s->leaks);
	put(&o, " interval_latency_n=%" PRIu64 " interval_latency_p50_us=%" PRIu64
	    " interval_latency_p99_us=%" PRIu64, s->interval.n,
	    bot_latency_quantile(&s->interval, 0.50), bot_latency_quantile(&s->interval, 0.99));
	memset(&s->interval, 0, sizeof s->interval);
}
