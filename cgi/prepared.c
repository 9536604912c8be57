/*
 * prepared.c — lazily prepared statements per connection (see prepared.h).
 */
#include "prepared.h"

#include <libpq-events.h>
#include <stdlib.h>
#include <string.h>

#define PREPARED_MAX 16

/* What one connection has prepared; owned by the PGconn (freed with it). */
struct prepared_set {
	const char *names[PREPARED_MAX];
	int n;
};

static int prepared_event(PGEventId id, void *info, void *pass)
{
	(void)pass;
	if (id == PGEVT_CONNRESET) {
		/* PQreset drops the server session and its statements. */
		struct prepared_set *set =
			PQinstanceData(((PGEventConnReset *)info)->conn,
				       prepared_event);

		if (set)
			set->n = 0;
	} else if (id == PGEVT_CONNDESTROY) {
		free(PQinstanceData(((PGEventConnDestroy *)info)->conn,
				    prepared_event));
	}
	return 1;
}

static struct prepared_set *set_of(PGconn *c)
{
	struct prepared_set *set = PQinstanceData(c, prepared_event);

	if (set)
		return set;
	if (!PQregisterEventProc(c, prepared_event, "felt_api_prepared", NULL))
		return NULL;
	set = calloc(1, sizeof *set);
	if (set && !PQsetInstanceData(c, prepared_event, set)) {
		free(set);
		set = NULL;
	}
	return set;
}

static int is_prepared(const struct prepared_set *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (set->names[i] == name || strcmp(set->names[i], name) == 0)
			return 1;
	return 0;
}

PGresult *prepared_exec(PGconn *c, const char *name, const char *sql, int n,
			const char *const *params, struct db_err *err)
{
	struct prepared_set *set = c ? set_of(c) : NULL;

	if (set && !is_prepared(set, name) && set->n < PREPARED_MAX) {
		PGresult *r = PQprepare(c, name, sql, n, NULL);

		if (PQresultStatus(r) == PGRES_COMMAND_OK)
			set->names[set->n++] = name;
		PQclear(r);
	}
	if (set && is_prepared(set, name))
		return db_exec_prepared(c, name, n, params, err);
	return db_exec(c, sql, n, params, err);
}
