/*
 * eval_gen — writes the evaluator's lookup tables (eval_tables.c) to stdout.
 *
 * Built and run at build time (see lib/eval.mk); nothing here runs in felt.
 * Every hand class is computed from first principles by a slow, obvious
 * ranking of rank counts, so the tables are only as clever as their
 * indexing:
 *   - rank keys: per-rank multipliers whose sums are distinct for every
 *     multiset of 0..7 ranks with at most 4 of each (the constants of
 *     OMPEval by Henri Ahola, ISC licence).  Distinctness is re-checked here
 *     for the 5..7-card multisets we index, so a typo cannot go unnoticed.
 *   - the ~74k possible rank sums are compressed with row displacement:
 *     rows of 2^EVAL_ROW_SHIFT keys are overlaid at offsets where their
 *     occupied columns do not collide (greedy, densest rows first).
 *   - flushes are looked up directly by the 13-bit rank mask of the suit.
 * Exits non-zero (and writes nothing useful) if any check fails.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "poker/eval.h"
#include "poker/eval_tables.h"

static const uint32_t RANK_KEY[13] = {
	0x2000, 0x8001, 0x11000, 0x3a000, 0x91000, 0x176005, 0x366000,
	0x41a013, 0x47802e, 0x479068, 0x48c0e4, 0x48f211, 0x494493,
};

#define MAX_KEYS 80000
#define NCLASSES EVAL_DISTINCT_RANKS

/* A hand class before numbering: category << 20 | five rank nibbles. */
static uint32_t pack(int cat, const int r[5])
{
	return (uint32_t)cat << 20 | (uint32_t)r[0] << 16 | (uint32_t)r[1] << 12 |
	       (uint32_t)r[2] << 8 | (uint32_t)r[3] << 4 | (uint32_t)r[4];
}

/* Highest straight in a rank-presence mask: its top rank, 3 for the wheel,
 * -1 for none. */
static int straight_top(unsigned present)
{
	for (int top = 12; top >= 4; top--)
		if (((present >> (top - 4)) & 0x1f) == 0x1f)
			return top;
	if ((present & 0xf) == 0xf && (present & (1u << 12)))
		return 3;
	return -1;
}

static uint32_t straight_pack(int cat, int top)
{
	int r[5] = {0};
	for (int i = 0; i < 5; i++)
		r[i] = top - i;
	if (top == 3)
		r[4] = 12; /* the wheel's ace plays low */
	return pack(cat, r);
}

/* Fill r[from..4] with the highest ranks present in cnt, skipping the
 * ranks already used (a, b). */
static void kickers(const int cnt[13], int a, int b, int r[5], int from)
{
	int i = from;
	for (int k = 12; k >= 0 && i < 5; k--)
		if (cnt[k] > 0 && k != a && k != b)
			r[i++] = k;
}

/* Best five-card class among rank counts (total 5..7) when no flush. */
static uint32_t best_of_counts(const int cnt[13])
{
	int quad = -1, trip = -1, pair1 = -1, pair2 = -1;
	unsigned present = 0;
	for (int k = 12; k >= 0; k--) {
		if (cnt[k] > 0)
			present |= 1u << k;
		if (cnt[k] >= 4 && quad < 0)
			quad = k;
		else if (cnt[k] >= 3 && trip < 0)
			trip = k;
		else if (cnt[k] >= 2 && pair1 < 0)
			pair1 = k;
		else if (cnt[k] >= 2 && pair2 < 0)
			pair2 = k;
	}
	int r[5] = {0};
	if (quad >= 0) {
		r[0] = r[1] = r[2] = r[3] = quad;
		kickers(cnt, quad, -1, r, 4);
		return pack(EVAL_FOUR_OF_A_KIND, r);
	}
	/* A second set of trips plays as the pair of a full house: it was
	 * counted as pair1 above, being >= 2 and after the first trips. */
	if (trip >= 0 && pair1 >= 0) {
		r[0] = r[1] = r[2] = trip;
		r[3] = r[4] = pair1;
		return pack(EVAL_FULL_HOUSE, r);
	}
	int top = straight_top(present);
	if (top >= 0)
		return straight_pack(EVAL_STRAIGHT, top);
	if (trip >= 0) {
		r[0] = r[1] = r[2] = trip;
		kickers(cnt, trip, -1, r, 3);
		return pack(EVAL_THREE_OF_A_KIND, r);
	}
	if (pair2 >= 0) {
		r[0] = r[1] = pair1;
		r[2] = r[3] = pair2;
		kickers(cnt, pair1, pair2, r, 4);
		return pack(EVAL_TWO_PAIR, r);
	}
	if (pair1 >= 0) {
		r[0] = r[1] = pair1;
		kickers(cnt, pair1, -1, r, 2);
		return pack(EVAL_ONE_PAIR, r);
	}
	kickers(cnt, -1, -1, r, 0);
	return pack(EVAL_HIGH_CARD, r);
}

