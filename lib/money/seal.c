/* seal — the ledger's hash chain recipe (sql/032).  See seal.h. */
#include "money/seal.h"

#include "core/hash.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *seal_strerror(int err)
{
	switch (err) {
	case SEAL_OK: return "ok";
	case SEAL_ERR_ARG: return "bad txn or seal (missing field)";
	case SEAL_ERR_NOMEM: return "out of memory";
	}
	return "unknown seal error";
}

/* A growing string; cap 0 after a failed allocation. */
struct buf {
	char *p;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->cap && b->len + n + 1 > b->cap) {
		size_t cap = b->cap;
		char *p;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if (!(p = realloc(b->p, cap))) {
			free(b->p);
			*b = (struct buf){0};
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (!b->cap)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void put_int(struct buf *b, int64_t v)
{
	char s[24];
	int n = snprintf(s, sizeof s, "%" PRId64, v);

	put(b, s, (size_t)n);
}

static bool valid(const struct seal_txn *t)
{
	if (!t || !t->kind || !t->created_at || !t->created_by_json || !t->reference ||
	    t->n_entries < 0 || (t->n_entries > 0 && !t->entries))
		return false;
	for (int i = 0; i < t->n_entries; i++)
		if (!t->entries[i].agent_id || !t->entries[i].account_kind)
			return false;
	return true;
}

char *seal_txn_text(const struct seal_txn *t, size_t *len)
{
	struct buf b = {.cap = 256};

	if (!valid(t) || !(b.p = malloc(b.cap)))
		return NULL;
	b.p[0] = '\0';
	put_int(&b, t->id);
	puts_(&b, "|");
	puts_(&b, t->kind);
	puts_(&b, "|");
	puts_(&b, t->created_at);
	puts_(&b, "|");
	puts_(&b, t->created_by_json);
	puts_(&b, "|");
	puts_(&b, t->reference);
	for (int i = 0; i < t->n_entries; i++) {
		const struct seal_entry *e = &t->entries[i];

		puts_(&b, "\n");
		put_int(&b, e->id);
		puts_(&b, "|");
		put_int(&b, e->account_id);
		puts_(&b, "|");
		puts_(&b, e->agent_id);
		puts_(&b, "|");
		puts_(&b, e->account_kind);
		puts_(&b, "|");
		put_int(&b, e->amount_ucents);
	}
	if (b.p && len)
		*len = b.len;
	return b.p;
}

int seal_txn_hash(const struct seal_txn *t, uint8_t out[SEAL_HASH_SIZE])
{
	size_t len;
	char *text;

	if (!out || !valid(t))
		return SEAL_ERR_ARG;
	if (!(text = seal_txn_text(t, &len)))
		return SEAL_ERR_NOMEM;
	hash_sha256(text, len, out);
	free(text);
	return SEAL_OK;
}

int seal_digest(const uint8_t prev[SEAL_HASH_SIZE], int64_t seal_id, int64_t after,
		      int64_t through, const uint8_t *hashes, size_t n,
		      uint8_t out[SEAL_HASH_SIZE])
{
	char head[4 * 24];
	size_t head_len, total;
	uint8_t *msg;

	if (!prev || !out || (n > 0 && !hashes))
		return SEAL_ERR_ARG;
	head_len = (size_t)snprintf(head, sizeof head, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%zu",
				    seal_id, after, through, n);
	total = SEAL_HASH_SIZE + head_len + n * SEAL_HASH_SIZE;
	if (!(msg = malloc(total)))
		return SEAL_ERR_NOMEM;
	memcpy(msg, prev, SEAL_HASH_SIZE);
	memcpy(msg + SEAL_HASH_SIZE, head, head_len);
	if (n)
		memcpy(msg + SEAL_HASH_SIZE + head_len, hashes, n * SEAL_HASH_SIZE);
	hash_sha256(msg, total, out);
	free(msg);
	return SEAL_OK;
}
