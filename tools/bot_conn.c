/* bot_conn — an agent's WebSocket: open, frames in and out, close.  See bot_run.h. */
#include "bot_run.h"

#include <stdlib.h>
#include <string.h>

#include "bot_http.h"
#include "core/log.h"

#define BOT_LOGGED_BAD_FRAMES 10 /* bad frames logged in full; the rest are counted */


static bool molt(const struct bot_agent *a)
{
	return a->run->opts->protocol == BOT_PROTOCOL_MOLTPOKER;
}

static void free_queue(struct bot_agent *a)
{
	while (a->out_count) {
		free(a->outq[a->out_head]);
		a->outq[a->out_head] = NULL;
		a->out_head = (a->out_head + 1) % BOT_OUTQ;
		a->out_count--;
	}
	a->out_head = 0;
}

/* The socket is gone: what was queued for it, and a pending action, go too. */
static void drop_queue(struct bot_agent *a)
{
	free_queue(a);
	a->think_pending = false;
	lws_sul_cancel(&a->sul_think);
	a->action_sent_us = 0;
}

int bot_conn_send(struct bot_agent *a, const char *text, size_t len, bool action)
{
	int slot;
	char *buf;

	if (!a->wsi)
		return -1;
	if (a->out_count == BOT_OUTQ || !(buf = malloc(LWS_PRE + len + 1))) {
		bot_stats_error(&a->run->stats, "client_queue_full");
		return -1;
	}
	memcpy(buf + LWS_PRE, text, len + 1);
	slot = (a->out_head + a->out_count) % BOT_OUTQ;
	a->outq[slot] = buf;
	a->outlen[slot] = len;
	a->outact[slot] = action;
	a->out_count++;
	lws_callback_on_writable(a->wsi);
	if (a->run->opts->verbose >= 2)
		log_event(LOG_DEBUG, "bot_frame_out", "agent=%d frame=%.300s", a->index, text);
	return 0;
}

static void on_think(lws_sorted_usec_list_t *sul)
{
	struct bot_agent *a = lws_container_of(sul, struct bot_agent, sul_think);

	if (a->think_pending && a->wsi && a->state == AG_PLAY)
		bot_conn_send(a, a->think_text, strlen(a->think_text), true);
	a->think_pending = false;
}

/* An answer to send: actions wait --think-ms first, everything else goes at once. */
static void deliver(struct bot_agent *a, const char *text, bool action)
{
	int think = a->run->opts->think_ms;

	if (action && a->run->opts->idle)
		return;
	if (!action || think <= 0) {
		bot_conn_send(a, text, strlen(text), action);
		return;
	}
	snprintf(a->think_text, sizeof a->think_text, "%s", text);
	a->think_pending = true;
	lws_sul_schedule(a->run->cx, 0, &a->sul_think, on_think, (lws_usec_t)think * 1000);
}

static void problem(struct bot_agent *a, int err, bool leak, const char *why, const char *text,
		    size_t len)
{
	struct bot_run *r = a->run;
	char q[160], qf[512], frame[400];

	if (!err)
		return;
	if (leak)
		r->stats.leaks++;
	else
		r->stats.bad_frames++;
	if (r->bad_frame_logs++ >= BOT_LOGGED_BAD_FRAMES)
		return;
	snprintf(frame, sizeof frame, "%.*s", (int)(len < 360 ? len : 360), text);
	log_event(LOG_WARN, leak ? "bot_leak" : "bot_bad_frame", "agent=%d why=%s frame=%s",
		  a->index, log_quote(why, q, sizeof q), log_quote(frame, qf, sizeof qf));
}

static void judged(struct bot_agent *a, int err, const struct bot_out *o, const char *frame,
		   size_t len)
{
	struct bot_run *r = a->run;

	problem(a, err, err == BOT_FRAME_ELEAK, bot_frame_strerror(err), frame, len);
	if (o->error_code[0]) {
		bot_stats_error(&r->stats, o->error_code);
		snprintf(a->close_code, sizeof a->close_code, "%s", o->error_code);
		log_event(LOG_DEBUG, "bot_error_frame", "agent=%d code=%s", a->index, o->error_code);
	}
	if (o->healthy)
		a->attempts = 0; /* the connection works: a later failure starts a fresh count */
	if (o->state && a->action_sent_us) {
		bot_stats_latency(&r->stats, (uint64_t)(bot_now_us() - a->action_sent_us));
		a->action_sent_us = 0;
	}
	if (o->hand_done)
		bot_agent_hand(a);
	if (o->acted)
		log_event(LOG_DEBUG, "bot_action", "agent=%d table=%.8s kind=%s amount=%lld", a->index,
			  a->table_slot >= 0 ? r->tables[a->table_slot].id : "-",
			  bot_kind_name(o->kind), (long long)o->amount_chips);
	if (o->send)
		deliver(a, o->text, o->acted);
}

