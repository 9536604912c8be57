/*
 * server.c — the lws WebSocket protocol: handshake and routing, message
 * assembly, rate limits, the write queue, closing.
 */
#include "server.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"

#define URI_MAX 512
#define LINGER_MS 200

/* Idle connections get a WebSocket ping after FELT_WSD_PING_S, and are
 * dropped when nothing at all comes back for FELT_WSD_DEAD_S (a dead peer
 * behind a proxy never says goodbye).  felt-wsd sweeps its connections for
 * this itself instead of lws's validity timers: lws 4.1 keeps its timers in
 * one sorted list and re-inserts a connection's validity timer on every
 * frame it receives, a walk of the list that was the largest item of
 * felt-wsd's CPU under play and nearly all of it with thousands of
 * connections (BENCHMARKS.md).  One sweep of the connection list every few
 * seconds costs nothing per frame. */
#define SWEEP_EVERY_MS 1000

/* The route for a request path, and what follows the route's path. */
static const struct server_route *route_for(const struct server *s,
					    const char *path, const char **rest)
{
	int i;

	/* "/wsd/<instance>/..." is how nginx reaches one instance. */
	if (strncmp(path, "/wsd/", 5) == 0) {
		const char *slash = strchr(path + 5, '/');

		if (!slash)
			return NULL;
		path = slash;
	}
	for (i = 0; i < s->nroutes; i++) {
		size_t n = strlen(s->routes[i].path);

		if (strncmp(path, s->routes[i].path, n) == 0 &&
		    (path[n] == '\0' || path[n] == '/')) {
			*rest = path + n;
			return &s->routes[i];
		}
	}
	return NULL;
}

static void list_add(struct server *s, struct conn *c)
{
	c->all_next = s->all;
	if (s->all)
		s->all->all_prev = c;
	s->all = c;
}

static void list_del(struct server *s, struct conn *c)
{
	if (c->all_prev)
		c->all_prev->all_next = c->all_next;
	else if (s->all == c)
		s->all = c->all_next;
	if (c->all_next)
		c->all_next->all_prev = c->all_prev;
	c->all_prev = c->all_next = NULL;
}

static void free_frames(struct conn *c)
{
	struct conn_frame *f = c->head, *next;

	for (; f; f = next) {
		next = f->next;
		free(f);
	}
	c->head = c->tail = NULL;
	c->queued = 0;
}

void conn_ref(struct conn *c)
{
	c->refs++;
}

void conn_unref(struct conn *c)
{
	if (--c->refs > 0)
		return;
	free_frames(c);
	free(c->rx);
	free(c);
}

bool conn_open(const struct conn *c)
{
	return c->wsi && !c->closing;
}

int conn_send(struct conn *c, const char *text, size_t len)
{
	struct conn_frame *f;

	if (!conn_open(c))
		return -1;
	if (c->queued + len > c->srv->cfg->max_queue) {
		log_event(LOG_WARN, "ws_slow_client", "conn=%llu queued=%zu",
			  (unsigned long long)c->id, c->queued);
		free_frames(c);
		conn_close(c, 1008, "Too slow: messages not read");
		return -1;
	}
	f = malloc(sizeof(*f) + LWS_PRE + len);
	if (!f) {
		conn_close(c, 1011, "Out of memory");
		return -1;
	}
	f->next = NULL;
	f->len = len;
	memcpy(f->buf + LWS_PRE, text, len);
	if (c->tail)
		c->tail->next = f;
	else
		c->head = f;
	c->tail = f;
	c->queued += len;
	lws_callback_on_writable(c->wsi);
	return 0;
}

void conn_close(struct conn *c, int code, const char *reason)
{
	if (!c->wsi || c->closing)
		return;
	c->closing = true;
	c->close_code = code;
	snprintf(c->close_reason, sizeof(c->close_reason), "%s", reason ? reason : "");
	lws_callback_on_writable(c->wsi);
}

void conn_pause(struct conn *c, bool paused)
{
	if (!c->wsi || c->rx_paused == paused)
		return;
	c->rx_paused = paused;
	lws_rx_flow_control(c->wsi, paused ? 0 : 1);
}

const char *conn_query_arg(struct conn *c, const char *name, char *buf, size_t len)
{
	char key[32], tmp[URI_MAX];
	const char *v;
	size_t n;

	if (!c->wsi || snprintf(key, sizeof(key), "%s=", name) >= (int)sizeof(key))
		return NULL;
	v = lws_get_urlarg_by_name(c->wsi, key, tmp, (int)sizeof(tmp));
	if (!v)
		return NULL;
	n = strlen(v);
	if (n >= len)
		return NULL;
	memcpy(buf, v, n + 1);
	return buf;
}

