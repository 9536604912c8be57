/* json — strict bounded parsing and typed getters over json-c.  See json.h. */
#include "core/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

/*
 * What json-c accepts in strict mode but JSON does not, found by a scan
 * outside strings (where valid JSON has only punctuation, numbers and
 * true/false/null): 'single-quoted' strings, NaN, Infinity, and integers
 * json-c cannot hold and would silently clamp (below INT64_MIN or above
 * UINT64_MAX). Returns the offending byte's offset and names it in *what,
 * or -1 when there is none.
 */
static long extension_outside_string(const char *p, size_t n, const char **what)
{
	bool in_string = false;

	for (size_t i = 0; i < n; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = false;
		} else if (p[i] == '"') {
			in_string = true;
		} else if (p[i] == '\'') {
			*what = "single-quoted string";
			return (long)i;
		} else if (p[i] == 'N' || p[i] == 'I') {
			*what = "NaN or Infinity";
			return (long)i;
		} else if ((p[i] >= '0' && p[i] <= '9') || p[i] == '-') {
			size_t start = i, d = p[i] == '-' ? i + 1 : i, end = d;
			bool integer;

			while (end < n && p[end] >= '0' && p[end] <= '9')
				end++;
			integer = end == n || (p[end] != '.' && p[end] != 'e' &&
					       p[end] != 'E');
			/* Skip the rest of the number: fraction and exponent
			 * digits are not integers of their own. */
			for (i = end; i < n && p[i] != '\0' &&
				     strchr("0123456789.eE+-", p[i]); i++)
				;
			i--;
			/* A double keeps its source text; an integer is held
			 * in an int64 or uint64 or clamped. */
			if (integer && digits_exceed(p + d, end - d, p[start] == '-'
				? "9223372036854775808" : "18446744073709551615")) {
				*what = "integer out of range";
				return (long)start;
			}
		}
	}
	return -1;
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
	const char *what;
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
	if ((bad = extension_outside_string(p, n, &what)) >= 0)
		return fail(JSON_ERR_SYNTAX, err, errlen, what, (size_t)bad);
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
