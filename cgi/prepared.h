/*
 * prepared.h — prepared statements for felt-api's hottest queries, made
 * lazily on each connection.
 *
 * felt-api runs most SQL with PQexecParams (queries.h says why). A few
 * statements run on nearly every request (authenticated balance reads),
 * and there the server-side parse and plan of PQexecParams is most of the
 * cost. prepared_exec() prepares such a statement the first time it is
 * used on a connection and executes it by name afterwards. Which names a
 * connection has prepared is remembered on the PGconn itself (libpq event
 * instance data), so a reconnected connection starts empty by construction
 * and no global state is involved. If preparing fails the statement is run
 * with PQexecParams instead: the answer never depends on this cache.
 */
#ifndef FELT_CGI_PREPARED_H
#define FELT_CGI_PREPARED_H

#include <libpq-fe.h>

#include "db.h"

/*
 * prepared_exec: run sql (n text parameters) on c as the prepared
 * statement `name`, preparing it first if this connection has not. name
 * must be a string constant paired with one sql forever. Returns the
 * result (caller PQclears) or NULL with err filled, as db_exec.
 */
PGresult *prepared_exec(PGconn *c, const char *name, const char *sql, int n,
			const char *const *params, struct db_err *err);

#endif
