/*
 * testdb — a throw-away PostgreSQL schema for one unit test program.
 *
 * FELT_TEST_DB (libpq conninfo or URI) names a database the tests may
 * write to; the role needs no CREATEDB.  Each test program creates its own
 * schema felt_t_<tag>_<pid> there and connects with search_path set to it,
 * so migrations and tests running in parallel never see each other's
 * tables; the schema is dropped at the end.  Without FELT_TEST_DB the
 * program exits 77 (automake's "skipped"); when the server is unreachable,
 * 99 (a hard error).  Header-only: static inline helpers.
 */
#ifndef FELT_TESTDB_H
#define FELT_TESTDB_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef TEST_SQL_DIR
#define TEST_SQL_DIR "sql"
#endif

struct testdb {
	char name[64];       /* the schema created for this program */
	char conninfo[1024]; /* keyword conninfo reaching it, for db_connect */
};

static inline void testdb_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* FELT_TEST_DB, or exit 77 when it is unset. */
static inline const char *testdb_server(void)
{
	const char *s = getenv("FELT_TEST_DB");

	if (!s || !*s) {
		fprintf(stderr, "FELT_TEST_DB not set: skipping\n");
		exit(77);
	}
	return s;
}

/* A connection to FELT_TEST_DB whose search_path is schema (NULL: the
 * server's default); exits 99 when it fails.  Caller PQfinish()es it. */
static inline PGconn *testdb_connect(const char *schema)
{
	char opt[128];
	const char *keys[] = {"dbname", schema ? "options" : NULL, NULL};
	const char *vals[] = {testdb_server(), opt, NULL};
	PGconn *c;

	snprintf(opt, sizeof opt, "-c search_path=%s", schema ? schema : "");
	c = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to FELT_TEST_DB: %s", PQerrorMessage(c));
		exit(99);
	}
	PQsetNoticeProcessor(c, testdb_quiet, NULL);
	return c;
}

/* Run one admin statement on c; exit 99 on failure.  The statements are
 * built from a constant tag and the pid, never from input (DDL takes no
 * parameters). */
static inline void testdb_admin(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
		exit(99);
	}
	PQclear(r);
}

/* Append key='value' (libpq quoting) to buf. */
static inline void testdb_kv(char *buf, size_t cap, const char *key, const char *val)
{
	size_t n = strlen(buf);

	if (!val || !*val)
		return;
	n += (size_t)snprintf(buf + n, cap - n, "%s%s='", n ? " " : "", key);
	for (; *val && n + 3 < cap; val++) {
		if (*val == '\\' || *val == '\'')
			buf[n++] = '\\';
		buf[n++] = *val;
	}
	snprintf(buf + n, cap - n, "'");
}

/* Drop and create the schema named in db (on c). */
static inline void testdb_reset(PGconn *c, const struct testdb *db)
{
	char sql[160];

	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", db->name);
	testdb_admin(c, sql);
	snprintf(sql, sizeof sql, "CREATE SCHEMA %s", db->name);
	testdb_admin(c, sql);
}

/* Create a fresh schema felt_t_<tag>_<pid> and a conninfo whose sessions
 * use it as their only search_path entry. */
static inline void testdb_create(struct testdb *db, const char *tag)
{
	PGconn *c = testdb_connect(NULL);
	char opt[128];

	snprintf(db->name, sizeof db->name, "felt_t_%s_%ld", tag, (long)getpid());
	testdb_reset(c, db);
	snprintf(opt, sizeof opt, "-c search_path=%s", db->name);
	db->conninfo[0] = '\0';
	testdb_kv(db->conninfo, sizeof db->conninfo, "host", PQhost(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "port", PQport(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "user", PQuser(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "password", PQpass(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "dbname", PQdb(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "options", opt);
	PQfinish(c);
}

/* Drop the schema made by testdb_create. */
static inline void testdb_drop(struct testdb *db)
{
	PGconn *c = testdb_connect(NULL);
	char sql[160];

	snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", db->name);
	testdb_admin(c, sql);
	PQfinish(c);
}

#endif