static void on_molt_frame(struct bot_agent *a, const char *text, size_t len)
{
	struct bot_out o;
	int err = molt_on_frame(&a->p.molt, text, len, &o);

	judged(a, err, &o, text, len);
	if (o.ended) {
		log_event(LOG_DEBUG, "bot_table_ended", "agent=%d table=%s reason=%s", a->index,
			  a->join.table_id, a->p.molt.end_reason[0] ? a->p.molt.end_reason : "-");
		bot_agent_table_ended(a);
	}
}

static void on_open_frame(struct bot_agent *a, const char *text, size_t len)
{
	struct bot_run *r = a->run;
	struct bot_out o;
	int err = open_on_frame(&a->p.open, text, len, &o);

	/* A new table: hands are counted per table (the lobby may seat us anywhere). */
	if (a->p.open.table_id[0] &&
	    (a->table_slot < 0 || strcmp(r->tables[a->table_slot].id, a->p.open.table_id) != 0)) {
		a->hands_before += a->hands_table;
		a->hands_table = 0;
		a->table_slot = bot_run_table(r, a->p.open.table_id);
	}
	judged(a, err, &o, text, len);
	if (o.fatal) {
		char why[160];

		snprintf(why, sizeof why, "server refused the agent: %s%s", o.error_code,
			 strcmp(o.error_code, "insufficient_funds") == 0 ?
			 " (fund the agents and pass them with --keys)" : "");
		bot_agent_fail(a, why);
	} else if (o.ended) {
		bot_agent_done(a);
	}
}

static void on_frame(struct bot_agent *a, const char *text, size_t len)
{
	a->run->stats.frames_in++;
	if (a->run->opts->verbose >= 2)
		log_event(LOG_DEBUG, "bot_frame_in", "agent=%d frame=%.300s", a->index, text);
	if (molt(a))
		on_molt_frame(a, text, len);
	else
		on_open_frame(a, text, len);
}

/* Fragments are gathered into one message (bounded by BOT_RX_MAX). */
static void on_receive(struct bot_agent *a, struct lws *wsi, const char *in, size_t len)
{
	if (a->rx_len + len + 1 > a->rx_cap && !a->rx_overflow) {
		size_t cap = a->rx_cap ? a->rx_cap : 4096;
		char *p;

		while (cap < a->rx_len + len + 1)
			cap *= 2;
		if (cap > BOT_RX_MAX || !(p = realloc(a->rx, cap)))
			a->rx_overflow = true;
		else {
			a->rx = p;
			a->rx_cap = cap;
		}
	}
	if (!a->rx_overflow) {
		memcpy(a->rx + a->rx_len, in, len);
		a->rx_len += len;
	}
	if (!lws_is_final_fragment(wsi) || lws_remaining_packet_payload(wsi))
		return;
	if (a->rx_overflow || lws_frame_is_binary(wsi)) {
		problem(a, -1, false, a->rx_overflow ? "frame too long" : "binary frame", "", 0);
	} else {
		a->rx[a->rx_len] = '\0';
		on_frame(a, a->rx, a->rx_len);
	}
	a->rx_len = 0;
	a->rx_overflow = false;
}

static int on_writeable(struct bot_agent *a, struct lws *wsi)
{
	char *buf;
	size_t len;
	bool action;

	if (!a->out_count) {
		if (a->closing) {
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"bye", 3);
			return -1;
		}
		return 0;
	}
	buf = a->outq[a->out_head];
	len = a->outlen[a->out_head];
	action = a->outact[a->out_head];
	a->outq[a->out_head] = NULL;
	a->out_head = (a->out_head + 1) % BOT_OUTQ;
	a->out_count--;
	if (lws_write(wsi, (unsigned char *)buf + LWS_PRE, len, LWS_WRITE_TEXT) < (int)len) {
		free(buf);
		return -1;
	}
	free(buf);
	a->run->stats.frames_out++;
	if (action) {
		a->run->stats.actions++;
		a->action_sent_us = bot_now_us();
	}
	if (a->out_count || a->closing)
		lws_callback_on_writable(wsi);
	return 0;
}

static void gone(struct bot_agent *a)
{
	a->wsi = NULL;
	a->established = false;
	if (!a->run->finished)
		bot_pool_give(a, BOT_POOL_CONNECT); /* a handshake that failed */
	drop_queue(a);
	a->rx_len = 0;
	a->rx_overflow = false;
	if (a->in_open) {
		a->open_failed = true;
		return;
	}
	if (a->run->finished)
		return;
	bot_agent_ws_closed(a);
}

