/*
 * fakerpc — a tiny scripted HTTP server on 127.0.0.1 for the JSON-RPC
 * client tests: each request gets the next scripted reply (status, body,
 * optional delay, or a hang-up without answer); "%ID%" in a body is
 * replaced by the request's JSON-RPC id.  The method of every request is
 * recorded.  One connection per request (Connection: close).
 * Header-only: static inline helpers, one server thread.
 */
#ifndef FELT_FAKERPC_H
#define FELT_FAKERPC_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#define FAKERPC_MAX 64

struct fake_reply {
	int status;          /* HTTP status; 0 = hang up without answering */
	const char *body;    /* "%ID%" becomes the request's id */
	int delay_ms;        /* pause before answering */
};

struct fakerpc {
	int fd;
	int port;
	pthread_t thread;
	pthread_mutex_t lock;
	struct fake_reply replies[FAKERPC_MAX];
	size_t n_replies, next;
	char methods[FAKERPC_MAX][64];
	size_t n_requests;
	char last_params[4096];
	volatile int stop;
};

static inline void fakerpc_sleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Read one request (headers, then Content-Length bytes) into buf. */
static inline size_t fakerpc_read(int c, char *buf, size_t cap)
{
	size_t len = 0;
	char *body;

	for (;;) {
		ssize_t n = recv(c, buf + len, cap - 1 - len, 0);

		if (n <= 0)
			return 0;
		len += (size_t)n;
		buf[len] = '\0';
		body = strstr(buf, "\r\n\r\n");
		if (body) {
			const char *cl = strcasestr(buf, "Content-Length:");
			size_t want = cl ? (size_t)strtoul(cl + 15, NULL, 10) : 0;

			if (len - (size_t)(body + 4 - buf) >= want || len >= cap - 1)
				return len;
		}
	}
}

static inline void fakerpc_serve(struct fakerpc *f, int c)
{
	char req[65536], out[65536 + 256], reply[65536];
	struct fake_reply r = { 500, "{}", 0 };
	struct json_object *o, *v;
	const char *body, *id = "0", *mark;
	size_t len = fakerpc_read(c, req, sizeof req);

	if (len == 0)
		return;
	body = strstr(req, "\r\n\r\n") + 4;
	o = json_tokener_parse(body);
	pthread_mutex_lock(&f->lock);
	if (f->n_requests < FAKERPC_MAX && o &&
	    json_object_object_get_ex(o, "method", &v))
		snprintf(f->methods[f->n_requests++], 64, "%s", json_object_get_string(v));
	if (o && json_object_object_get_ex(o, "params", &v))
		snprintf(f->last_params, sizeof f->last_params, "%s",
			 json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	if (f->next < f->n_replies)
		r = f->replies[f->next++];
	pthread_mutex_unlock(&f->lock);
	if (o && json_object_object_get_ex(o, "id", &v))
		id = json_object_to_json_string(v);
	/* in slices, so stopping the server never waits for a long delay */
	for (int waited = 0; waited < r.delay_ms && !f->stop; waited += 10)
		fakerpc_sleep(10);
	if (r.status != 0) {
		mark = strstr(r.body, "%ID%");
		if (mark)
			snprintf(reply, sizeof reply, "%.*s%s%s", (int)(mark - r.body), r.body,
				 id, mark + 4);
		else
			snprintf(reply, sizeof reply, "%s", r.body);
		len = (size_t)snprintf(out, sizeof out,
				       "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
				       "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
				       r.status, strlen(reply), reply);
		send(c, out, len, MSG_NOSIGNAL);
	}
	json_object_put(o);
}

static inline void *fakerpc_main(void *arg)
{
	struct fakerpc *f = arg;

	while (!f->stop) {
		struct pollfd p = { f->fd, POLLIN, 0 };
		int c;

		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(f->fd, NULL, NULL);
		if (c < 0)
			continue;
		fakerpc_serve(f, c);
		close(c);
	}
	return NULL;
}

/* Start the server on a free port; returns 0 or -1. */
static inline int fakerpc_start(struct fakerpc *f)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int one = 1;

	memset(f, 0, sizeof *f);
	pthread_mutex_init(&f->lock, NULL);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (f->fd < 0)
		return -1;
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(f->fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(f->fd, 16) != 0 ||
	    getsockname(f->fd, (struct sockaddr *)&a, &alen) != 0)
		return -1;
	f->port = ntohs(a.sin_port);
	return pthread_create(&f->thread, NULL, fakerpc_main, f) == 0 ? 0 : -1;
}

/* Replace the script: the next requests get replies[0..n) in order, then
 * HTTP 500. */
static inline void fakerpc_script(struct fakerpc *f, const struct fake_reply *replies,
				  size_t n)
{
	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < n && i < FAKERPC_MAX; i++)
		f->replies[i] = replies[i];
	f->n_replies = n;
	f->next = 0;
	f->n_requests = 0;
	pthread_mutex_unlock(&f->lock);
}

/* Requests served since the last script. */
static inline size_t fakerpc_requests(struct fakerpc *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->n_requests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static inline void fakerpc_url(const struct fakerpc *f, char *buf, size_t n)
{
	snprintf(buf, n, "http://127.0.0.1:%d/", f->port);
}

static inline void fakerpc_stop(struct fakerpc *f)
{
	f->stop = 1;
	pthread_join(f->thread, NULL);
	close(f->fd);
	pthread_mutex_destroy(&f->lock);
}

/* A 127.0.0.1 port nothing listens on (bound, then closed). */
static inline int fakerpc_dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	bind(fd, (struct sockaddr *)&a, sizeof a);
	getsockname(fd, (struct sockaddr *)&a, &alen);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

#endif