/* Best five-card class of a flush suit holding the ranks in mask (>= 5). */
static uint32_t best_of_flush(unsigned mask)
{
	int top = straight_top(mask);
	if (top >= 0)
		return straight_pack(EVAL_STRAIGHT_FLUSH, top);
	int cnt[13] = {0}, r[5] = {0};
	for (int k = 0; k < 13; k++)
		cnt[k] = (mask >> k) & 1;
	kickers(cnt, -1, -1, r, 0);
	return pack(EVAL_FLUSH, r);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static void fail(const char *msg)
{
	fprintf(stderr, "eval_gen: %s\n", msg);
	exit(1);
}

/* Global generator state: this is a one-shot build tool, not libfelt. */
static uint32_t classes[NCLASSES];        /* sorted packed classes */
static uint16_t category_first[10];
static uint32_t keys[MAX_KEYS];            /* rank sums of 5..7-card multisets */
static uint16_t key_value[MAX_KEYS];
static int nkeys;

/* The value (category << 12 | 1-based index) of a packed class. */
static uint16_t value_of(uint32_t packed)
{
	int lo = 0, hi = NCLASSES - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (classes[mid] == packed) {
			int cat = (int)(packed >> 20);
			return (uint16_t)(cat << EVAL_CATEGORY_SHIFT | (mid - category_first[cat] + 1));
		}
		if (classes[mid] < packed)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	fail("class not found");
	return 0;
}

/* Calls fn on every rank-count vector with at most 4 per rank and a total
 * in [lo, hi]. */
static void each_multiset(int lo, int hi, void (*fn)(const int cnt[13], int total))
{
	int cnt[13] = {0};
	int total = 0;
	for (;;) {
		if (total >= lo && total <= hi)
			fn(cnt, total);
		/* Odometer increment in base 5, skipping totals above hi. */
		int k = 0;
		while (k < 13) {
			if (cnt[k] < 4 && total < hi) {
				cnt[k]++;
				total++;
				break;
			}
			total -= cnt[k];
			cnt[k] = 0;
			k++;
		}
		if (k == 13)
			return;
	}
}

static uint32_t all_classes[MAX_KEYS];
static int nall;

static void collect_class(const int cnt[13], int total)
{
	(void)total;
	all_classes[nall++] = best_of_counts(cnt);
}

static void build_classes(void)
{
	nall = 0;
	each_multiset(5, 5, collect_class);
	for (unsigned m = 0; m < 8192; m++)
		if (__builtin_popcount(m) == 5)
			all_classes[nall++] = best_of_flush(m);
	qsort(all_classes, (size_t)nall, sizeof all_classes[0], cmp_u32);
	int n = 0;
	for (int i = 0; i < nall; i++)
		if (n == 0 || all_classes[i] != classes[n - 1]) {
			if (n == NCLASSES)
				fail("more than 7462 five-card classes");
			classes[n++] = all_classes[i];
		}
	if (n != NCLASSES)
		fail("not 7462 five-card classes");
	int cat = 0;
	for (int i = 0; i < NCLASSES; i++)
		while (cat <= (int)(classes[i] >> 20))
			category_first[cat++] = (uint16_t)i;
	while (cat < 10)
		category_first[cat++] = NCLASSES;
}

static void collect_key(const int cnt[13], int total)
{
	(void)total;
	uint32_t k = 0;
	for (int r = 0; r < 13; r++)
		k += RANK_KEY[r] * (uint32_t)cnt[r];
	if (nkeys == MAX_KEYS)
		fail("too many rank multisets");
	keys[nkeys] = k;
	key_value[nkeys] = value_of(best_of_counts(cnt));
	nkeys++;
}

static void check_keys_distinct(void)
{
	uint64_t *s = malloc(sizeof *s * (size_t)nkeys);
	if (s == NULL)
		fail("out of memory");
	for (int i = 0; i < nkeys; i++)
		s[i] = keys[i];
	qsort(s, (size_t)nkeys, sizeof *s, cmp_u64);
	for (int i = 1; i < nkeys; i++)
		if (s[i] == s[i - 1])
			fail("rank keys are not distinct");
	free(s);
}

/* Row displacement: row r's keys land at (key & colmask) + base[r]; the
 * emitted offset is base[r] - (r << shift) modulo 2^32, so the lookup is a
 * single add of the key. */
#define TABLE_MAX (1 << 20)
static uint16_t table[TABLE_MAX];
static uint8_t used[TABLE_MAX];
static uint32_t *row_base;
static int nrows, table_size;

struct row {
	int row, n, first; /* first: index into keys sorted by key */
};

static int cmp_row_desc(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->n != y->n)
		return y->n - x->n;
	return x->row - y->row;
}