const char *conn_authorization(struct conn *c, char *buf, size_t len)
{
	int n;

	if (!c->wsi || len > INT_MAX)
		return NULL;
	n = lws_hdr_total_length(c->wsi, WSI_TOKEN_HTTP_AUTHORIZATION);
	if (n <= 0 || (size_t)n >= len)
		return NULL;
	if (lws_hdr_copy(c->wsi, buf, (int)len, WSI_TOKEN_HTTP_AUTHORIZATION) < 0)
		return NULL;
	return buf;
}

/* A token bucket: FELT_WSD_RATE messages a second, FELT_WSD_RATE_BURST at
 * once.  Returns false when the message is over the limit. */
static bool rate_take(struct conn *c)
{
	const struct wsdconf *cfg = c->srv->cfg;
	int64_t now = loop_mono_ms(), cap = (int64_t)cfg->rate_burst * 1000;

	c->tokens += (now - c->refilled_ms) * cfg->rate_per_s;
	c->refilled_ms = now;
	if (c->tokens > cap)
		c->tokens = cap;
	if (c->tokens < 1000)
		return false;
	c->tokens -= 1000;
	return true;
}

/* The dialect's own rate (codec.rate_per_s): at most that many messages in
 * any second.  passed_ms holds when the last rate_per_s went through; the
 * oldest of them must be a second old.  Returns false when the message is
 * over the limit. */
static bool window_take(struct conn *c)
{
	int n = c->codec->rate_per_s;
	int64_t now = loop_mono_ms(), *oldest;

	if (n > CONN_RATE_MAX)
		n = CONN_RATE_MAX;
	oldest = &c->passed_ms[c->passed_next % n];
	if (*oldest && now - *oldest < 1000)
		return false;
	*oldest = now;
	c->passed_next = (c->passed_next + 1) % n;
	return true;
}

static void on_message(struct conn *c)
{
	bool sliding = c->codec->rate_per_s > 0;

	if (sliding ? !window_take(c) && !(c->codec->rate_exempt &&
					     c->codec->rate_exempt(c, c->rx, c->rx_len))
		    : !rate_take(c)) {
		/* A client that keeps flooding after being told is dropped (a
		 * sliding window counts the refusals in a row: the dialect's own
		 * flood control deals with bursts). */
		if (++c->floods > c->srv->cfg->rate_burst) {
			conn_close(c, 1008, "Too many messages");
			return;
		}
		c->codec->error(c, WSD_ERATE, "Too many messages: slow down");
		return;
	}
	if (sliding)
		c->floods = 0;
	c->srv->frames_in++;
	c->codec->rx(c, c->rx, c->rx_len);
}

static void heard(struct conn *c)
{
	c->heard_ms = loop_mono_ms();
	c->ping_sent = false;
}

static void sweep(void *arg)
{
	struct server *s = arg;
	int64_t now = loop_mono_ms(), ping_ms = (int64_t)s->cfg->ping_s * 1000,
		dead_ms = (int64_t)s->cfg->dead_s * 1000;
	struct conn *c;

	for (c = s->all; c; c = c->all_next) {
		int64_t quiet = now - c->heard_ms;

		if (c->closing)
			continue;
		if (quiet >= dead_ms) {
			log_event(LOG_INFO, "ws_dead", "conn=%llu quiet_ms=%lld",
				  (unsigned long long)c->id, (long long)quiet);
			/* Nothing comes back: no close handshake to wait for. */
			c->closing = c->lingered = true;
			c->close_code = LWS_CLOSE_STATUS_GOINGAWAY;
			snprintf(c->close_reason, sizeof(c->close_reason), "No answer to ping");
			lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_ASYNC);
		} else if (quiet >= ping_ms && !c->ping_sent && !c->ping_due) {
			c->ping_due = true;
			lws_callback_on_writable(c->wsi);
		}
	}
	loop_timer_arm(&s->sweep, SWEEP_EVERY_MS);
}

