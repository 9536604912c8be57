/*
 * bot_stats — what a felt-bot run counts: frames, actions, hands, errors by
 * code, and the action→next-state latency as a histogram, and the one
 * summary line printed at exit.  Pure bookkeeping, no I/O.
 *
 * The latency histogram is log-linear (32 buckets per power of two of
 * microseconds), so a quantile is exact to about 3 % at any scale and
 * recording is O(1) with no allocation.
 */
#ifndef FELT_BOT_STATS_H
#define FELT_BOT_STATS_H

#include <stddef.h>
#include <stdint.h>

#define BOT_STATS_CODES 24     /* distinct error codes kept; the rest count as "other" */
#define BOT_STATS_CODE_MAX 40
#define BOT_LAT_SUB 32         /* buckets per power of two */
#define BOT_LAT_BUCKETS (BOT_LAT_SUB * 40)

struct bot_latency {
	uint64_t n;
	uint64_t max_us;
	uint64_t bucket[BOT_LAT_BUCKETS];
};

struct bot_stats {
	int64_t agents, agents_failed, tables;
	int64_t hands;          /* distinct hands completed (filled in by the caller at the end) */
	int64_t hand_frames;    /* hand_complete / hand_result frames received, all agents */
	int64_t actions;        /* actions sent */
	int64_t frames_in, frames_out;
	int64_t bad_frames;     /* frames that broke the protocol's shape */
	int64_t leaks;          /* frames that showed a hole card they must not */
	int64_t reconnects;
	int64_t http_requests, http_retries;
	int64_t errors;         /* error / action_rejected frames */
	struct { char code[BOT_STATS_CODE_MAX]; int64_t n; } code[BOT_STATS_CODES];
	int64_t other_codes;
	struct bot_latency latency;  /* the whole run */
	struct bot_latency interval; /* since the last snapshot */
};

/* bot_stats_error — count one error frame with code (NULL or "" is "unknown"). */
void bot_stats_error(struct bot_stats *s, const char *code);

/* bot_latency_add — record one latency of us microseconds. */
void bot_latency_add(struct bot_latency *h, uint64_t us);

/* bot_stats_latency — record one action->next-state latency (run and interval). */
void bot_stats_latency(struct bot_stats *s, uint64_t us);

/*
 * bot_latency_quantile — the q-quantile (0 <= q <= 1) of what was
 * recorded, in microseconds (the middle of its bucket, never above the
 * largest value seen); 0 when nothing was recorded.
 */
uint64_t bot_latency_quantile(const struct bot_latency *h, double q);

/*
 * bot_stats_format — the summary line (no newline) into buf (size len):
 *   felt-bot: agents=6 failed=0 tables=1 hands=200 actions=1234 frames_in=...
 *   errors=2 (NOT_YOUR_TURN=1 STALE_SEQ=1) bad_frames=0 leaks=0 reconnects=0
 *   elapsed_s=12.3 hands_per_s=16.2 latency_p50_us=310 latency_p99_us=1200
 * elapsed_s is given by the caller.  Truncated to fit, always terminated.
 */
void bot_stats_format(const struct bot_stats *s, double elapsed_s, char *buf, size_t len);

/*
 * bot_stats_snapshot — a progress line (no newline) of the counters so far
 * and the latency of the interval since the last snapshot, then starts a
 * new interval:
 *   felt-bot: snapshot t_s=12.345 hands=.. actions=.. frames_in=.. frames_out=..
 *   errors=.. bad_frames=.. leaks=.. interval_latency_n=.. interval_latency_p50_us=..
 *   interval_latency_p99_us=..
 * A benchmark takes two and divides the differences by the time between them.
 */
void bot_stats_snapshot(struct bot_stats *s, double t_s, char *buf, size_t len);

#endif
