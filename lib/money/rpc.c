/* rpc — JSON-RPC 2.0 over libcurl with timeouts, budget and retries.
 * See rpc.h. */
#include "money/rpc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "core/log.h"

struct rpc {
	CURL *curl;
	struct curl_slist *headers;
	char url[RPC_URL_MAX];
	struct rpc_options o;
	int64_t deadline_ms;   /* monotonic; 0 = no budget */
	int64_t next_id;
	int64_t last_code;
	char last_error[RPC_ERROR_SIZE];
	/* the answer being received */
	char *body;
	size_t len, cap;
	int too_big;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int64_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int fail(struct rpc *r, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct rpc *r, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->last_error, sizeof r->last_error, fmt, ap);
	va_end(ap);
	return err;
}

int rpc_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? RPC_OK
								  : RPC_ENOMEM;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct rpc *r = arg;
	size_t add = size * n;

	if (r->len + add > RPC_MAX_RESPONSE) {
		r->too_big = 1;
		return 0; /* aborts the transfer */
	}
	if (r->len + add + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;
		char *b;

		while (cap < r->len + add + 1)
			cap *= 2;
		b = realloc(r->body, cap);
		if (b == NULL)
			return 0;
		r->body = b;
		r->cap = cap;
	}
	memcpy(r->body + r->len, p, add);
	r->len += add;
	r->body[r->len] = '\0';
	return add;
}

struct rpc *rpc_open(const char *url, const struct rpc_options *o)
{
	struct rpc *r;

	if (url == NULL || url[0] == '\0' || strlen(url) >= RPC_URL_MAX)
		return NULL;
	r = calloc(1, sizeof *r);
	if (r == NULL)
		return NULL;
	snprintf(r->url, sizeof r->url, "%s", url);
	r->o = *o;
	r->curl = curl_easy_init();
	r->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (r->curl == NULL || r->headers == NULL) {
		rpc_close(r);
		return NULL;
	}
	curl_easy_setopt(r->curl, CURLOPT_URL, r->url);
	curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->headers);
	curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(r->curl, CURLOPT_FOLLOWLOCATION, 0L);
	/* Threads: timeouts must not use SIGALRM. */
	curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(r->curl, CURLOPT_USERAGENT, "felt");
	curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, r);
	return r;
}

void rpc_close(struct rpc *r)
{
	if (r == NULL)
		return;
	if (r->curl)
		curl_easy_cleanup(r->curl);
	curl_slist_free_all(r->headers);
	free(r->body);
	free(r);
}

void rpc_set_budget(struct rpc *r, int64_t ms)
{
	r->deadline_ms = ms > 0 ? now_ms() + ms : 0;
}

const char *rpc_last_error(const struct rpc *r)
{
	return r->last_error;
}

int64_t rpc_last_code(const struct rpc *r)
{
	return r->last_code;
}

/* Milliseconds left in the budget (INT64_MAX without one). */
static int64_t remaining(const struct rpc *r)
{
	return r->deadline_ms ? r->deadline_ms - now_ms() : INT64_MAX;
}

/* Judge a JSON-RPC 2.0 answer to request id.  Takes root. */
static int judge(struct rpc *r, struct json_object *root, int64_t id,
		 struct json_object **result)
{
	struct json_object *v, *err, *res;
	int has_result, has_error;

	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "jsonrpc", &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "2.0") != 0 ||
	    !json_object_object_get_ex(root, "id", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != id) {
		json_object_put(root);
		return fail(r, RPC_EPROTOCOL, "answer is not JSON-RPC 2.0 for this request");
	}
	has_result = json_object_object_get_ex(root, "result", &res);
	has_error = json_object_object_get_ex(root, "error", &err);
	if (has_result == has_error) {
		json_object_put(root);
		return fail(r, RPC_EPROTOCOL, "answer has %s result and error",
			    has_result ? "both" : "neither");
	}
	if (has_error) {
		struct json_object *code = NULL, *msg = NULL;

		json_object_object_get_ex(err, "code", &code);
		json_object_object_get_ex(err, "message", &msg);
		r->last_code = json_object_is_type(code, json_type_int)
				       ? json_object_get_int64(code) : 0;
		fail(r, RPC_ERROR, "%s", json_object_is_type(msg, json_type_string)
			? json_object_get_string(msg) : "error without a message");
		json_object_put(root);
		return r->last_code == RPC_CODE_LIMIT_EXCEEDED ? RPC_EUNAVAILABLE
							       : RPC_ERROR;
	}
	*result = json_object_get(res);
	json_object_put(root);
	return RPC_OK;
}

