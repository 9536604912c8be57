/* dbpool — queries spread over a few dbloop connections.  See dbpool.h. */
#include "core/dbpool.h"

#include <stdlib.h>

#define DBPOOL_MAX 64

struct dbpool {
	int n;
	int next; /* where the search for the least busy starts: ties rotate */
	struct dbloop *loops[];
};

struct dbpool *dbpool_new(int n, const char *conninfo,
			  const struct db_settings *settings, const char *app,
			  const struct db_stmt *stmts,
			  const char *const *listen,
			  const struct dbloop_hooks *hooks)
{
	struct db_settings def;
	struct dbpool *pool;

	if (n <= 0) {
		if (!settings) {
			db_settings_default(&def);
			settings = &def;
		}
		n = settings->pool_size;
	}
	if (n < 1 || n > DBPOOL_MAX || !hooks)
		return NULL;
	pool = calloc(1, sizeof *pool + (size_t)n * sizeof pool->loops[0]);
	if (!pool)
		return NULL;
	pool->n = n;
	for (int i = 0; i < n; i++) {
		pool->loops[i] = dbloop_new(conninfo, settings, app, stmts,
					    i == 0 ? listen : NULL, &hooks[i]);
		if (!pool->loops[i]) {
			dbpool_free(pool);
			return NULL;
		}
	}
	return pool;
}

int dbpool_size(const struct dbpool *pool)
{
	return pool ? pool->n : 0;
}

void dbpool_start(struct dbpool *pool)
{
	for (int i = 0; pool && i < pool->n; i++)
		dbloop_start(pool->loops[i]);
}

void dbpool_free(struct dbpool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < pool->n; i++)
		dbloop_free(pool->loops[i]);
	free(pool);
}

struct dbloop *dbpool_loop(struct dbpool *pool, int i)
{
	return pool && i >= 0 && i < pool->n ? pool->loops[i] : NULL;
}

int dbpool_query(struct dbpool *pool, const char *stmt_name, int n,
		 const char *const *params, dbloop_cb cb, void *arg)
{
	int best = -1, best_load = 0;

	if (!pool)
		return DB_ERR_ARG;
	for (int k = 0; k < pool->n; k++) {
		int i = (pool->next + k) % pool->n;
		int load = dbloop_inflight(pool->loops[i]);

		if (dbloop_is_up(pool->loops[i]) && (best < 0 || load < best_load)) {
			best = i;
			best_load = load;
		}
	}
	if (best < 0)
		return DB_ERR_CONNECT;
	pool->next = (best + 1) % pool->n;
	return dbloop_query(pool->loops[best], stmt_name, n, params, cb, arg);
}

int dbpool_up(const struct dbpool *pool)
{
	int up = 0;

	for (int i = 0; pool && i < pool->n; i++)
		up += dbloop_is_up(pool->loops[i]);
	return up;
}
