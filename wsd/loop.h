/*
 * loop.h — felt-wsd's event loop: libwebsockets' default poll loop, and the
 * two things every other module needs from it besides WebSockets:
 *
 *   watching a descriptor it does not own (the libpq sockets, the signalfd):
 *       lws adopts a dup() of it as a raw file (LWS_ADOPT_RAW_FILE_DESC), so
 *       lws may close its copy whenever the wsi dies without touching the
 *       owner's descriptor;
 *   timers: lws_sul, with a callback and a context pointer.
 *
 * There is one loop per process; the struct loop lives in main.c and is
 * passed to the modules that register sources.  Everything runs on the one
 * thread that calls lws_service.
 */
#ifndef FELT_WSD_LOOP_H
#define FELT_WSD_LOOP_H

#include <libwebsockets.h>
#include <stdbool.h>
#include <stdint.h>

struct loop {
	struct lws_context *ctx;
	struct lws_vhost *vhost;
};

/* The lws protocol that serves adopted descriptors: the server lists
 * { LOOP_RAW_PROTOCOL, loop_raw_callback } among its vhost's protocols. */
#define LOOP_RAW_PROTOCOL "felt-raw"
int loop_raw_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user,
		      void *in, size_t len);

/* A watched descriptor.  readable() is also called on error or hangup (the
 * owner finds out what happened by reading). */
struct loop_fd_ops {
	void (*readable)(void *ctx);
	void (*writable)(void *ctx);
};

struct loop_fd;

/*
 * loop_watch — watch fd for readability (and, after loop_want_write, for
 * writability), calling ops with ctx.  fd stays the caller's: a dup is
 * adopted.  Returns a handle freed by loop_unwatch, or NULL (logged) when
 * the dup or the adoption fails.
 */
struct loop_fd *loop_watch(struct loop *l, int fd, const struct loop_fd_ops *ops,
			   void *ctx);

/* loop_want_write — ask for writable callbacks while on is true. */
void loop_want_write(struct loop_fd *f, bool on);

/* loop_unwatch — stop watching (no callback is made after this returns);
 * the dup is closed when lws next services.  NULL-safe. */
void loop_unwatch(struct loop_fd *f);

/* A timer: embed it, set fn and arg with loop_timer_init, arm as needed. */
struct loop_timer {
	lws_sorted_usec_list_t sul; /* first: lws hands this back */
	struct loop *loop;
	void (*fn)(void *arg);
	void *arg;
};

/* loop_timer_init — bind t to fn(arg) on loop l; not armed. */
void loop_timer_init(struct loop_timer *t, struct loop *l, void (*fn)(void *),
		     void *arg);

/* loop_timer_arm — call fn once, ms milliseconds from now (0: on the next
 * service round), replacing any earlier arming. */
void loop_timer_arm(struct loop_timer *t, int64_t ms);

/* loop_timer_cancel — disarm; harmless when not armed. */
void loop_timer_cancel(struct loop_timer *t);

/* loop_timer_armed — true while armed. */
bool loop_timer_armed(const struct loop_timer *t);

/* loop_now_ms — wall clock, ms since the Unix epoch (hand logs, stored
 * times). */
int64_t loop_now_ms(void);

/* loop_mono_ms — monotonic clock, ms (deadlines, rates). */
int64_t loop_mono_ms(void);

#endif