/* Parse the received body as JSON; NULL (with last_error) when it is not. */
static struct json_object *parse_body(struct rpc *r)
{
	struct json_tokener *tok = json_tokener_new_ex(RPC_MAX_DEPTH);
	struct json_object *root;

	if (tok == NULL || r->body == NULL)
		goto bad;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, r->body, (int)r->len);
	/* Only whitespace may follow the value (geth ends with a newline). */
	if (root == NULL ||
	    (size_t)tok->char_offset + strspn(r->body + tok->char_offset, " \t\r\n") != r->len) {
		json_object_put(root);
		goto bad;
	}
	json_tokener_free(tok);
	return root;
bad:
	json_tokener_free(tok);
	fail(r, RPC_EPROTOCOL, "answer is not JSON");
	return NULL;
}

/* One HTTP exchange.  body is the request text. */
static int attempt(struct rpc *r, const char *body, int64_t id,
		   int64_t timeout_ms, struct json_object **result)
{
	struct json_object *root;
	long status = 0;
	CURLcode cc;

	r->len = 0;
	r->too_big = 0;
	r->last_code = 0;
	curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(r->curl, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(r->o.connect_timeout_ms < timeout_ms
					? r->o.connect_timeout_ms : timeout_ms));
	curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	cc = curl_easy_perform(r->curl);
	if (r->too_big)
		return fail(r, RPC_EPROTOCOL, "answer larger than %d bytes", RPC_MAX_RESPONSE);
	if (cc != CURLE_OK)
		return fail(r, cc == CURLE_OUT_OF_MEMORY ? RPC_ENOMEM : RPC_EUNAVAILABLE,
			    "node unreachable: %s", curl_easy_strerror(cc));
	curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 429 || status == 502 || status == 503 || status == 504)
		return fail(r, RPC_EUNAVAILABLE, "node busy: HTTP %ld", status);
	root = parse_body(r);
	if (root == NULL)
		return status == 200 ? RPC_EPROTOCOL
		     : fail(r, status >= 500 ? RPC_EUNAVAILABLE : RPC_EHTTP,
			    "node answered HTTP %ld", status);
	/* Some nodes send JSON-RPC errors with a 4xx/5xx status: the JSON-RPC
	 * answer is the one that counts. */
	return judge(r, root, id, result);
}

int rpc_call(struct rpc *r, const char *method, struct json_object *params,
	     int retry, struct json_object **result)
{
	struct json_object *req;
	const char *text;
	int64_t id, pause = r ? r->o.backoff_ms : 0;
	int rc = RPC_EUNAVAILABLE;

	*result = NULL;
	if (r == NULL || method == NULL || method[0] == '\0') {
		json_object_put(params);
		return RPC_EARG;
	}
	r->last_error[0] = '\0';
	id = ++r->next_id;
	req = json_object_new_object();
	json_object_object_add(req, "jsonrpc", json_object_new_string("2.0"));
	json_object_object_add(req, "id", json_object_new_int64(id));
	json_object_object_add(req, "method", json_object_new_string(method));
	json_object_object_add(req, "params", params ? params : json_object_new_array());
	text = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	for (int64_t n = 0;; n++) {
		int64_t left = remaining(r);

		if (left <= 0) {
			rc = fail(r, RPC_EUNAVAILABLE, "node did not answer within the time budget");
			break;
		}
		rc = attempt(r, text, id, left < r->o.timeout_ms ? left : r->o.timeout_ms,
			     result);
		if (rc != RPC_EUNAVAILABLE || !retry || n >= r->o.retries ||
		    remaining(r) <= pause)
			break;
		log_event(LOG_DEBUG, "rpc_retry", "method=%s attempt=%lld pause_ms=%lld",
			  method, (long long)(n + 1), (long long)pause);
		sleep_ms(pause);
		pause *= 2;
	}
	json_object_put(req);
	return rc;
}

const char *rpc_strerror(int err)
{
	switch (err) {
	case RPC_OK: return "ok";
	case RPC_EUNAVAILABLE: return "node unavailable";
	case RPC_ERROR: return "node refused the call";
	case RPC_EPROTOCOL: return "malformed answer from the node";
	case RPC_EHTTP: return "node answered an HTTP error";
	case RPC_ENOMEM: return "out of memory";
	case RPC_EARG: return "bad argument";
	}
	return "unknown rpc error";
}
