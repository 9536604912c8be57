/*
 * pyjson.c — Python's json.dumps spelling (sorted, compact, ASCII).
 */
#include "core/pyjson.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct buf {
	char *p;
	size_t n, cap;
	bool failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->n + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Python's repr: the shortest digits that read back as d, in fixed
 * notation when the decimal point falls within -4 < decpt <= 16 (with ".0"
 * on whole numbers), else d.ddde+XX. */
void pyjson_float(double d, char out[PYJSON_FLOAT_SIZE])
{
	char tmp[40], digits[20], *e;
	int p, exp10, nd = 0, decpt, i, o = 0;

	if (isnan(d)) {
		snprintf(out, PYJSON_FLOAT_SIZE, "NaN");
		return;
	}
	if (isinf(d)) {
		snprintf(out, PYJSON_FLOAT_SIZE, "%sInfinity", d < 0 ? "-" : "");
		return;
	}
	if (d == 0) {
		snprintf(out, PYJSON_FLOAT_SIZE, "%s0.0", signbit(d) ? "-" : "");
		return;
	}
	for (p = 1; p <= 17; p++) {
		snprintf(tmp, sizeof(tmp), "%.*e", p - 1, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* tmp: [-]d[.ddd]e[+-]XX */
	e = strchr(tmp, 'e');
	exp10 = atoi(e + 1);
	for (i = 0; tmp + i < e; i++)
		if (tmp[i] >= '0' && tmp[i] <= '9')
			digits[nd++] = tmp[i];
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	decpt = exp10 + 1;
	if (d < 0)
		out[o++] = '-';
	if (decpt <= -4 || decpt > 16) {
		out[o++] = digits[0];
		if (nd > 1) {
			out[o++] = '.';
			for (i = 1; i < nd; i++)
				out[o++] = digits[i];
		}
		snprintf(out + o, (size_t)(PYJSON_FLOAT_SIZE - o), "e%c%02d", exp10 < 0 ? '-' : '+',
			 abs(exp10));
		return;
	}
	if (decpt <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -decpt; i++)
			out[o++] = '0';
		for (i = 0; i < nd; i++)
			out[o++] = digits[i];
	} else if (decpt >= nd) {
		for (i = 0; i < nd; i++)
			out[o++] = digits[i];
		for (; i < decpt; i++)
			out[o++] = '0';
		out[o++] = '.';
		out[o++] = '0';
	} else {
		for (i = 0; i < nd; i++) {
			if (i == decpt)
				out[o++] = '.';
			out[o++] = digits[i];
		}
	}
	out[o] = '\0';
}

/* One UTF-8 sequence at s (n bytes left) -> code point; *used bytes.  An
 * invalid byte stands for itself (U+0080..U+00FF), as a Latin-1 reading. */
static uint32_t utf8_next(const unsigned char *s, size_t n, size_t *used)
{
	uint32_t c = s[0];
	int more, i;

	*used = 1;
	if (c < 0x80)
		return c;
	more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
	if (more < 0 || (size_t)more >= n)
		return c;
	c &= 0x3f >> more;
	for (i = 1; i <= more; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return s[0];
		c = (c << 6) | (s[i] & 0x3f);
	}
	*used = (size_t)more + 1;
	return c;
}

static void put_string(struct buf *b, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, run, used;
	char esc[16];

	put(b, "\"", 1);
	while (i < n) {
		uint32_t c;

		/* Most text is printable ASCII: copied a run at a time. */
		for (run = i; run < n && s[run] >= 0x20 && s[run] <= 0x7e && s[run] != '"' &&
			      s[run] != '\\';
		     run++)
			;
		if (run > i) {
			put(b, str + i, run - i);
			i = run;
			continue;
		}
		c = utf8_next(s + i, n - i, &used);
		i += used;
		switch (c) {
		case '"': puts_(b, "\\\""); continue;
		case '\\': puts_(b, "\\\\"); continue;
		case '\n': puts_(b, "\\n"); continue;
		case '\r': puts_(b, "\\r"); continue;
		case '\t': puts_(b, "\\t"); continue;
		case '\b': puts_(b, "\\b"); continue;
		case '\f': puts_(b, "\\f"); continue;
		default: break;
		}
		if (c > 0xffff) {
			c -= 0x10000;
			snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xd800 + (c >> 10),
				 0xdc00 + (c & 0x3ff));
			puts_(b, esc);
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			puts_(b, esc);
		}
	}
	put(b, "\"", 1);
}

static int cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_value(struct buf *b, struct json_object *v);

/* An object's keys in Python's order (code point order: strcmp on UTF-8);
 * keys is room for n of them. */
static void sorted_keys(struct json_object *o, const char **keys, int n)
{
	int i = 0;

	json_object_object_foreach(o, k, val)
	{
		(void)val;
		if (i < n)
			keys[i++] = k;
	}
	qsort(keys, (size_t)i, sizeof(*keys), cmp_keys);
}

/* Objects are small (a frame's widest has about 20 keys): their keys are
 * sorted on the stack unless they are many. */
#define SMALL_OBJECT 32

