/* bot_http — non-blocking HTTP requests on the lws loop.  See bot_http.h. */
#include "bot_http.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct http_req {
	lws_sorted_usec_list_t sul; /* the request's timeout, or a deferred failure */
	struct lws_context *cx;
	struct lws *wsi;
	bot_http_cb cb;
	void *user;
	int status;
	int retry_after_s;
	bool in_start;   /* inside lws_client_connect_via_info */
	bool wsi_gone;   /* the connection ended (closed or failed) */
	bool finished;   /* cb was called */
	bool body_sent;
	char auth[320];
	size_t body_len;
	unsigned char *body; /* LWS_PRE bytes of room, then body_len bytes */
	size_t resp_len;
	char resp[BOT_HTTP_MAX_BODY + 1];
};

static void finish(struct http_req *r, int status)
{
	if (r->finished)
		return;
	r->finished = true;
	lws_sul_cancel(&r->sul);
	r->resp[r->resp_len] = '\0';
	r->cb(r->user, status, r->resp, r->resp_len, r->retry_after_s);
}

static void release(struct http_req *r)
{
	lws_sul_cancel(&r->sul);
	free(r->body);
	free(r);
}

/* The connection is over: answer if not yet answered, then free (unless still starting). */
static void wsi_end(struct http_req *r)
{
	r->wsi = NULL;
	r->wsi_gone = true;
	if (r->in_start)
		return;
	finish(r, 0); /* closed before the response was complete */
	release(r);
}

/* Timeout, or the failure of a request whose connection never started. */
static void on_sul(lws_sorted_usec_list_t *sul)
{
	struct http_req *r = lws_container_of(sul, struct http_req, sul);

	finish(r, 0);
	if (r->wsi)
		lws_set_timeout(r->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
	else
		release(r);
}

static int append_headers(struct http_req *r, struct lws *wsi, void *in, size_t len)
{
	unsigned char **p = (unsigned char **)in, *end = *p + len;
	char clen[24];

	if (r->auth[0] &&
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
					 (unsigned char *)r->auth, (int)strlen(r->auth), p, end))
		return -1;
	if (!r->body)
		return 0;
	snprintf(clen, sizeof clen, "%zu", r->body_len);
	if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_TYPE,
					 (unsigned char *)"application/json", 16, p, end) ||
	    lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_CONTENT_LENGTH,
					 (unsigned char *)clen, (int)strlen(clen), p, end))
		return -1;
	lws_client_http_body_pending(wsi, 1);
	lws_callback_on_writable(wsi);
	return 0;
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		    void *in, size_t len)
{
	struct http_req *r = (struct http_req *)user;
	char buf[LWS_PRE + 4096], *p;
	int n;

	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		return r ? append_headers(r, wsi, in, len) : 0;
	case LWS_CALLBACK_CLIENT_HTTP_WRITEABLE:
		if (!r || !r->body || r->body_sent)
			return 0;
		r->body_sent = true;
		lws_client_http_body_pending(wsi, 0);
		if (lws_write(wsi, r->body + LWS_PRE, r->body_len, LWS_WRITE_HTTP_FINAL) !=
		    (int)r->body_len)
			return -1;
		return 0;
	case LWS_CALLBACK_ESTABLISHED_CLIENT_HTTP:
		if (!r)
			return 0;
		r->status = (int)lws_http_client_http_response(wsi);
		if (lws_hdr_copy(wsi, buf, 32, WSI_TOKEN_HTTP_RETRY_AFTER) > 0)
			r->retry_after_s = atoi(buf);
		return 0;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP:
		p = buf + LWS_PRE;
		n = (int)sizeof buf - LWS_PRE;
		return lws_http_client_read(wsi, &p, &n) < 0 ? -1 : 0;
	case LWS_CALLBACK_RECEIVE_CLIENT_HTTP_READ:
		if (r) {
			size_t room = BOT_HTTP_MAX_BODY - r->resp_len;
			size_t take = len < room ? len : room;

			memcpy(r->resp + r->resp_len, in, take);
			r->resp_len += take;
		}
		return 0;
	case LWS_CALLBACK_COMPLETED_CLIENT_HTTP:
		if (r)
			finish(r, r->status);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLOSED_CLIENT_HTTP:
		if (r) {
			lws_set_wsi_user(wsi, NULL);
			wsi_end(r);
		}
		return 0;
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const uint32_t no_backoff_ms[] = { 1000 };

const lws_retry_bo_t bot_no_validity = {
	.retry_ms_table = no_backoff_ms,
	.retry_ms_table_count = 1,
	.conceal_count = 1,
	.secs_since_valid_ping = 0,
	.secs_since_valid_hangup = 0, /* 0: lws arms no validity timer */
};

const struct lws_protocols bot_http_protocol = {
	"felt-bot-http", callback, 0, 0, 0, NULL, 0,
};

int bot_http_start(struct lws_context *cx, const struct bot_url *base, const char *method,
		   const char *path, const char *bearer, const char *body, bot_http_cb cb,
		   void *user)
{
	struct lws_client_connect_info i;
	struct http_req *r = calloc(1, sizeof *r);
	char host[BOT_URL_HOST_MAX + 8];

	if (!r)
		return -1;
	r->cx = cx;
	r->cb = cb;
	r->user = user;
	if (bearer)
		snprintf(r->auth, sizeof r->auth, "Bearer %s", bearer);
	if (body) {
		r->body_len = strlen(body);
		r->body = malloc(LWS_PRE + r->body_len + 1);
		if (!r->body) {
			free(r);
			return -1;
		}
		memcpy(r->body + LWS_PRE, body, r->body_len + 1);
	}
	snprintf(host, sizeof host, "%s:%d", base->host, base->port);
	memset(&i, 0, sizeof i);
	i.context = cx;
	i.address = base->host;
	i.port = base->port;
	i.ssl_connection = base->tls ? LCCSCF_USE_SSL : 0;
	i.path = path;
	i.host = host;
	i.origin = host;
	i.method = method;
	i.protocol = bot_http_protocol.name;
	i.local_protocol_name = bot_http_protocol.name;
	i.userdata = r;
	i.pwsi = &r->wsi;
	i.alpn = "http/1.1";
	i.retry_and_idle_policy = &bot_no_validity;
	r->in_start = true;
	if (!lws_client_connect_via_info(&i))
		r->wsi_gone = true;
	r->in_start = false;
	if (r->wsi_gone) {
		/* Failed at once: answer from the loop, never from inside the caller. */
		r->wsi = NULL;
		lws_sul_schedule(cx, 0, &r->sul, on_sul, 1);
	} else {
		lws_sul_schedule(cx, 0, &r->sul, on_sul,
				 (lws_usec_t)BOT_HTTP_TIMEOUT_S * LWS_US_PER_SEC);
	}
	return 0;
}
