/*
 * request.c — parsing FastCGI parameters, query strings and bodies into a
 * struct request, with every size bounded.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* strndup, asprintf, strcasecmp */
#endif
#include "request.h"

#include "core/json.h"
#include "core/utf8.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *env_get(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, n) == 0 && (*envp)[n] == '=')
			return *envp + n + 1;
	return NULL;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

ssize_t request_percent_decode(char *dst, const char *src, size_t len,
			       int plus_is_space)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		char c = src[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hexval((unsigned char)src[i + 1]);
			lo = hexval((unsigned char)src[i + 2]);
			/* An encoded NUL would silently cut C strings short. */
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			dst[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			dst[o++] = ' ';
		} else if (c == '\0') {
			return -1;
		} else {
			dst[o++] = c;
		}
	}
	dst[o] = '\0';
	/* Decoded bytes become database parameters and log fields: what is
	 * not strict UTF-8 would be refused by PostgreSQL (a 5xx) or read
	 * as something else by a lenient reader. */
	if (utf8_validate(dst, o, NULL) != UTF8_OK)
		return -1;
	return (ssize_t)o;
}

static char *decode_dup(const char *src, size_t len)
{
	char *dst = malloc(len + 1);

	if (!dst)
		return NULL;
	if (request_percent_decode(dst, src, len, 1) < 0) {
		free(dst);
		errno = EINVAL;
		return NULL;
	}
	return dst;
}

static int parse_query(struct request *req)
{
	const char *p = req->query;

	while (*p) {
		const char *amp = strchr(p, '&');
		size_t seg = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', seg);
		size_t nlen = eq ? (size_t)(eq - p) : seg;
		struct request_pair *pair;

		if (seg > 0) {
			if (req->n_query == REQUEST_MAX_QUERY_PAIRS)
				return REQUEST_EQUERY;
			pair = &req->query_pairs[req->n_query];
			errno = 0;
			pair->name = decode_dup(p, nlen);
			pair->value = eq ? decode_dup(eq + 1, seg - nlen - 1)
					 : strdup("");
			if (!pair->name || !pair->value) {
				free(pair->name);
				free(pair->value);
				pair->name = pair->value = NULL;
				return errno == EINVAL ? REQUEST_EQUERY
						       : REQUEST_ENOMEM;
			}
			req->n_query++;
		}
		p += seg;
		if (*p == '&')
			p++;
	}
	return REQUEST_OK;
}

static int dup_header(char **dst, const char *value)
{
	if (!value)
		return REQUEST_OK;
	if (strlen(value) > REQUEST_MAX_HEADER)
		return REQUEST_EHEADER;
	*dst = strdup(value);
	return *dst ? REQUEST_OK : REQUEST_ENOMEM;
}

static int parse_length(struct request *req, const char *v)
{
	char *end;
	long long n;

	req->content_length = -1;
	if (!v || !*v)
		return REQUEST_OK;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || *end || n < 0 || !isdigit((unsigned char)*v))
		return REQUEST_ELENGTH;
	req->content_length = n;
	return REQUEST_OK;
}

static int parse_target(struct request *req, char *const *envp)
{
	const char *uri = env_get(envp, "REQUEST_URI");
	const char *qs = env_get(envp, "QUERY_STRING");
	size_t plen;

	if (!uri || !*uri)
		uri = env_get(envp, "DOCUMENT_URI");
	if (!uri || uri[0] != '/')
		return REQUEST_EPATH;
	plen = strcspn(uri, "?#");
	if (plen > REQUEST_MAX_PATH) {
		/* Keep its beginning: the answer is still in the path's
		 * dialect (/v1 or not). */
		req->path = strndup(uri, 16);
		return req->path ? REQUEST_EURI : REQUEST_ENOMEM;
	}
	req->path = strndup(uri, plen);
	if (!req->path)
		return REQUEST_ENOMEM;
	/* QUERY_STRING is what the server parsed; fall back to the URI's. */
	if (!qs)
		qs = uri[plen] == '?' ? uri + plen + 1 : "";
	if (strlen(qs) > REQUEST_MAX_QUERY)
		return REQUEST_EQUERY;
	req->query = strndup(qs, strcspn(qs, "#"));
	return req->query ? REQUEST_OK : REQUEST_ENOMEM;
}

int request_parse_env(struct request *req, char *const *envp)
{
	const char *method = env_get(envp, "REQUEST_METHOD");
	size_t i;
	int rc;

	memset(req, 0, sizeof(*req));
	req->content_length = -1;
	rc = parse_target(req, envp);
	if (rc)
		return rc;
	if (!method || !*method || strlen(method) >= sizeof(req->method))
		return REQUEST_EMETHOD;
	for (i = 0; method[i]; i++)
		if (!isupper((unsigned char)method[i]))
			return REQUEST_EMETHOD;
	memcpy(req->method, method, i + 1);
	if ((rc = parse_query(req)) ||
	    (rc = dup_header(&req->authorization,
			     env_get(envp, "HTTP_AUTHORIZATION"))) ||
	    (rc = dup_header(&req->content_type,
			     env_get(envp, "CONTENT_TYPE"))) ||
	    (rc = dup_header(&req->remote_addr, env_get(envp, "REMOTE_ADDR"))))
		return rc;
	return parse_length(req, env_get(envp, "CONTENT_LENGTH"));
}

