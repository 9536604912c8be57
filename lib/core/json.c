/* json — strict bounded parsing and typed getters over json-c.  See json.h. */
#include "core/json.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/utf8.h"

const char *json_strerror(int err)
{
	switch (err) {
	case JSON_OK: return "ok";
	case JSON_ERR_SYNTAX: return "malformed JSON";
	case JSON_ERR_DEPTH: return "JSON nested too deeply";
	case JSON_ERR_TOO_BIG: return "JSON document too large";
	case JSON_ERR_MISSING: return "field missing";
	case JSON_ERR_NULL: return "field is null";
	case JSON_ERR_TYPE: return "field has the wrong type";
	case JSON_ERR_RANGE: return "number out of range";
	case JSON_ERR_SPACE: return "buffer too small";
	}
	return "unknown json error";
}

static bool only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return false;
	return true;
}

/* Whether the digits p[0..n) (an integer literal, sign excluded) exceed
 * limit, which is UINT64_MAX or 2^63 written out in decimal. */
static bool digits_exceed(const char *p, size_t n, const char *limit)
{
	size_t ln = strlen(limit);

	while (n > 1 && *p == '0') { /* "-0" only: JSON has no leading zeros */
		p++;
		n--;
	}
	return n > ln || (n == ln && memcmp(p, limit, n) > 0);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * A number with a fraction or an exponent, p[0..n) as written: within
 * binary64 (RFC 8259 §6: the range JSON implementations agree on), so not
 * overflowing to infinity nor underflowing a non-zero value, with an
 * exponent of at most JSON_EXPONENT_MAX digits' worth either way (even
 * "0e-99999" overflows PostgreSQL's numeric) and at most
 * JSON_NUMBER_SCAN_MAX characters.
 */
static bool fraction_in_range(const char *p, size_t n)
{
	char text[JSON_NUMBER_SCAN_MAX + 1];
	const char *e = NULL;
	double v;
	char *end;

	if (n > JSON_NUMBER_SCAN_MAX)
		return false;
	memcpy(text, p, n);
	text[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (text[i] == 'e' || text[i] == 'E')
			e = text + i + 1;
	if (e) {
		long x;

		errno = 0;
		x = strtol(e, &end, 10);
		if (errno || x > JSON_EXPONENT_MAX || x < -JSON_EXPONENT_MAX)
			return false;
	}
	errno = 0;
	v = strtod(text, &end);
	/* glibc sets ERANGE on overflow (HUGE_VAL) and on underflow of a
	 * value that is not zero; a written zero is fine at any exponent. */
	return errno != ERANGE && isfinite(v);
}

/* The 4 hex digits at p[i..i+4), or -1 when there are not 4. */
static long hex4(const char *p, size_t n, size_t i)
{
	long v = 0;

	if (i + 4 > n)
		return -1;
	for (size_t k = i; k < i + 4; k++) {
		char c = p[k];
		int d = is_digit(c) ? c - '0'
			: (c >= 'a' && c <= 'f') ? c - 'a' + 10
			: (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * The escape starting at p[*i] == '\\' inside a string.  \u0000 and an
 * unpaired surrogate escape are refused (what is set, *i unchanged, true);
 * otherwise *i moves to the escape's last byte.  A malformed escape is
 * left to json-c, which refuses it.
 */
static bool bad_escape(const char *p, size_t n, size_t *i, const char **what)
{
	long v, lo;

	if (*i + 1 >= n || p[*i + 1] != 'u' || (v = hex4(p, n, *i + 2)) < 0) {
		(*i)++;
		return false;
	}
	if (v == 0) {
		*what = "NUL character (\\u0000)";
		return true;
	}
	if (v >= 0xDC00 && v <= 0xDFFF) {
		*what = "unpaired surrogate escape";
		return true;
	}
	if (v >= 0xD800 && v <= 0xDBFF) {
		if (*i + 7 >= n || p[*i + 6] != '\\' || p[*i + 7] != 'u' ||
		    (lo = hex4(p, n, *i + 8)) < 0xDC00 || lo > 0xDFFF) {
			*what = "unpaired surrogate escape";
			return true;
		}
		*i += 11;
		return false;
	}
	*i += 5;
	return false;
}

/*
 * The number starting at p[*i] outside a string: integers json-c cannot
 * hold (it clamps them) and fractions beyond binary64 are refused (what
 * set, true); otherwise *i moves to the number's last byte.
 */
static bool bad_number(const char *p, size_t n, size_t *i, const char **what)
{
	size_t start = *i, d = p[start] == '-' ? start + 1 : start, end = d, j;
	bool integer;

	while (end < n && is_digit(p[end]))
		end++;
	integer = end == n || (p[end] != '.' && p[end] != 'e' && p[end] != 'E');
	/* The rest of the number: fraction and exponent digits are not
	 * integers of their own. */
	for (j = end; j < n && p[j] != '\0' && strchr("0123456789.eE+-", p[j]); j++)
		;
	*i = j - 1;
	/* A double keeps its source text; an integer is held in an int64 or
	 * uint64 or clamped. */
	if (integer && digits_exceed(p + d, end - d, p[start] == '-'
		? "9223372036854775808" : "18446744073709551615")) {
		*what = "integer out of range";
		*i = start;
		return true;
	}
	if (!integer && !fraction_in_range(p + start, j - start)) {
		*what = "number out of range";
		*i = start;
		return true;
	}
	return false;
}

/* Containers whose member names scan_raw keeps for its messages. */
#define SCAN_KEY_DEPTH 32

/* Where a bad byte was found, for a message a client can act on. */
struct scan_error {
	const char *what;        /* static text */
	const char *key;         /* the member whose value held it, or NULL */
	size_t key_len;
	bool in_key;             /* it was inside an object key itself */
};

/* From p[i] inside a string, is that string an object key (its closing
 * quote followed, after blanks, by ':')? */
static bool string_is_key(const char *p, size_t n, size_t i)
{
	for (; i < n && p[i] != '"'; i++)
		if (p[i] == '\\')
			i++;
	for (i++; i < n && strchr(" \t\n\r", p[i]) && p[i] != '\0'; i++)
		;
	return i < n && p[i] == ':';
}

/*
 * What json-c would accept or silently change, found by one scan of the
 * raw text before it parses:
 *  - bytes that are not strict UTF-8 (lib/core/utf8.h): json-c's own check
 *    lets overlongs, surrogates and values above U+10FFFF through;
 *  - in strings, \u0000 (json-c cuts object keys at it: {"\u0000":1} became
 *    {"":1}) and unpaired surrogate escapes (json-c turns them into
 *    U+FFFD): once parsed, the evidence is gone, so they are judged here;
 *  - outside strings, where valid JSON has only punctuation, numbers and
 *    true/false/null: 'single-quoted' strings, NaN, Infinity, and numbers
 *    out of range (bad_number).
 * Returns the offending byte's offset and describes it in *e (with the
 * member it was found in), or -1 when there is none.  Malformed JSON is
 * json-c's to refuse; the member names are only a courtesy.
 */
static long scan_raw(const char *p, size_t n, struct scan_error *e)
{
	struct { const char *key; size_t len; } ctx[SCAN_KEY_DEPTH + 1] = { { 0 } };
	size_t string_start = 0, depth = 0, bad = 0;
	bool in_string = false, found = false;

	for (size_t i = 0; i < n && !found; i++) {
		if ((unsigned char)p[i] >= 0x80) {
			uint32_t cp;
			int len = utf8_decode(p + i, n - i, &cp);

			if (len < 0) {
				e->what = utf8_strerror(len);
				found = true;
				bad = i;
			} else {
				i += (size_t)len - 1;
			}
		} else if (in_string) {
			if (p[i] == '"') {
				in_string = false;
				if (depth <= SCAN_KEY_DEPTH && string_is_key(p, n, string_start + 1)) {
					ctx[depth].key = p + string_start + 1;
					ctx[depth].len = i - string_start - 1;
				}
			} else if (p[i] == '\\' && bad_escape(p, n, &i, &e->what)) {
				found = true;
				bad = i;
			}
		} else if (p[i] == '"') {
			in_string = true;
			string_start = i;
		} else if (p[i] == '{' || p[i] == '[') {
			/* A container is named after the member holding it until
			 * its own members are named. */
			if (++depth <= SCAN_KEY_DEPTH)
				ctx[depth] = ctx[depth - 1];
		} else if ((p[i] == '}' || p[i] == ']') && depth > 0) {
			depth--;
		} else if (p[i] == '\'') {
			e->what = "single-quoted string";
			found = true;
			bad = i;
		} else if (p[i] == 'N' || p[i] == 'I') {
			e->what = "NaN or Infinity";
			found = true;
			bad = i;
		} else if ((is_digit(p[i]) || p[i] == '-') &&
			   bad_number(p, n, &i, &e->what)) {
			found = true;
			bad = i;
		}
	}
	if (!found)
		return -1;
	e->in_key = in_string && string_is_key(p, n, bad);
	e->key = depth <= SCAN_KEY_DEPTH && !e->in_key ? ctx[depth].key : NULL;
	e->key_len = e->key ? ctx[depth].len : 0;
	return (long)bad;
}

static int fail(int code, char *err, size_t errlen, const char *what,
		size_t offset)
{
	if (err && errlen)
		snprintf(err, errlen, "%s at byte %zu", what, offset);
	return code;
}

int json_parse(const char *p, size_t n, int max_depth,
	       struct json_object **out, char *err, size_t errlen)
{
	return json_parse_max(p, n, max_depth, JSON_MAX_BYTES, out, err, errlen);
}

int json_parse_max(const char *p, size_t n, int max_depth, size_t max_bytes,
		   struct json_object **out, char *err, size_t errlen)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error e;
	struct scan_error se;
	size_t end;
	long bad;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	if (n > max_bytes || n > INT32_MAX)
		return fail(JSON_ERR_TOO_BIG, err, errlen, "document too large", max_bytes);
	if (!p || n == 0 || only_space(p, n))
		return fail(JSON_ERR_SYNTAX, err, errlen, "empty document", 0);
	if (memchr(p, '\0', n))
		return fail(JSON_ERR_SYNTAX, err, errlen, "NUL byte",
			    (size_t)((const char *)memchr(p, '\0', n) - p));
	if ((bad = scan_raw(p, n, &se)) >= 0) {
		/* Name the member when it is short and plain, so a client
		 * learns which field to fix. */
		if (err && errlen && se.in_key)
			snprintf(err, errlen, "%s in an object key at byte %ld",
				 se.what, bad);
		else if (err && errlen && se.key && se.key_len <= 64 &&
			 !memchr(se.key, '\\', se.key_len))
			snprintf(err, errlen, "%s in \"%.*s\" at byte %ld", se.what,
				 (int)se.key_len, se.key, bad);
		else
			fail(JSON_ERR_SYNTAX, err, errlen, se.what, (size_t)bad);
		return JSON_ERR_SYNTAX;
	}
	if (max_depth <= 0 || max_depth > JSON_MAX_DEPTH)
		max_depth = max_depth <= 0 ? JSON_DEFAULT_DEPTH : JSON_MAX_DEPTH;
	/* json-c's depth counts one more level than the nesting we mean
	 * ("[[1]]" needs 3 there) */
	tok = json_tokener_new_ex(max_depth + 1);
	if (!tok)
		return fail(JSON_ERR_SYNTAX, err, errlen, "out of memory", 0);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, p, (int)n);
	e = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	/* A bare top-level number ("12") is only complete once the tokener
	 * sees the end of input, which json-c signals with a NUL byte. */
	if (!obj && e == json_tokener_continue) {
		obj = json_tokener_parse_ex(tok, "", 1);
		e = json_tokener_get_error(tok);
		if (e == json_tokener_continue)
			e = json_tokener_error_parse_eof;
		if (obj)
			end = n;
	}
	json_tokener_free(tok);
	if (!obj && e == json_tokener_success)
		return JSON_OK; /* the literal null: *out stays NULL */
	if (!obj) {
		return fail(e == json_tokener_error_depth ? JSON_ERR_DEPTH : JSON_ERR_SYNTAX,
			    err, errlen, json_tokener_error_desc(e), end);
	}
	if (end < n && !only_space(p + end, n - end)) {
		json_object_put(obj);
		return fail(JSON_ERR_SYNTAX, err, errlen, "unexpected data after the value", end);
	}
	*out = obj;
	return JSON_OK;
}

/* Look up key and check its type; the common part of every getter. */
static int member(struct json_object *obj, const char *key, enum json_type want,
		  struct json_object **v)
{
	if (!obj || !json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, key, v))
		return JSON_ERR_MISSING;
	if (!*v)
		return JSON_ERR_NULL;
	if (!json_object_is_type(*v, want))
		return JSON_ERR_TYPE;
	return JSON_OK;
}

int json_get_string(struct json_object *obj, const char *key, const char **out)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_string, &v);

	if (rc)
		return rc;
	/* "\u0000" would silently truncate every C consumer downstream. */
	if (strlen(json_object_get_string(v)) != (size_t)json_object_get_string_len(v))
		return JSON_ERR_TYPE;
	*out = json_object_get_string(v);
	return JSON_OK;
}

