/*
 * worker.h — felt-api's FastCGI worker threads.
 *
 * Each worker owns one FCGX_Request and one database connection and loops
 * accept -> serve_request -> finish until accepting fails, which is how it
 * learns that main has shut the listening socket down. Workers never see
 * signals (main blocks them all before starting any thread).
 */
#ifndef FELT_CGI_WORKER_H
#define FELT_CGI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "apidb.h"
#include "handler.h"
#include "router.h"

struct worker_pool;

struct worker {
	int index;
	struct worker_pool *pool;      /* not owned */
	int listen_fd;                 /* from FCGX_OpenSocket, not owned */
	const struct route *routes;    /* what this listener serves */
	size_t n_routes;
	pthread_t thread;
	struct apidb db;
	struct handler_ctx ctx;
	atomic_bool done;              /* set when the thread is about to exit */
};

/* Workers that have exited, so main can wait for them with a deadline. */
struct worker_pool {
	pthread_mutex_t lock;
	pthread_cond_t exited;
	int running;
};

/*
 * worker_start: initialise w (index, socket, the routes it serves, shared
 * ctx fields copied from proto, its own apidb guarded by the process's
 * database state) and start its thread. Returns 0 or an errno value from
 * pthread_create. pool->running counts started workers.
 */
int worker_start(struct worker *w, struct worker_pool *pool, int index,
		 int listen_fd, const struct route *routes, size_t n_routes,
		 const struct handler_ctx *proto);

/*
 * worker_pool_wait: wait until every started worker has exited or
 * timeout_s seconds have passed. Returns the number still running (0 when
 * all are gone); those are not joined and must not be freed.
 */
int worker_pool_wait(struct worker_pool *pool, struct worker *workers,
		     int n, int timeout_s);

/* worker_pool_init: an empty pool. */
void worker_pool_init(struct worker_pool *pool);

#endif