static int key_order[MAX_KEYS];

static int cmp_key_index(const void *a, const void *b)
{
	uint32_t x = keys[*(const int *)a], y = keys[*(const int *)b];
	return (x > y) - (x < y);
}

static void build_hash(void)
{
	const uint32_t colmask = (1u << EVAL_ROW_SHIFT) - 1;
	uint32_t maxkey = 0;
	for (int i = 0; i < nkeys; i++) {
		key_order[i] = i;
		if (keys[i] > maxkey)
			maxkey = keys[i];
	}
	qsort(key_order, (size_t)nkeys, sizeof key_order[0], cmp_key_index);
	/* Rows cover any sum of 7 card keys, even of 7 aces: a caller's bad
	 * input (duplicate cards) must give a wrong answer, not a read out of
	 * bounds.  Rows holding no real key keep base 0. */
	uint32_t maxsum = 7 * RANK_KEY[12];
	if (maxsum < maxkey)
		fail("rank keys out of order");
	nrows = (int)(maxsum >> EVAL_ROW_SHIFT) + 1;
	struct row *rows = calloc((size_t)nrows, sizeof *rows);
	row_base = calloc((size_t)nrows, sizeof *row_base);
	if (rows == NULL || row_base == NULL)
		fail("out of memory");
	for (int r = 0; r < nrows; r++)
		rows[r].row = r;
	for (int i = nkeys - 1; i >= 0; i--) {
		struct row *rw = &rows[keys[key_order[i]] >> EVAL_ROW_SHIFT];
		rw->n++;
		rw->first = i;
	}
	qsort(rows, (size_t)nrows, sizeof *rows, cmp_row_desc);

	int first_free = 0;
	table_size = 0;
	for (int ri = 0; ri < nrows && rows[ri].n > 0; ri++) {
		const struct row *rw = &rows[ri];
		uint32_t col0 = keys[key_order[rw->first]] & colmask;
		while (used[first_free])
			first_free++;
		/* Try bases that put the row's first key on a free slot. */
		for (int slot = first_free;; slot++) {
			if (slot >= TABLE_MAX - (int)colmask - 1)
				fail("perfect hash table overflow");
			if (used[slot] || (uint32_t)slot < col0)
				continue;
			uint32_t base = (uint32_t)slot - col0;
			int ok = 1;
			for (int j = 0; j < rw->n && ok; j++)
				ok = !used[base + (keys[key_order[rw->first + j]] & colmask)];
			if (!ok)
				continue;
			for (int j = 0; j < rw->n; j++) {
				int ki = key_order[rw->first + j];
				uint32_t pos = base + (keys[ki] & colmask);
				used[pos] = 1;
				table[pos] = key_value[ki];
				if ((int)pos + 1 > table_size)
					table_size = (int)pos + 1;
			}
			row_base[rw->row] = base;
			/* Any column of a placed row must index inside the table,
			 * whether or not a real key lives there. */
			if ((int)(base + colmask) + 1 > table_size)
				table_size = (int)(base + colmask) + 1;
			break;
		}
	}
	free(rows);
}

