/*
 * fuzz_phh — libFuzzer target for the PHH reader and everything a hostile
 * hand history reaches: phh_next() on the raw bytes, then for every hand read
 * replay_hand() through the engine and its log, and for every hand that
 * finishes handlog_phh() + phh_write() + phh_next() + replay_hand() again.
 *
 * Besides memory errors (ASan/UBSan) it aborts when an invariant breaks:
 *   - chips are conserved: final stacks + rake = starting stacks;
 *   - a finished hand exported and read back replays to the same stacks;
 *   - every call to phh_next() moves forward, and every error has a message.
 *
 * Built only by `make fuzz` (clang -fsanitize=fuzzer), never by make/check.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poker/hand.h"
#include "poker/handlog.h"
#include "poker/phh.h"
#include "poker/view.h"
#include "poker/replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Some rake, so that its arithmetic is fuzzed too. */
#define RAKE_BP 500
#define RAKE_CAP 30

static struct hand H, H2;
static struct handlog LOG; /* reused: its memory lives for the process */
static struct phh_hand P, P2, X;

static void conserved(const struct phh_hand *ph, const struct replay_result *r)
{
	int64_t before = 0, after = r->rake_chips;

	for (int k = 0; k < ph->nplayers; k++) {
		before += ph->starting_chips[k];
		after += r->final_chips[k];
	}
	/* A replay stopped by an illegal action leaves chips in the pot. */
	if (r->finished && before != after)
		abort();
}

/* Export the finished hand, write it, read it back and replay it. */
static void round_trip(const struct replay_result *r)
{
	struct replay_result r2;
	struct phh_reader rd;
	struct phh_failure fail;
	char buf[1 << 16];

	if (handlog_phh(&LOG, VIEW_PLATFORM, &X) != HANDLOG_OK)
		abort(); /* a finished hand always exports */
	FILE *f = fmemopen(buf, sizeof buf, "w");
	if (!f)
		abort();
	int err = phh_write(f, &X, NULL);
	long n = ftell(f);
	fclose(f);
	if (err != PHH_OK || n <= 0 || (size_t)n >= sizeof buf)
		return;
	phh_reader_init(&rd, buf, (size_t)n);
	if (phh_next(&rd, &P2, &fail) != 1)
		abort(); /* we wrote it: we must be able to read it */
	replay_hand(&P2, RAKE_BP, RAKE_CAP, &H2, NULL, &r2);
	if (r2.verdict != REPLAY_PASS)
		abort();
	for (int k = 0; k < r->nplayers; k++)
		if (r2.final_chips[k] != X.finishing_chips[k])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct phh_reader rd;
	struct phh_failure fail;
	struct replay_result r;
	int got;

	phh_reader_init(&rd, (const char *)data, size);
	for (int hands = 0; hands < 64; hands++) {
		size_t was = rd.pos;
		got = phh_next(&rd, &P, &fail);
		if (got == 0)
			break;
		if (rd.pos <= was)
			abort(); /* no progress: a reader loop would never end */
		if (got < 0) {
			if (fail.line < 0 || strlen(fail.msg) == 0)
				abort(); /* every error says where and why */
			continue;
		}
		replay_hand(&P, RAKE_BP, RAKE_CAP, &H, &LOG, &r);
		conserved(&P, &r);
		if (r.finished)
			round_trip(&r);
	}
	return 0;
}