static void put_object(struct buf *b, struct json_object *o)
{
	int n = json_object_object_length(o), i;
	const char *small[SMALL_OBJECT], **keys = small;

	if (n > SMALL_OBJECT && !(keys = calloc((size_t)n, sizeof(*keys)))) {
		b->failed = true;
		return;
	}
	sorted_keys(o, keys, n);
	put(b, "{", 1);
	for (i = 0; i < n; i++) {
		if (i)
			put(b, ",", 1);
		put_string(b, keys[i], strlen(keys[i]));
		put(b, ":", 1);
		put_value(b, json_object_object_get(o, keys[i]));
	}
	put(b, "}", 1);
	if (keys != small)
		free(keys);
}

static void put_value(struct buf *b, struct json_object *v)
{
	char num[PYJSON_FLOAT_SIZE];
	size_t i, n;

	switch (json_object_get_type(v)) {
	case json_type_null:
		puts_(b, "null");
		break;
	case json_type_boolean:
		puts_(b, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%" PRId64, json_object_get_int64(v));
		puts_(b, num);
		break;
	case json_type_double:
		pyjson_float(json_object_get_double(v), num);
		puts_(b, num);
		break;
	case json_type_string:
		put_string(b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		break;
	case json_type_array:
		n = json_object_array_length(v);
		put(b, "[", 1);
		for (i = 0; i < n; i++) {
			if (i)
				put(b, ",", 1);
			put_value(b, json_object_array_get_idx(v, i));
		}
		put(b, "]", 1);
		break;
	case json_type_object:
		put_object(b, v);
		break;
	}
}

char *pyjson_dumps(struct json_object *obj, size_t *len)
{
	struct buf b = { 0 };

	put_value(&b, obj);
	if (b.failed || !b.p) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.n;
	return b.p;
}

int pyjson_members(struct json_object *o, struct pyjson_members *out)
{
	int n = json_object_get_type(o) == json_type_object ? json_object_object_length(o) : -1;
	const char *small[SMALL_OBJECT], **keys = small;
	struct buf text = { 0 }, names = { 0 };
	int i;

	memset(out, 0, sizeof(*out));
	if (n < 0)
		return -1;
	if (n > SMALL_OBJECT && !(keys = calloc((size_t)n, sizeof(*keys))))
		return -1;
	out->m = calloc((size_t)(n ? n : 1), sizeof(*out->m));
	if (!out->m) {
		if (keys != small)
			free(keys);
		return -1;
	}
	sorted_keys(o, keys, n);
	for (i = 0; i < n; i++) {
		out->m[i].key = names.n;
		put(&names, keys[i], strlen(keys[i]) + 1);
		out->m[i].at = text.n;
		put_string(&text, keys[i], strlen(keys[i]));
		put(&text, ":", 1);
		put_value(&text, json_object_object_get(o, keys[i]));
		out->m[i].len = text.n - out->m[i].at;
	}
	if (keys != small)
		free(keys);
	out->n = n;
	out->text = text.p;
	out->keys = names.p;
	if (text.failed || names.failed) {
		pyjson_members_free(out);
		return -1;
	}
	return 0;
}

void pyjson_members_free(struct pyjson_members *m)
{
	free(m->m);
	free(m->text);
	free(m->keys);
	memset(m, 0, sizeof(*m));
}

struct joined {
	const char *key, *text;
	size_t len;
};

static int cmp_joined(const void *a, const void *b)
{
	return strcmp(((const struct joined *)a)->key, ((const struct joined *)b)->key);
}

char *pyjson_join(const struct pyjson_members *const *parts, int nparts, size_t *len)
{
	struct joined small[SMALL_OBJECT], *all = small;
	struct buf b = { 0 };
	int i, j, n = 0;

	for (i = 0; i < nparts; i++)
		n += parts[i]->n;
	if (n > SMALL_OBJECT && !(all = calloc((size_t)n, sizeof(*all))))
		return NULL;
	for (n = 0, i = 0; i < nparts; i++)
		for (j = 0; j < parts[i]->n; j++) {
			const struct pyjson_member *m = &parts[i]->m[j];

			all[n++] = (struct joined){ parts[i]->keys + m->key, parts[i]->text + m->at,
						    m->len };
		}
	qsort(all, (size_t)n, sizeof(*all), cmp_joined);
	put(&b, "{", 1);
	for (i = 0; i < n; i++) {
		if (i)
			put(&b, ",", 1);
		put(&b, all[i].text, all[i].len);
	}
	put(&b, "}", 1);
	if (all != small)
		free(all);
	if (b.failed) {
		free(b.p);
		return NULL;
	}
	if (len)
		*len = b.n;
	return b.p;
}

void pyjson_isoformat(const struct timespec *ts, char out[PYJSON_TIME_SIZE])
{
	struct tm tm;
	size_t n;

	gmtime_r(&ts->tv_sec, &tm);
	n = strftime(out, PYJSON_TIME_SIZE, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, PYJSON_TIME_SIZE - n, ".%06ld+00:00", ts->tv_nsec / 1000);
}
