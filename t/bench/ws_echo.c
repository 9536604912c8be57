/*
 * t/bench/ws_echo — the ceiling for WebSocket traffic through nginx on this
 * machine: a libwebsockets echo server and a libwebsockets load client, in
 * one small program, so that felt-wsd's figures (t/bench/ws_play.sh) read
 * against what lws + nginx alone can carry.
 *
 *   ws_echo serve PORT
 *       echo every text message on 127.0.0.1:PORT (any path), until SIGTERM/SIGINT
 *   ws_echo load URL CONNS SECONDS [SIZE]
 *       open CONNS connections to URL (ws://host:port/path), each keeping one
 *       SIZE-byte message (default 400, about a 6-seat game_state) in flight:
 *       send, wait for the echo, send again.  After one second of warm-up,
 *       counts for SECONDS and prints one line:
 *       ws_echo: conns=.. size=.. seconds=.. round_trips_per_s=.. messages_per_s=..
 *                rtt_p50_us=.. rtt_p99_us=.. errors=..
 *       (messages = frames in both directions, as felt-bot counts them)
 *
 * One thread, lws's default poll loop, as felt-wsd and felt-bot run.
 */
#include <libwebsockets.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bot_stats.h"
#include "bot_url.h"

#define ECHO_MAX 16384

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---- server: one pending message per connection, echoed when writable ---- */

struct echo_session {
	size_t len;
	bool pending;
	unsigned char buf[LWS_PRE + ECHO_MAX];
};

static int serve_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct echo_session *s = user;

	switch (reason) {
	case LWS_CALLBACK_ESTABLISHED:
		s->len = 0;
		s->pending = false;
		return 0;
	case LWS_CALLBACK_RECEIVE:
		if (s->pending || s->len + len > ECHO_MAX)
			return -1; /* the load client never has two messages in flight */
		memcpy(s->buf + LWS_PRE + s->len, in, len);
		s->len += len;
		if (lws_is_final_fragment(wsi) && !lws_remaining_packet_payload(wsi)) {
			s->pending = true;
			lws_callback_on_writable(wsi);
		}
		return 0;
	case LWS_CALLBACK_SERVER_WRITEABLE:
		if (!s->pending)
			return 0;
		if (lws_write(wsi, s->buf + LWS_PRE, s->len, LWS_WRITE_TEXT) < (int)s->len)
			return -1;
		s->pending = false;
		s->len = 0;
		return 0;
	default:
		return 0;
	}
}

static int serve(int port)
{
	static const struct lws_protocols protocols[] = {
		{ "echo", serve_cb, sizeof(struct echo_session), 4096, 0, NULL, 0 },
		{ NULL, NULL, 0, 0, 0, NULL, 0 }
	};
	struct lws_context_creation_info info;
	struct lws_context *cx;

	memset(&info, 0, sizeof info);
	info.port = port;
	info.iface = "127.0.0.1";
	/* lws 4.1 listens on every interface for "127.0.0.1" unless IPv6 is off */
	info.options = LWS_SERVER_OPTION_DISABLE_IPV6;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	cx = lws_create_context(&info);
	if (!cx) {
		fprintf(stderr, "ws_echo: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	while (!stop && lws_service(cx, 0) >= 0)
		;
	lws_context_destroy(cx);
	return 0;
}

/* ---- load client ---- */

struct load {
	struct lws_context *cx;
	struct bot_url url;
	char host[BOT_URL_HOST_MAX + 8];
	size_t size;
	unsigned char *msg;      /* LWS_PRE + size bytes */
	int64_t measure_from, measure_to;
	uint64_t round_trips, errors;
	int open;
	struct bot_latency rtt;
};

struct conn {
	struct load *l;
	struct lws *wsi;
	int64_t sent_us;
	size_t got;
};

static int load_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		   size_t len)
{
	struct conn *c = user;
	int64_t t;

	if (!c)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->l->open++;
		lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		c->sent_us = now_us();
		c->got = 0;
		if (lws_write(wsi, c->l->msg + LWS_PRE, c->l->size, LWS_WRITE_TEXT) < (int)c->l->size)
			return -1;
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		c->got += len;
		if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
			return 0;
		t = now_us();
		if (c->got != c->l->size)
			c->l->errors++;
		if (t >= c->l->measure_from && t < c->l->measure_to) {
			c->l->round_trips++;
			bot_latency_add(&c->l->rtt, (uint64_t)(t - c->sent_us));
		}
		if (t < c->l->measure_to)
			lws_callback_on_writable(wsi);
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		if (reason == LWS_CALLBACK_CLIENT_CLOSED)
			c->l->open--;
		if (now_us() < c->l->measure_to)
			c->l->errors++;
		c->wsi = NULL;
		lws_set_wsi_user(wsi, NULL);
		return 0;
	default:
		return 0;
	}
}