/* json-c clamps integers it cannot hold to INT64_MIN / UINT64_MAX and
 * keeps values above INT64_MAX as uint64; none of those is an int64. */
static int int_value(struct json_object *v, int64_t *out)
{
	int64_t i;

	if (json_object_get_uint64(v) > (uint64_t)INT64_MAX &&
	    json_object_get_int64(v) >= 0)
		return JSON_ERR_RANGE;
	i = json_object_get_int64(v);
	if (i == INT64_MIN)
		return JSON_ERR_RANGE;
	*out = i;
	return JSON_OK;
}

int json_get_int64(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_int, &v);

	return rc ? rc : int_value(v, out);
}

int json_get_whole(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v;
	double d;
	int rc = member(obj, key, json_type_int, &v);

	if (rc != JSON_ERR_TYPE)
		return rc ? rc : int_value(v, out);
	if (!json_object_is_type(v, json_type_double))
		return JSON_ERR_TYPE;
	d = json_object_get_double(v);
	if (d != floor(d))
		return JSON_ERR_TYPE;
	if (d < -9e15 || d > 9e15)
		return JSON_ERR_RANGE;
	*out = (int64_t)d;
	return JSON_OK;
}

int json_get_bool(struct json_object *obj, const char *key, bool *out)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_boolean, &v);

	if (!rc)
		*out = json_object_get_boolean(v);
	return rc;
}

