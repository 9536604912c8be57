/*
 * statements.h — every SQL statement felt-wsd runs, in one table
 * (statements.c), prepared on each connection of its pool.  The writes are
 * calls of the functions in sql/020_wsd.sql; parameters are text.
 */
#ifndef FELT_WSD_STATEMENTS_H
#define FELT_WSD_STATEMENTS_H

#include "core/db.h"

/* The channel felt-api notifies (payload: a table id). */
#define WSD_CHANNEL "felt_tables"

extern const struct db_stmt wsd_statements[];
extern const char *const wsd_listen[];

#endif