static int load(const char *url, int conns, int seconds, size_t size)
{
	static struct lws_protocols protocols[] = {
		{ "echo-load", load_cb, 0, 4096, 0, NULL, 0 },
		{ NULL, NULL, 0, 0, 0, NULL, 0 }
	};
	struct lws_context_creation_info info;
	struct load *l = calloc(1, sizeof *l);
	struct conn *cs = calloc((size_t)conns, sizeof *cs);
	struct rlimit rl;
	int64_t start;

	if (!l || !cs || bot_url_parse(url, &l->url) != BOT_URL_OK || !l->url.ws) {
		fprintf(stderr, "ws_echo: bad URL %s (ws://host:port/path)\n", url);
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	snprintf(l->host, sizeof l->host, "%s:%d", l->url.host, l->url.port);
	l->size = size;
	l->msg = malloc(LWS_PRE + size);
	/* a JSON-looking payload of the right size */
	memset(l->msg + LWS_PRE, 'x', size);
	memcpy(l->msg + LWS_PRE, "{\"type\":\"echo\",\"pad\":\"", 22);
	memcpy(l->msg + LWS_PRE + size - 2, "\"}", 2);
	memset(&info, 0, sizeof info);
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.gid = -1;
	info.uid = -1;
	info.fd_limit_per_thread = (unsigned)conns + 64u;
	l->cx = lws_create_context(&info);
	if (!l->cx)
		return 1;
	start = now_us();
	l->measure_from = start + 1000000 + (int64_t)conns * 2000; /* warm-up: all connected */
	l->measure_to = l->measure_from + (int64_t)seconds * 1000000;
	for (int i = 0; i < conns; i++) {
		struct lws_client_connect_info ci;

		memset(&ci, 0, sizeof ci);
		cs[i].l = l;
		ci.context = l->cx;
		ci.address = l->url.host;
		ci.port = l->url.port;
		ci.path = l->url.path;
		ci.host = l->host;
		ci.origin = l->host;
		ci.local_protocol_name = "echo-load";
		ci.userdata = &cs[i];
		ci.pwsi = &cs[i].wsi;
		if (!lws_client_connect_via_info(&ci))
			l->errors++;
	}
	while (!stop && now_us() < l->measure_to + 200000)
		if (lws_service(l->cx, 0) < 0)
			break;
	printf("ws_echo: conns=%d open=%d size=%zu seconds=%d round_trips_per_s=%.0f "
	       "messages_per_s=%.0f rtt_p50_us=%llu rtt_p99_us=%llu errors=%llu\n",
	       conns, l->open, size, seconds, (double)l->round_trips / seconds,
	       2.0 * (double)l->round_trips / seconds,
	       (unsigned long long)bot_latency_quantile(&l->rtt, 0.5),
	       (unsigned long long)bot_latency_quantile(&l->rtt, 0.99),
	       (unsigned long long)l->errors);
	fflush(stdout);
	lws_context_destroy(l->cx);
	free(l->msg);
	free(cs);
	free(l);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lws_set_log_level(LLL_ERR, NULL);
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return serve(atoi(argv[2]));
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "load") == 0) {
		int conns = atoi(argv[3]), seconds = atoi(argv[4]);
		long size = argc == 6 ? atol(argv[5]) : 400;

		if (conns < 1 || seconds < 1 || size < 32 || size > ECHO_MAX) {
			fprintf(stderr, "ws_echo: CONNS >= 1, SECONDS >= 1, 32 <= SIZE <= %d\n",
				ECHO_MAX);
			return 2;
		}
		return load(argv[2], conns, seconds, (size_t)size);
	}
	fprintf(stderr, "usage: ws_echo serve PORT | ws_echo load URL CONNS SECONDS [SIZE]\n");
	return 2;
}