static void emit_u64(const char *decl, const uint64_t *v, int n)
{
	printf("%s = {", decl);
	for (int i = 0; i < n; i++)
		printf("%s0x%" PRIx64 ",", i % 4 ? " " : "\n\t", v[i]);
	printf("\n};\n\n");
}

static void emit_u32(const char *decl, const uint32_t *v, int n)
{
	printf("%s = {", decl);
	for (int i = 0; i < n; i++)
		printf("%s0x%" PRIx32 ",", i % 8 ? " " : "\n\t", v[i]);
	printf("\n};\n\n");
}

static void emit_u16(const char *decl, const uint16_t *v, int n)
{
	printf("%s = {", decl);
	for (int i = 0; i < n; i++)
		printf("%s%u,", i % 12 ? " " : "\n\t", (unsigned)v[i]);
	printf("\n};\n\n");
}

static void emit(void)
{
	/* 256 entries so any card_t byte indexes inside; non-cards (CARD_NONE)
	 * contribute nothing. */
	uint64_t card_key[256] = {0}, card_mask[256] = {0};
	for (int c = 0; c < 52; c++) {
		int r = c >> 2, s = c & 3;
		card_key[c] = RANK_KEY[r] | UINT64_C(1) << (32 + 4 * s);
		card_mask[c] = UINT64_C(1) << (16 * s + r);
	}
	uint16_t flush[8192];
	for (unsigned m = 0; m < 8192; m++)
		flush[m] = __builtin_popcount(m) >= 5 ? value_of(best_of_flush(m)) : 0;
	uint32_t *offset = malloc(sizeof *offset * (size_t)nrows);
	if (offset == NULL)
		fail("out of memory");
	for (int r = 0; r < nrows; r++)
		offset[r] = row_base[r] - ((uint32_t)r << EVAL_ROW_SHIFT);

	printf("/* Generated by lib/eval_gen.c: do not edit. %d rank keys, "
	       "%d rows, %d slots. */\n",
	       nkeys, nrows, table_size);
	printf("#include \"poker/eval_tables.h\"\n\n");
	emit_u64("const uint64_t eval_card_key[256]", card_key, 256);
	emit_u64("const uint64_t eval_card_mask[256]", card_mask, 256);
	emit_u16("const uint16_t eval_flush_table[8192]", flush, 8192);
	char decl[96];
	snprintf(decl, sizeof decl, "const uint32_t eval_row_offset[%d]", nrows);
	emit_u32(decl, offset, nrows);
	snprintf(decl, sizeof decl, "const uint16_t eval_rank_table[%d]", table_size);
	emit_u16(decl, table, table_size);
	uint32_t ranks[NCLASSES];
	for (int i = 0; i < NCLASSES; i++)
		ranks[i] = classes[i] & 0xfffff;
	emit_u32("const uint32_t eval_class_ranks[7462]", ranks, NCLASSES);
	emit_u16("const uint16_t eval_category_first[10]", category_first, 10);
	free(offset);
}

int main(void)
{
	build_classes();
	nkeys = 0;
	each_multiset(5, 7, collect_key);
	check_keys_distinct();
	build_hash();
	emit();
	if (fflush(stdout) != 0 || ferror(stdout))
		fail("write error");
	fprintf(stderr, "eval_gen: %d classes, %d keys, %d rows, %d slots\n", NCLASSES, nkeys,
		nrows, table_size);
	return 0;
}