/* Read and drop input until end or until `limit` bytes have gone by. */
static void discard_input(request_reader_fn read, void *ctx, size_t limit)
{
	char scratch[8192];
	size_t total = 0;
	ssize_t n;

	while (total < limit &&
	       (n = read(ctx, scratch, sizeof(scratch))) > 0)
		total += (size_t)n;
}

int request_read_body(struct request *req, request_reader_fn read, void *ctx,
		      size_t max_bytes, size_t discard_limit)
{
	size_t cap, len = 0;
	char *buf;

	if (req->content_length > 0 &&
	    (unsigned long long)req->content_length > max_bytes) {
		discard_input(read, ctx, discard_limit);
		return REQUEST_ETOOLARGE;
	}
	/* Without a declared length, read up to one byte past the limit to
	 * learn whether the body is too large. */
	cap = req->content_length >= 0 ? (size_t)req->content_length
				       : max_bytes + 1;
	buf = malloc(cap + 1);
	if (!buf) {
		discard_input(read, ctx, discard_limit);
		return REQUEST_ENOMEM;
	}
	while (len < cap) {
		ssize_t n = read(ctx, buf + len, cap - len);

		if (n < 0) {
			free(buf);
			return REQUEST_EREAD;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max_bytes) {
		free(buf);
		discard_input(read, ctx, discard_limit);
		return REQUEST_ETOOLARGE;
	}
	buf[len] = '\0';
	req->body = buf;
	req->body_len = len;
	if (req->content_length >= 0 && len < (size_t)req->content_length)
		return REQUEST_EREAD;
	return REQUEST_OK;
}

int request_json_body(const struct request *req, int max_depth,
		      struct json_object **out, char *err, size_t errlen)
{
	size_t i;
	int rc;

	*out = NULL;
	if (err && errlen)
		err[0] = '\0';
	for (i = 0; i < req->body_len; i++)
		if (!isspace((unsigned char)req->body[i]))
			break;
	if (!req->body || i == req->body_len)
		return REQUEST_EEMPTY;
	rc = json_parse(req->body, req->body_len, max_depth, out, err, errlen);
	if (rc == JSON_OK)
		return REQUEST_OK;
	return rc == JSON_ERR_DEPTH ? REQUEST_EDEPTH : REQUEST_EJSON;
}

const char *request_query_get(const struct request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_query; i++)
		if (strcmp(req->query_pairs[i].name, name) == 0)
			return req->query_pairs[i].value;
	return NULL;
}

const char *request_param(const struct request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->n_params; i++)
		if (strcmp(req->params[i].name, name) == 0)
			return req->params[i].value;
	return NULL;
}

const char *request_bearer(const struct request *req)
{
	const char *v = req->authorization;

	if (!v)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	if (strncasecmp(v, "Bearer", 6) == 0 && (v[6] == ' ' || v[6] == '\t')) {
		v += 7;
		while (*v == ' ' || *v == '\t')
			v++;
	}
	return *v ? v : NULL;
}

static void free_pairs(struct request_pair *pairs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(pairs[i].name);
		free(pairs[i].value);
	}
}

void request_free(struct request *req)
{
	free(req->path);
	free(req->query);
	free_pairs(req->query_pairs, req->n_query);
	free_pairs(req->params, req->n_params);
	free(req->authorization);
	free(req->content_type);
	free(req->remote_addr);
	free(req->body);
	memset(req, 0, sizeof(*req));
	req->content_length = -1;
}

const char *request_strerror(int err)
{
	switch (err) {
	case REQUEST_OK: return "success";
	case REQUEST_ENOMEM: return "out of memory";
	case REQUEST_EMETHOD: return "invalid request method";
	case REQUEST_EPATH: return "invalid request path";
	case REQUEST_EURI: return "request path too long";
	case REQUEST_EQUERY: return "invalid or too long query string";
	case REQUEST_ETOOLARGE: return "request body too large";
	case REQUEST_EREAD: return "request body incomplete";
	case REQUEST_EEMPTY: return "request body is empty";
	case REQUEST_EJSON: return "request body is not valid JSON";
	case REQUEST_EDEPTH: return "request body JSON is nested too deeply";
	case REQUEST_EHEADER: return "request header too long";
	case REQUEST_ELENGTH: return "invalid Content-Length";
	}
	return "unknown request error";
}