int json_get_object(struct json_object *obj, const char *key,
		    struct json_object **out)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_object, &v);

	if (!rc)
		*out = v;
	return rc;
}

int json_get_array(struct json_object *obj, const char *key,
		   struct json_object **out)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_array, &v);

	if (!rc)
		*out = v;
	return rc;
}

int json_number_text(struct json_object *v, char *buf, size_t len)
{
	const char *text;
	char tmp[32];
	size_t n;

	if (!v)
		return JSON_ERR_NULL;
	if (json_object_is_type(v, json_type_int)) {
		int64_t i;
		int rc = int_value(v, &i);

		if (rc)
			return rc;
		snprintf(tmp, sizeof tmp, "%" PRId64, i);
		text = tmp;
	} else if (json_object_is_type(v, json_type_double)) {
		/* The tokener installs a serializer that prints the original
		 * source text for parsed doubles, so this is the client's
		 * spelling, never a rounded binary value. */
		text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	} else {
		return JSON_ERR_TYPE;
	}
	n = strlen(text);
	if (n >= len || n >= JSON_NUMBER_TEXT_MAX)
		return n >= JSON_NUMBER_TEXT_MAX ? JSON_ERR_RANGE : JSON_ERR_SPACE;
	memcpy(buf, text, n + 1);
	return JSON_OK;
}

int json_get_number_text(struct json_object *obj, const char *key, char *buf,
			 size_t len)
{
	struct json_object *v;
	int rc = member(obj, key, json_type_int, &v);

	if (rc == JSON_ERR_TYPE && json_object_is_type(v, json_type_double))
		rc = JSON_OK;
	return rc ? rc : json_number_text(v, buf, len);
}

const char *json_to_string_len(struct json_object *obj, size_t *len)
{
	size_t n = 0;
	const char *s = json_object_to_json_string_length(
		obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	if (len)
		*len = n;
	return s;
}

const char *json_to_string(struct json_object *obj)
{
	return json_to_string_len(obj, NULL);
}
