/*
 * loop.c — descriptors and timers on the libwebsockets loop.
 */
#include "loop.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"

struct loop_fd {
	struct lws *wsi;          /* NULL once lws closed it */
	const struct loop_fd_ops *ops;
	void *ctx;
	bool want_write;
	bool dead;                /* unwatched: lws still holds the wsi */
};

int loop_raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		      void *in, size_t len)
{
	struct loop_fd *f = lws_get_opaque_user_data(wsi);

	switch (reason) {
	case LWS_CALLBACK_RAW_RX_FILE:
		if (f && !f->dead)
			f->ops->readable(f->ctx);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE_FILE:
		if (f && !f->dead && f->want_write) {
			f->ops->writable(f->ctx);
			/* The owner may have unwatched inside the callback. */
			if (!f->dead && f->want_write)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_RAW_CLOSE_FILE:
		if (!f)
			break;
		lws_set_opaque_user_data(wsi, NULL);
		f->wsi = NULL;
		if (f->dead) {
			free(f);
			break;
		}
		/* lws gave up on the descriptor (error, hangup): the owner
		 * reads to find out and will unwatch it. */
		f->ops->readable(f->ctx);
		break;
	default:
		break;
	}
	return 0;
}

struct loop_fd *loop_watch(struct loop *l, int fd, const struct loop_fd_ops *ops,
			   void *ctx)
{
	struct loop_fd *f = calloc(1, sizeof(*f));
	lws_sock_file_fd_type u;

	if (!f)
		return NULL;
	u.filefd = dup(fd);
	if (u.filefd < 0) {
		log_event(LOG_ERROR, "loop_dup_failed", "fd=%d errno=%d", fd, errno);
		free(f);
		return NULL;
	}
	f->ops = ops;
	f->ctx = ctx;
	/* On failure lws closes the dup itself. */
	f->wsi = lws_adopt_descriptor_vhost(l->vhost, LWS_ADOPT_RAW_FILE_DESC, u,
					    LOOP_RAW_PROTOCOL, NULL);
	if (!f->wsi) {
		log_event(LOG_ERROR, "loop_adopt_failed", "fd=%d", fd);
		free(f);
		return NULL;
	}
	lws_set_opaque_user_data(f->wsi, f);
	return f;
}

void loop_want_write(struct loop_fd *f, bool on)
{
	if (!f || f->dead)
		return;
	f->want_write = on;
	if (on && f->wsi)
		lws_callback_on_writable(f->wsi);
}

void loop_unwatch(struct loop_fd *f)
{
	if (!f)
		return;
	if (!f->wsi) {
		free(f);
		return;
	}
	/* Possibly inside this wsi's own callback: let lws close it later;
	 * RAW_CLOSE_FILE frees f. */
	f->dead = true;
	f->want_write = false;
	lws_set_timeout(f->wsi, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
}

static void timer_fire(lws_sorted_usec_list_t *sul)
{
	struct loop_timer *t = (struct loop_timer *)sul;

	t->fn(t->arg);
}

void loop_timer_init(struct loop_timer *t, struct loop *l, void (*fn)(void *),
		     void *arg)
{
	memset(&t->sul, 0, sizeof(t->sul));
	t->loop = l;
	t->fn = fn;
	t->arg = arg;
}

void loop_timer_arm(struct loop_timer *t, int64_t ms)
{
	lws_sul_schedule(t->loop->ctx, 0, &t->sul, timer_fire,
			 ms <= 0 ? 1 : (lws_usec_t)ms * LWS_US_PER_MS);
}

void loop_timer_cancel(struct loop_timer *t)
{
	lws_sul_cancel(&t->sul);
}

bool loop_timer_armed(const struct loop_timer *t)
{
	return t->sul.list.owner != NULL;
}

int64_t loop_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t loop_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