static int on_receive(struct conn *c, const void *in, size_t len)
{
	size_t max = c->srv->cfg->max_message;

	heard(c);
	if (c->closing)
		return 0;
	if (c->rx_len + len > max) {
		/* The rest of it is read and dropped while the close lingers. */
		c->rx_len = 0;
		conn_close(c, LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE, "Message too large");
		return 0;
	}
	if (c->rx_len + len + 1 > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : 1024;
		char *p;

		while (cap < c->rx_len + len + 1)
			cap *= 2;
		p = realloc(c->rx, cap);
		if (!p)
			return -1;
		c->rx = p;
		c->rx_cap = cap;
	}
	memcpy(c->rx + c->rx_len, in, len);
	c->rx_len += len;
	c->rx[c->rx_len] = '\0';
	if (lws_is_final_fragment(c->wsi) && !lws_remaining_packet_payload(c->wsi)) {
		on_message(c);
		c->rx_len = 0;
	}
	return 0;
}

static int on_writeable(struct conn *c)
{
	struct conn_frame *f = c->head;

	if (c->ping_due && !c->closing) {
		/* With a payload: lws 4.1 does not report an empty pong. */
		unsigned char ping[LWS_PRE + 4];

		memcpy(ping + LWS_PRE, "felt", 4);
		c->ping_due = false;
		c->ping_sent = true;
		if (lws_write(c->wsi, ping + LWS_PRE, 4, LWS_WRITE_PING) < 0)
			return -1;
		if (f)
			lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (f) {
		int n = lws_write(c->wsi, f->buf + LWS_PRE, f->len, LWS_WRITE_TEXT);

		c->head = f->next;
		if (!c->head)
			c->tail = NULL;
		c->queued -= f->len;
		free(f);
		if (n < 0)
			return -1;
		c->srv->frames_out++;
		if (c->head || c->closing)
			lws_callback_on_writable(c->wsi);
		return 0;
	}
	if (c->closing && !c->lingered) {
		if (!loop_timer_armed(&c->linger))
			loop_timer_arm(&c->linger, LINGER_MS);
		return 0;
	}
	if (c->closing) {
		lws_close_reason(c->wsi, (enum lws_close_status)c->close_code,
				 (unsigned char *)c->close_reason, strlen(c->close_reason));
		return -1;
	}
	return 0;
}

static void linger_over(void *arg)
{
	struct conn *c = arg;

	c->lingered = true;
	if (c->wsi)
		lws_callback_on_writable(c->wsi);
}

static int on_established(struct server *s, struct lws *wsi, struct conn **slot)
{
	char uri[URI_MAX];
	const struct server_route *r;
	const char *rest = "";
	struct conn *c;

	if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0)
		return -1;
	r = route_for(s, uri, &rest);
	if (!r)
		return -1;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -1;
	c->id = ++s->next_id;
	c->wsi = wsi;
	c->srv = s;
	c->codec = r->codec;
	c->refs = 1;
	c->seat = -1;
	c->tokens = (int64_t)s->cfg->rate_burst * 1000;
	c->refilled_ms = loop_mono_ms();
	c->heard_ms = c->refilled_ms;
	loop_timer_init(&c->linger, s->loop, linger_over, c);
	*slot = c;
	list_add(s, c);
	s->active++;
	log_event(LOG_DEBUG, "ws_open", "conn=%llu path=%s", (unsigned long long)c->id, uri);
	if (c->codec->open(c, rest) != 0 && !c->closing)
		conn_close(c, 1011, "Cannot open");
	return 0;
}

static void on_closed(struct server *s, struct conn *c)
{
	log_event(LOG_DEBUG, "ws_closed", "conn=%llu", (unsigned long long)c->id);
	c->wsi = NULL;
	c->closing = true;
	loop_timer_cancel(&c->linger);
	list_del(s, c);
	s->active--;
	c->codec->closed(c);
	free_frames(c);
	conn_unref(c);
}

/* A plain HTTP request on the WebSocket port: liveness for the scripts,
 * 426 on a WebSocket path (it exists, but only with an upgrade), JSON 404
 * for anything else. */
