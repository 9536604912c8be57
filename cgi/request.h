/*
 * request.h — one HTTP request as felt-api sees it.
 *
 * Built from the FastCGI parameters (a CGI-style environment array) so that
 * nothing here depends on libfcgi: unit tests build requests from plain
 * arrays. Everything the request owns (path, decoded query pairs, body, path
 * parameters filled in by the router) is freed by request_free(). Every input
 * is bounded: a request that exceeds a limit is refused with an error code,
 * never truncated silently.
 */
#ifndef FELT_CGI_REQUEST_H
#define FELT_CGI_REQUEST_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

#define REQUEST_MAX_PATH 2048       /* bytes of the raw path */
#define REQUEST_MAX_QUERY 4096      /* bytes of the raw query string */
#define REQUEST_MAX_QUERY_PAIRS 32
#define REQUEST_MAX_PARAMS 4        /* {name} segments in one route */
#define REQUEST_MAX_HEADER 8192     /* bytes of one header value we keep */

enum request_error {
	REQUEST_OK = 0,
	REQUEST_ENOMEM = -1,
	REQUEST_EMETHOD = -2,      /* missing or absurd REQUEST_METHOD */
	REQUEST_EPATH = -3,        /* missing or not absolute */
	REQUEST_EQUERY = -4,       /* too long, too many pairs, bad escape */
	REQUEST_ETOOLARGE = -5,    /* body over the configured limit */
	REQUEST_EREAD = -6,        /* body shorter than Content-Length */
	REQUEST_EEMPTY = -7,       /* JSON expected, body empty */
	REQUEST_EJSON = -8,        /* body is not valid JSON */
	REQUEST_EDEPTH = -9,       /* JSON nested deeper than allowed */
	REQUEST_EHEADER = -10,     /* header value too long */
	REQUEST_ELENGTH = -11,     /* CONTENT_LENGTH not a number */
	REQUEST_EURI = -12,        /* path longer than REQUEST_MAX_PATH */
};

struct request_pair {
	char *name;
	char *value;
};

struct request {
	char method[16];
	char *path;                 /* raw path, no query; e.g. "/v1/tables/abc" */
	char *query;                /* raw query string, "" when absent */
	struct request_pair query_pairs[REQUEST_MAX_QUERY_PAIRS];
	size_t n_query;
	char *authorization;        /* Authorization header or NULL */
	char *content_type;         /* Content-Type or NULL */
	char *remote_addr;          /* client address as nginx saw it, or NULL */
	long long content_length;   /* -1 when the header is absent */
	char *body;                 /* NUL-terminated; NULL until read */
	size_t body_len;
	/* filled by router_match(): values point into params_buf storage */
	struct request_pair params[REQUEST_MAX_PARAMS];
	size_t n_params;
};

/*
 * A body source: reads up to n bytes into buf, returns the count, 0 at end
 * of input, or -1 on error. felt-api wraps FCGX_GetStr in one; tests read
 * from memory.
 */
typedef ssize_t (*request_reader_fn)(void *ctx, char *buf, size_t n);

/*
 * request_parse_env: fill req from a NULL-terminated "NAME=value" array (the
 * FastCGI parameters). Uses REQUEST_METHOD, REQUEST_URI (falling back to
 * DOCUMENT_URI), QUERY_STRING, HTTP_AUTHORIZATION, CONTENT_TYPE,
 * CONTENT_LENGTH and REMOTE_ADDR. The query string is split and
 * percent-decoded ('+' is a space). req is always left in a state that
 * request_free() accepts, even on error, and req->path is set whenever it
 * could be read so the error can be answered in the right format.
 * Returns REQUEST_OK or a negative enum request_error.
 */
int request_parse_env(struct request *req, char *const *envp);

/*
 * request_read_body: read the body from `read` into req->body (owned by req,
 * NUL-terminated). At most max_bytes are kept; when the declared length or
 * the actual data exceeds it the rest is read and thrown away (up to
 * discard_limit bytes in total, so the web server is never left blocked
 * writing to us) and REQUEST_ETOOLARGE is returned. REQUEST_EREAD when the
 * input ends before the declared Content-Length or the reader fails.
 */
int request_read_body(struct request *req, request_reader_fn read, void *ctx,
		      size_t max_bytes, size_t discard_limit);

/*
 * request_json_body: parse req->body strictly as one JSON value with at most
 * max_depth levels of nesting (json_parse() of lib/core/json.h). On success *out
 * receives a new reference the caller must json_object_put(). Returns
 * REQUEST_OK, REQUEST_EEMPTY (no body or only whitespace), REQUEST_EJSON or
 * REQUEST_EDEPTH; *out is NULL then and err (errlen bytes, may be NULL)
 * holds the parser's one-line message.
 */
int request_json_body(const struct request *req, int max_depth,
		      struct json_object **out, char *err, size_t errlen);

/*
 * request_query_get: the decoded value of the first query parameter called
 * name, or NULL. The string is owned by req.
 */
const char *request_query_get(const struct request *req, const char *name);

/*
 * request_param: the decoded value of the path parameter called name
 * (a "{name}" segment of the matched route), or NULL. Owned by req.
 */
const char *request_param(const struct request *req, const char *name);

/*
 * request_bearer: the credential from "Authorization: Bearer <token>"
 * (scheme matched case-insensitively), or the raw header value when it has
 * no scheme (MoltPoker clients send the bare key). NULL when absent or
 * empty. Owned by req.
 */
const char *request_bearer(const struct request *req);

/*
 * request_percent_decode: decode src[0..len) into dst (which must hold len+1
 * bytes), turning '+' into ' ' when plus_is_space. Returns the decoded length,
 * or -1 on a malformed escape, an encoded NUL byte, or a result that is not
 * strict UTF-8 (lib/core/utf8.h: "%C0%AF" is not a way to spell '/').
 */
ssize_t request_percent_decode(char *dst, const char *src, size_t len,
			       int plus_is_space);

/* request_free: release everything req owns; req may be reused after. */
void request_free(struct request *req);

/* request_strerror: a static English description of a request_error. */
const char *request_strerror(int err);

#endif
