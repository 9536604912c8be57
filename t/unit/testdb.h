/*
 * testdb — a throw-away PostgreSQL database for one unit test program.
 *
 * FELT_TEST_DB (libpq conninfo or URI) names a server and a database to
 * connect to for CREATE DATABASE; each test program creates its own
 * database felt_t_<name>_<pid>, works in it, and drops it at the end.
 * Without FELT_TEST_DB the program exits 77 (automake's "skipped").
 * Header-only: static inline helpers shared by the test programs.
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
	char name[64];       /* the database created for this program */
	char conninfo[1024]; /* keyword conninfo reaching it, for db_connect */
};

static inline void testdb_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Exit 77 unless FELT_TEST_DB is set. */
static inline const char *testdb_server(void)
{
	const char *s = getenv("FELT_TEST_DB");

	if (!s || !*s) {
		fprintf(stderr, "FELT_TEST_DB not set: skipping\n");
		exit(77);
	}
	return s;
}

/* Connect to database dbname (NULL: the one FELT_TEST_DB names) on the
 * FELT_TEST_DB server.  Exits 99 (hard error) when the server is down. */
static inline PGconn *testdb_connect(const char *dbname)
{
	const char *keys[] = {"dbname", dbname ? "dbname" : NULL, NULL};
	const char *vals[] = {testdb_server(), dbname, NULL};
	PGconn *c = PQconnectdbParams(keys, vals, 1);

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to FELT_TEST_DB: %s", PQerrorMessage(c));
		exit(99);
	}
	PQsetNoticeProcessor(c, testdb_quiet, NULL);
	return c;
}

/* Run one constant admin statement on c; exit 99 on failure. */
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

/* Create a fresh database named felt_t_<tag>_<pid> into db->name and a
 * conninfo for it into db->conninfo.  The names are built from a constant
 * tag and the pid, never from input; CREATE DATABASE takes no parameters. */
static inline void testdb_create(struct testdb *db, const char *tag)
{
	PGconn *c = testdb_connect(NULL);
	char sql[160];

	snprintf(db->name, sizeof db->name, "felt_t_%s_%ld", tag, (long)getpid());
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", db->name);
	testdb_admin(c, sql);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db->name);
	testdb_admin(c, sql);
	db->conninfo[0] = '\0';
	testdb_kv(db->conninfo, sizeof db->conninfo, "host", PQhost(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "port", PQport(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "user", PQuser(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "password", PQpass(c));
	testdb_kv(db->conninfo, sizeof db->conninfo, "dbname", db->name);
	PQfinish(c);
}

/* Drop the database made by testdb_create (connections must be closed). */
static inline void testdb_drop(struct testdb *db)
{
	PGconn *c = testdb_connect(NULL);
	char sql[160];

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db->name);
	testdb_admin(c, sql);
	PQfinish(c);
}

#endif