static int on_http(struct server *s, struct lws *wsi, const char *path)
{
	static const char ok[] = "{\"status\":\"ok\"}";
	static const char up[] = "{\"error\":{\"code\":\"UPGRADE_REQUIRED\",\"message\":"
				 "\"This is a WebSocket endpoint: connect with an Upgrade: websocket request\"}}";
	static const char nf[] = "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":"
				 "\"WebSocket endpoints only: /v1/ws, /ws\"}}";
	unsigned char buf[LWS_PRE + 512], *start = buf + LWS_PRE, *p = start,
		*end = buf + sizeof(buf) - 1;
	const char *rest;
	unsigned status = HTTP_STATUS_NOT_FOUND;
	const char *body = nf;

	if (strcmp(path, "/health/live") == 0) {
		status = HTTP_STATUS_OK;
		body = ok;
	} else if (route_for(s, path, &rest)) {
		status = 426;
		body = up;
	}
	size_t n = strlen(body);

	if (lws_add_http_common_headers(wsi, status, "application/json", n, &p, end) ||
	    lws_finalize_write_http_header(wsi, start, &p, end))
		return -1;
	memcpy(start, body, n);
	if (lws_write(wsi, start, n, LWS_WRITE_HTTP_FINAL) != (int)n)
		return -1;
	return lws_http_transaction_completed(wsi) ? -1 : 0;
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason,
		       void *user, void *in, size_t len)
{
	struct server *s = lws_context_user(lws_get_context(wsi));
	struct conn **slot = user, *c = slot ? *slot : NULL;
	char uri[URI_MAX];
	const char *rest;

	switch (reason) {
	case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
		if (s->stopping || s->active >= s->cfg->max_connections)
			return 1;
		if (lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0 ||
		    !route_for(s, uri, &rest))
			return 1;
		return 0;
	case LWS_CALLBACK_ESTABLISHED:
		return on_established(s, wsi, slot);
	case LWS_CALLBACK_RECEIVE:
		return c ? on_receive(c, in, len) : -1;
	case LWS_CALLBACK_RECEIVE_PONG:
		if (c)
			heard(c);
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		return c ? on_writeable(c) : 0;
	case LWS_CALLBACK_CLOSED:
		if (c) {
			*slot = NULL;
			on_closed(s, c);
		}
		return 0;
	case LWS_CALLBACK_HTTP:
		return on_http(s, wsi, in ? (const char *)in : "");
	default:
		break;
	}
	return lws_callback_http_dummy(wsi, reason, user, in, len);
}

static const struct lws_protocols protocols[] = {
	/* First: the protocol of upgrades that name none (all of ours). */
	{ "felt-ws", ws_callback, sizeof(struct conn *), 4096, 0, NULL, 0 },
	{ LOOP_RAW_PROTOCOL, loop_raw_callback, 0, 0, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static bool is_ipv4(const char *host)
{
	unsigned a, b, c, d;
	char tail;

	return sscanf(host, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4;
}

int server_start(struct server *s, struct loop *l, const struct wsdconf *cfg)
{
	struct lws_context_creation_info info;

	memset(s, 0, sizeof(*s));
	s->loop = l;
	s->cfg = cfg;
	memset(&info, 0, sizeof(info));
	info.port = cfg->port;
	info.iface = cfg->host;
	info.protocols = protocols;
	info.user = s;
	info.max_http_header_data = 4096;
	info.timeout_secs = 10;
	/* Room for every connection, the database sockets and a margin. */
	info.fd_limit_per_thread = (unsigned)cfg->max_connections + 256;
	info.options = LWS_SERVER_OPTION_VALIDATE_UTF8;
	/* lws 4.1 listens on every interface for "127.0.0.1" unless IPv6 is
	 * off (TEAM.md). */
	if (is_ipv4(cfg->host))
		info.options |= LWS_SERVER_OPTION_DISABLE_IPV6;
	l->ctx = lws_create_context(&info);
	if (!l->ctx) {
		log_event(LOG_ERROR, "lws_start_failed", "addr=%s:%d", cfg->host, cfg->port);
		return -1;
	}
	l->vhost = lws_get_vhost_by_name(l->ctx, "default");
	if (!l->vhost) {
		log_event(LOG_ERROR, "lws_no_vhost", "addr=%s:%d", cfg->host, cfg->port);
		lws_context_destroy(l->ctx);
		l->ctx = NULL;
		return -1;
	}
	loop_timer_init(&s->sweep, l, sweep, s);
	loop_timer_arm(&s->sweep, SWEEP_EVERY_MS);
	return 0;
}

void server_route(struct server *s, const char *path, const struct codec *codec)
{
	if (s->nroutes < SERVER_MAX_ROUTES)
		s->routes[s->nroutes++] = (struct server_route){ path, codec };
}

void server_close_all(struct server *s, int code, const char *reason)
{
	struct conn *c;

	s->stopping = true;
	for (c = s->all; c; c = c->all_next)
		conn_close(c, code, reason);
}

void server_stop(struct server *s)
{
	if (s->loop && s->loop->ctx) {
		loop_timer_cancel(&s->sweep);
		lws_context_destroy(s->loop->ctx);
		s->loop->ctx = NULL;
	}
}
