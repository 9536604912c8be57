/*
 * migrate — the schema migration runner behind `feltctl migrate`.
 *
 * A migration is a file NNN_name.sql (NNN: digits, unique) in one
 * directory.  migrate_run applies the ones not yet recorded in
 * schema_migrations in ascending NNN order, each in its own transaction
 * together with its schema_migrations row (version, name, SHA-256 of the
 * file), so a failed migration leaves nothing behind.  Running it again is
 * a no-op.  A file whose checksum differs from the recorded one is refused:
 * an applied migration is history, fix forward with a new file.  A session
 * advisory lock serialises concurrent runners (two start-up scripts).
 *
 * Files must not contain BEGIN/COMMIT: the runner owns the transaction.
 * While a file runs, search_path is "<the session's current schema>,
 * pg_temp", so `SET search_path FROM CURRENT` pins a function to felt's
 * schema with pg_temp last (the rule of sql/030_least_privilege.sql).
 */
#ifndef FELT_MIGRATE_H
#define FELT_MIGRATE_H

#include <libpq-fe.h>
#include <stddef.h>

#define MIGRATE_MAX_FILES 1000
#define MIGRATE_MAX_FILE_BYTES (4 * 1024 * 1024)

/* Advisory lock key used by every runner ("felt" in ASCII). */
#define MIGRATE_LOCK_KEY 0x66656c74

enum migrate_error {
	MIGRATE_OK = 0,
	MIGRATE_ERR_DIR = -1,      /* cannot read the directory or a file */
	MIGRATE_ERR_NAME = -2,     /* duplicate version number, too many files */
	MIGRATE_ERR_CHECKSUM = -3, /* an applied migration's file was edited */
	MIGRATE_ERR_MISSING = -4,  /* an applied migration's file is gone */
	MIGRATE_ERR_SQL = -5,      /* a migration failed (rolled back) */
	MIGRATE_ERR_DB = -6,       /* bookkeeping query / lock failed */
};

/* One migration, as found on disk and/or in schema_migrations. */
struct migrate_info {
	int version;
	char name[128];      /* file name, e.g. "002_ledger.sql" */
	char checksum[65];   /* hex SHA-256 of the file */
	int applied;         /* 1 if recorded in schema_migrations */
	char applied_at[40]; /* timestamptz text when applied, else "" */
};

/* migrate_strerror — static English text for a migrate_error code. */
const char *migrate_strerror(int err);

/*
 * migrate_run — apply the pending migrations of dir on c (see above).
 * *applied_out (may be NULL) receives how many were applied by this call.
 * On failure returns a negative migrate_error and writes a one-line message
 * naming the file (and the server's error) into err (errlen bytes, may be
 * NULL).  Progress is logged (event=migration_applied).
 */
int migrate_run(PGconn *c, const char *dir, int *applied_out, char *err,
		size_t errlen);

/*
 * migrate_status — list the migrations of dir merged with what
 * schema_migrations records, without changing anything.  Fills up to max
 * entries of out in version order and stores the count in *count (files
 * applied but missing from dir are included with applied=1 and an empty
 * checksum).  Checksum mismatches are reported as MIGRATE_ERR_CHECKSUM
 * after filling out.  A database without schema_migrations has nothing
 * applied.
 */
int migrate_status(PGconn *c, const char *dir, struct migrate_info *out,
		   int max, int *count, char *err, size_t errlen);

#endif
