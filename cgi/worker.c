/*
 * worker.c — the accept loop of one felt-api thread.
 */
#include "worker.h"

#include <errno.h>
#include <fcgiapp.h>
#include <time.h>

#include "core/log.h"
#include "router.h"
#include "serve.h"

static ssize_t fcgi_read(void *ctx, char *buf, size_t n)
{
	int want = n > 65536 ? 65536 : (int)n;
	int got = FCGX_GetStr(buf, want, (FCGX_Stream *)ctx);

	return got < 0 ? -1 : got;
}

static int fcgi_write(void *ctx, const char *buf, size_t n)
{
	while (n > 0) {
		int chunk = n > 65536 ? 65536 : (int)n;

		if (FCGX_PutStr(buf, chunk, (FCGX_Stream *)ctx) != chunk)
			return -1;
		buf += chunk;
		n -= (size_t)chunk;
	}
	return 0;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct worker_pool *pool = w->pool;
	FCGX_Request fr;

	if (FCGX_InitRequest(&fr, w->listen_fd, 0) != 0) {
		log_event(LOG_ERROR, "worker_init_failed", "thread=%d",
			  w->index);
		goto out;
	}
	for (;;) {
		if (FCGX_Accept_r(&fr) < 0) {
			if (atomic_load(&w->ctx.state->stopping))
				break;
			/* Out of descriptors or memory: wait and try again
			 * rather than lose this thread for good. */
			log_event(LOG_WARN, "accept_failed", "thread=%d errno=%d",
				  w->index, errno);
			nanosleep(&(struct timespec){ .tv_nsec = 100000000 },
				  NULL);
			continue;
		}
		atomic_fetch_add(&w->ctx.state->busy, 1);
		serve_request(w->routes, w->n_routes, &w->ctx, fr.envp,
			      fcgi_read, fr.in, fcgi_write, fr.out);
		FCGX_Finish_r(&fr);
		apidb_release(&w->db);
		atomic_fetch_sub(&w->ctx.state->busy, 1);
	}
	/* Close nothing shared: the listening socket belongs to main. */
	FCGX_Free(&fr, 0);
out:
	apidb_close(&w->db);
	pthread_mutex_lock(&pool->lock);
	atomic_store(&w->done, true);
	pool->running--;
	pthread_cond_broadcast(&pool->exited);
	pthread_mutex_unlock(&pool->lock);
	return NULL;
}

void worker_pool_init(struct worker_pool *pool)
{
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->exited, NULL);
	pool->running = 0;
}

int worker_start(struct worker *w, struct worker_pool *pool, int index,
		 int listen_fd, const struct route *routes, size_t n_routes,
		 const struct handler_ctx *proto)
{
	int rc;

	w->index = index;
	w->pool = pool;
	w->listen_fd = listen_fd;
	w->routes = routes;
	w->n_routes = n_routes;
	apidb_init(&w->db, proto->cfg->db_conninfo);
	apidb_guard(&w->db, &proto->state->db_health, proto->cfg->db_connect_ms,
		    proto->cfg->db_timeout_ms);
	w->ctx = *proto;
	w->ctx.db = &w->db;
	atomic_init(&w->done, false);
	pthread_mutex_lock(&pool->lock);
	pool->running++;
	pthread_mutex_unlock(&pool->lock);
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	if (rc) {
		pthread_mutex_lock(&pool->lock);
		pool->running--;
		pthread_mutex_unlock(&pool->lock);
	}
	return rc;
}

int worker_pool_wait(struct worker_pool *pool, struct worker *workers,
		     int n, int timeout_s)
{
	struct timespec deadline;
	int left, i;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_s;
	pthread_mutex_lock(&pool->lock);
	while (pool->running > 0)
		if (pthread_cond_timedwait(&pool->exited, &pool->lock,
					   &deadline) == ETIMEDOUT)
			break;
	left = pool->running;
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < n; i++)
		if (atomic_load(&workers[i].done))
			pthread_join(workers[i].thread, NULL);
	return left;
}
