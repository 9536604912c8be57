/*
 * json — thin helpers over json-c for request parsing and responses.
 *
 * Parsing is strict (RFC 8259: no comments, no trailing commas, no junk
 * after the value), bounded in size and depth, and reports one readable
 * error.  Getters distinguish "missing", "null", "wrong type" and "ok" so
 * handlers can answer 422 with a precise message.
 *
 * Money must never pass through a double: json_number_text() returns the
 * number exactly as the client wrote it ("10.50", "1e2", "12345678901234567890")
 * for the money parser to read.  Ownership follows json-c: pointers returned
 * by getters belong to the object and live as long as it does.
 */
#ifndef FELT_JSON_H
#define FELT_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_MAX_BYTES (1024 * 1024) /* hard cap on input size */
#define JSON_DEFAULT_DEPTH 16        /* nesting limit for request bodies */
#define JSON_MAX_DEPTH 1000          /* larger max_depth values are clamped */
#define JSON_NUMBER_TEXT_MAX 64      /* longest number text json_number_text returns */
#define JSON_NUMBER_SCAN_MAX 256     /* longest number with a fraction or exponent accepted */
#define JSON_EXPONENT_MAX 1000       /* largest exponent (either sign) written in a number */

enum json_error {
	JSON_OK = 0,
	JSON_ERR_SYNTAX = -1,   /* not valid JSON (or junk after the value) */
	JSON_ERR_DEPTH = -2,    /* nested deeper than max_depth */
	JSON_ERR_TOO_BIG = -3,  /* input longer than JSON_MAX_BYTES */
	JSON_ERR_MISSING = -4,  /* member absent (or obj is not an object) */
	JSON_ERR_NULL = -5,     /* member present and null */
	JSON_ERR_TYPE = -6,     /* member present with another type */
	JSON_ERR_RANGE = -7,    /* integer does not fit int64_t */
	JSON_ERR_SPACE = -8,    /* output buffer too small */
};

/* json_strerror — static English text for a json_error code. */
const char *json_strerror(int err);

/*
 * json_parse — parse the n bytes at p (need not be NUL-terminated) as one
 * JSON value of any type, nesting at most max_depth levels (<= 0 means
 * JSON_DEFAULT_DEPTH).  Leading/trailing whitespace is allowed, anything
 * else after the value is an error, as is a NUL byte in the input, and so
 * are json-c's extensions (single quotes, NaN, Infinity) and integers it
 * would clamp (below INT64_MIN, above UINT64_MAX): RFC 8259 §9 lets a
 * parser limit the range of numbers, never silently change them.  For the
 * same reason a number with a fraction or exponent must be within binary64
 * (no overflow to infinity, no non-zero value underflowing), with an
 * exponent within +-JSON_EXPONENT_MAX and at most JSON_NUMBER_SCAN_MAX
 * characters ({"a":1e9000} is refused).  The bytes must be strict UTF-8
 * (utf8.h: no overlongs, surrogates or values above U+10FFFF), and strings
 * must not hold \u0000 (keys included: json-c would cut them) or an
 * unpaired surrogate escape (json-c would replace it with U+FFFD).
 * On success *out is a new reference the caller releases with
 * json_object_put() and JSON_OK is returned; the document `null` is a
 * success with *out == NULL (json-c represents null as NULL).  On failure *out is NULL, a
 * negative json_error is returned and, if err is not NULL, a one-line
 * human message (with the byte offset) is written there (errlen bytes).
 */
int json_parse(const char *p, size_t n, int max_depth,
	       struct json_object **out, char *err, size_t errlen);

/*
 * json_parse_max — json_parse with another size limit than JSON_MAX_BYTES:
 * at most max_bytes (and never more than INT32_MAX), for documents that
 * are not request bodies (stored hand logs).
 */
int json_parse_max(const char *p, size_t n, int max_depth, size_t max_bytes,
		   struct json_object **out, char *err, size_t errlen);

/* json_get_string — *out = string member key of obj (owned by obj).
 * A string containing U+0000 is JSON_ERR_TYPE: C code would truncate it. */
int json_get_string(struct json_object *obj, const char *key,
		    const char **out);

/*
 * json_get_int64 — *out = integer member key.  A number with a fraction or
 * exponent ("1.0", "1e3") is JSON_ERR_TYPE; an integer beyond int64_t (and
 * INT64_MIN itself, which json-c uses for "too small") is JSON_ERR_RANGE.
 * Strings are JSON_ERR_TYPE (no coercion).
 */
int json_get_int64(struct json_object *obj, const char *key, int64_t *out);

/*
 * json_get_whole — like json_get_int64, but a whole number written as a
 * float ("2000.0", "6e1") is accepted too: JSON does not tell them apart
 * and bots written in JavaScript or Python send either.  A fraction
 * ("2.5") is JSON_ERR_TYPE; beyond +-9e15 JSON_ERR_RANGE.
 */
int json_get_whole(struct json_object *obj, const char *key, int64_t *out);

/* json_get_bool — *out = boolean member key (true/false only). */
int json_get_bool(struct json_object *obj, const char *key, bool *out);

/* json_get_object — *out = object member key (borrowed from obj). */
int json_get_object(struct json_object *obj, const char *key,
		    struct json_object **out);

/* json_get_array — *out = array member key (borrowed from obj). */
int json_get_array(struct json_object *obj, const char *key,
		   struct json_object **out);

/*
 * json_number_text — the source text of number value v, exactly as it was
 * parsed (for integers json-c keeps the value, which is exact, so the text
 * is its decimal form), into buf (size len).  JSON_ERR_TYPE if v is not a
 * number, JSON_ERR_NULL if v is NULL/null, JSON_ERR_SPACE if buf is too
 * small, JSON_ERR_RANGE for an integer outside int64_t (json-c clamps
 * those, so their text is lost) or a text of JSON_NUMBER_TEXT_MAX bytes or
 * more.  json-c accepts "1." as a number; the money parser must judge the
 * text.  Only meaningful on values produced by json_parse.
 */
int json_number_text(struct json_object *v, char *buf, size_t len);

/*
 * json_get_number_text — json_number_text of member key of obj, with the
 * MISSING/NULL/TYPE distinctions of the other getters.
 */
int json_get_number_text(struct json_object *obj, const char *key,
			 char *buf, size_t len);

/*
 * json_to_string — compact serialization of obj without escaping '/'.
 * The string is owned by obj and valid until obj is changed or freed.
 * obj NULL gives "null".
 */
const char *json_to_string(struct json_object *obj);

/* json_to_string_len — json_to_string, also storing the length in *len. */
const char *json_to_string_len(struct json_object *obj, size_t *len);

#endif
