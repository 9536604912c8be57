/*
 * pyjson — JSON text exactly as Python's json.dumps(obj, sort_keys=True,
 * ensure_ascii=True, separators=(",", ":")) writes it.
 *
 * Open Poker's state_hash (reference/openpoker.md §2) is the SHA-256 of that
 * text, and clients recompute it from the frame they parsed, so felt must
 * spell every value the way Python does: keys sorted by code point, every
 * character outside printable ASCII as a lowercase \uXXXX escape (surrogate
 * pairs above U+FFFF), and floats as Python's repr (5.0, 0.1, 1e+16,
 * 1.5e-05).  felt also sends such frames in this spelling, so that what a
 * client parses hashes to what felt hashed.  No state, thread-safe.
 */
#ifndef FELT_PYJSON_H
#define FELT_PYJSON_H

#include <json-c/json.h>
#include <stddef.h>
#include <time.h>

#define PYJSON_FLOAT_SIZE 32
#define PYJSON_TIME_SIZE 40

/*
 * pyjson_dumps — obj as Python's compact, sorted, ASCII json.dumps, in a
 * malloc'd NUL-terminated string (the caller frees it; *len, when not NULL,
 * gets its length).  NULL when memory is short.
 */
char *pyjson_dumps(struct json_object *obj, size_t *len);

/*
 * pyjson_members — o's top-level members, each "key":value spelled as
 * above, sorted by key, so that pyjson_join can join them with other
 * objects' members: a part many frames share is spelled once.  0, or -1
 * when o is not an object or memory is short (m is then empty).  Free with
 * pyjson_members_free.
 */
struct pyjson_member {
	size_t key;      /* offset of its NUL-terminated key in keys */
	size_t at, len;  /* its spelling in text */
};

struct pyjson_members {
	struct pyjson_member *m;
	int n;
	char *text, *keys;
};

int pyjson_members(struct json_object *o, struct pyjson_members *m);
void pyjson_members_free(struct pyjson_members *m);

/*
 * pyjson_join — the object made of every member of parts[0..nparts), as
 * pyjson_dumps would spell it (malloc'd, NUL-terminated; *len its length
 * when not NULL); NULL when memory is short.  The parts have no key in
 * common.
 */
char *pyjson_join(const struct pyjson_members *const *parts, int nparts, size_t *len);

/*
 * pyjson_float — d spelled as Python's repr(d) (json.dumps' spelling:
 * NaN, Infinity, -Infinity for the special values) into out.
 */
void pyjson_float(double d, char out[PYJSON_FLOAT_SIZE]);

/*
 * pyjson_isoformat — the UTC time ts as Python's
 * datetime.isoformat() with microseconds writes it, the timestamp spelling
 * of Open Poker's frames: "2026-12-06T13:00:00.123456+00:00".
 */
void pyjson_isoformat(const struct timespec *ts, char out[PYJSON_TIME_SIZE]);

#endif