static int callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in,
		    size_t len)
{
	struct bot_agent *a = user;

	if (!a)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER:
		if (!molt(a)) {
			unsigned char **p = (unsigned char **)in, *end = *p + len;
			char auth[BOT_REST_KEY_MAX + 8];

			snprintf(auth, sizeof auth, "Bearer %s", a->api_key);
			if (lws_add_http_header_by_token(wsi, WSI_TOKEN_HTTP_AUTHORIZATION,
							 (unsigned char *)auth, (int)strlen(auth), p,
							 end))
				return -1;
		}
		return 0;
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		a->established = true;
		bot_pool_give(a, BOT_POOL_CONNECT);
		if (a->state == AG_CONNECT)
			a->state = AG_PLAY;
		if (a->reconnecting)
			a->run->stats.reconnects++;
		a->reconnecting = false;
		log_event(LOG_DEBUG, "bot_connected", "agent=%d", a->index);
		return 0;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		on_receive(a, wsi, in, len);
		return 0;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		return on_writeable(a, wsi);
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		if (len >= 2 && log_enabled(LOG_DEBUG)) {
			char why[128], q[300];

			snprintf(why, sizeof why, "%.*s", (int)(len - 2), (char *)in + 2);
			log_event(LOG_DEBUG, "bot_server_closed", "agent=%d code=%d reason=%s",
				  a->index, ((unsigned char *)in)[0] << 8 | ((unsigned char *)in)[1],
				  log_quote(why, q, sizeof q));
		}
		return 0;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		if (log_enabled(LOG_DEBUG)) {
			char q[300];

			log_event(LOG_DEBUG, "bot_connect_failed", "agent=%d why=%s", a->index,
				  log_quote(in ? (char *)in : "-", q, sizeof q));
		}
		lws_set_wsi_user(wsi, NULL);
		gone(a);
		return 0;
	case LWS_CALLBACK_CLIENT_CLOSED:
		lws_set_wsi_user(wsi, NULL);
		gone(a);
		return 0;
	default:
		return 0;
	}
}

const struct lws_protocols bot_conn_protocol = {
	"felt-bot-ws", callback, 0, 0, 0, NULL, 0,
};

/* The URL to open: the join's ws_url with the session token, or the base's /ws. */
static int target(struct bot_agent *a, struct bot_url *u)
{
	char esc[BOT_REST_TOKEN_MAX * 3], path[BOT_URL_PATH_MAX];
	const struct bot_opts *o = a->run->opts;

	if (!molt(a)) {
		*u = o->base_url;
		u->ws = true;
		return bot_url_join(&o->base_url, "/ws", u->path, sizeof u->path);
	}
	if (bot_url_parse(a->join.ws_url, u) != BOT_URL_OK ||
	    bot_url_query_escape(a->join.session_token, esc, sizeof esc) != 0)
		return -1;
	if ((size_t)snprintf(path, sizeof path, "%s%ctoken=%s&format=agent", u->path,
			     strchr(u->path, '?') ? '&' : '?', esc) >= sizeof path)
		return -1;
	memcpy(u->path, path, sizeof path);
	return 0;
}

void bot_conn_open(struct bot_agent *a)
{
	struct lws_client_connect_info i;
	struct bot_url u;
	char host[BOT_URL_HOST_MAX + 8];

	/* A socket still closing from an earlier table is cut loose: its last callbacks
	 * must not touch the agent, which is about to own a new one. */
	if (a->wsi) {
		lws_set_wsi_user(a->wsi, NULL);
		lws_set_timeout(a->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
		a->wsi = NULL;
		drop_queue(a);
	}
	if (target(a, &u) != 0) {
		bot_agent_fail(a, "ws_url is not a ws:// or wss:// URL (or too long)");
		return;
	}
	snprintf(host, sizeof host, "%s:%d", u.host, u.port);
	memset(&i, 0, sizeof i);
	i.context = a->run->cx;
	i.address = u.host;
	i.port = u.port;
	i.ssl_connection = u.tls ? LCCSCF_USE_SSL : 0;
	i.path = u.path;
	i.host = host;
	i.origin = host;
	i.protocol = NULL; /* no subprotocol: felt's endpoints do not use one */
	i.local_protocol_name = bot_conn_protocol.name;
	i.userdata = a;
	i.pwsi = &a->wsi;
	i.retry_and_idle_policy = &bot_no_validity;
	a->in_open = true;
	a->open_failed = false;
	if (!lws_client_connect_via_info(&i))
		a->open_failed = true;
	a->in_open = false;
	if (a->open_failed) {
		a->wsi = NULL;
		bot_agent_ws_closed(a);
	}
}

void bot_conn_close(struct bot_agent *a)
{
	if (!a->wsi)
		return;
	if (a->established)
		lws_callback_on_writable(a->wsi); /* a close frame once the queue is written */
	else
		lws_set_timeout(a->wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_ASYNC);
}

void bot_conn_free(struct bot_agent *a)
{
	free_queue(a); /* the context is gone: no lws call here */
	free(a->rx);
	a->rx = NULL;
	a->rx_cap = 0;
}
