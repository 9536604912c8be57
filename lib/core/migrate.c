/* migrate — apply sql/NNN_name.sql files in order, once each.  See migrate.h. */
#include "core/migrate.h"

#include "core/db.h"
#include "core/hash.h"
#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mfile {
	int version;
	char name[128];
	char checksum[HASH_SHA256_HEX_SIZE];
};

/* The runner's own bookkeeping, created before the first migration (one
 * statement per entry: parameterised execution runs one at a time). */
static const char *const create_table_sql[] = {
	"CREATE TABLE IF NOT EXISTS schema_migrations ("
	" version integer PRIMARY KEY,"
	" name text NOT NULL,"
	" checksum text NOT NULL,"
	" applied_at timestamptz NOT NULL DEFAULT now(),"
	" applied_by text NOT NULL DEFAULT current_user)",
	"COMMENT ON TABLE schema_migrations IS 'Migrations applied by feltctl migrate, one row per sql/NNN_name.sql file.'",
	"COMMENT ON COLUMN schema_migrations.version IS 'NNN, the number the file name starts with.'",
	"COMMENT ON COLUMN schema_migrations.name IS 'File name of the migration.'",
	"COMMENT ON COLUMN schema_migrations.checksum IS 'Hex SHA-256 of the file as applied; an edited file is refused.'",
	"COMMENT ON COLUMN schema_migrations.applied_at IS 'When it was applied.'",
	"COMMENT ON COLUMN schema_migrations.applied_by IS 'Database role that applied it.'",
	NULL,
};

/* For the migration's transaction only: felt's schema, then pg_temp, so
 * that `SET search_path FROM CURRENT` pins a SECURITY DEFINER function to
 * exactly that path (pg_temp last: a caller's temporary table can never
 * shadow one of felt's; sql/030_least_privilege.sql). */
static const char pin_path_sql[] =
	"SELECT set_config('search_path', quote_ident(s) || ', pg_temp', true)"
	" FROM current_schema() AS s WHERE s IS NOT NULL";

const char *migrate_strerror(int err)
{
	switch (err) {
	case MIGRATE_OK: return "ok";
	case MIGRATE_ERR_DIR: return "cannot read the migrations directory";
	case MIGRATE_ERR_NAME: return "bad migration file names";
	case MIGRATE_ERR_CHECKSUM: return "an applied migration was edited";
	case MIGRATE_ERR_MISSING: return "an applied migration file is missing";
	case MIGRATE_ERR_SQL: return "a migration failed";
	case MIGRATE_ERR_DB: return "database error";
	}
	return "unknown migrate error";
}

static int fail(int code, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(int code, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* The whole file, NUL-terminated; caller frees.  NULL on error (errno). */
static char *read_file(const char *dir, const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	buf = malloc(MIGRATE_MAX_FILE_BYTES + 1);
	n = buf ? fread(buf, 1, MIGRATE_MAX_FILE_BYTES + 1, f) : 0;
	if (!buf || ferror(f) || n > MIGRATE_MAX_FILE_BYTES) {
		if (buf && !ferror(f))
			errno = EFBIG;
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* "042_name.sql" -> 42; -1 if the name does not have that shape. */
static int parse_version(const char *name)
{
	size_t len = strlen(name), digits = strspn(name, "0123456789");
	long v;

	if (digits == 0 || digits > 6 || name[digits] != '_' || len <= digits + 5 ||
	    strcmp(name + len - 4, ".sql") != 0)
		return -1;
	v = strtol(name, NULL, 10);
	return (int)v;
}

static int by_version(const void *a, const void *b)
{
	const struct mfile *x = a, *y = b;

	return (x->version > y->version) - (x->version < y->version);
}

/* Scan dir for migrations, sorted by version, checksummed.  *out is
 * malloc'd (caller frees) even when empty. */
static int load_dir(const char *dir, struct mfile **out, int *count, char *err,
		    size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct mfile *files;
	int n = 0, rc = MIGRATE_OK;

	*out = NULL;
	*count = 0;
	if (!d)
		return fail(MIGRATE_ERR_DIR, err, errlen, "cannot open %s: %s", dir, strerror(errno));
	files = calloc(MIGRATE_MAX_FILES, sizeof *files);
	if (!files) {
		closedir(d);
		return fail(MIGRATE_ERR_DIR, err, errlen, "out of memory");
	}
	while (rc == MIGRATE_OK && (de = readdir(d))) {
		size_t len = strlen(de->d_name), size;
		char *text;

		/* other files (sql.mk, READMEs) live beside the migrations */
		if (len < 4 || strcmp(de->d_name + len - 4, ".sql") != 0)
			continue;
		if (parse_version(de->d_name) < 0 || len >= sizeof files->name)
			rc = fail(MIGRATE_ERR_NAME, err, errlen,
				  "%s/%s: migration files are named NNN_name.sql", dir, de->d_name);
		else if (n >= MIGRATE_MAX_FILES)
			rc = fail(MIGRATE_ERR_NAME, err, errlen, "%s: more than %d migrations",
				  dir, MIGRATE_MAX_FILES);
		else if (!(text = read_file(dir, de->d_name, &size)))
			rc = fail(MIGRATE_ERR_DIR, err, errlen, "cannot read %s/%s: %s", dir,
				  de->d_name, strerror(errno));
		else {
			files[n].version = parse_version(de->d_name);
			memcpy(files[n].name, de->d_name, len + 1);
			hash_sha256_hex(text, size, files[n].checksum);
			free(text);
			n++;
		}
	}
	closedir(d);
	qsort(files, (size_t)n, sizeof *files, by_version);
	for (int i = 1; rc == MIGRATE_OK && i < n; i++)
		if (files[i].version == files[i - 1].version)
			rc = fail(MIGRATE_ERR_NAME, err, errlen, "%s and %s have the same number",
				  files[i - 1].name, files[i].name);
	if (rc) {
		free(files);
		return rc;
	}
	*out = files;
	*count = n;
	return MIGRATE_OK;
}

static const struct mfile *find(const struct mfile *files, int n, int version)
{
	for (int i = 0; i < n; i++)
		if (files[i].version == version)
			return &files[i];
	return NULL;
}

/* Applied rows, or NULL with err set.  A database the runner never
 * touched has no schema_migrations: nothing applied, not an error. */
static PGresult *applied_rows(PGconn *c, char *err, size_t errlen)
{
	static const char *const select_sql[2] = {
		"SELECT 1::int, ''::text, ''::text, ''::text WHERE false",
		"SELECT version, name, checksum, applied_at::text FROM schema_migrations ORDER BY version",
	};
	struct db_err e;
	PGresult *res = db_exec(c, "SELECT to_regclass('schema_migrations') IS NOT NULL",
				0, NULL, &e);
	bool exists;

	if (!res) {
		fail(MIGRATE_ERR_DB, err, errlen, "reading schema_migrations: %s", e.message);
		return NULL;
	}
	exists = PQntuples(res) == 1 && PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	res = db_exec(c, select_sql[exists], 0, NULL, &e);
	if (!res)
		fail(MIGRATE_ERR_DB, err, errlen, "reading schema_migrations: %s", e.message);
	return res;
}

/* Every applied migration must still be on disk, unchanged. */
static int verify_applied(PGresult *res, const struct mfile *files, int n,
			  char *err, size_t errlen)
{
	for (int i = 0; i < PQntuples(res); i++) {
		int v = atoi(PQgetvalue(res, i, 0));
		const struct mfile *f = find(files, n, v);

		if (!f)
			return fail(MIGRATE_ERR_MISSING, err, errlen,
				    "migration %s was applied but its file is missing",
				    PQgetvalue(res, i, 1));
		if (strcmp(f->checksum, PQgetvalue(res, i, 2)) != 0)
			return fail(MIGRATE_ERR_CHECKSUM, err, errlen,
				    "%s was edited after it was applied (checksum %.12s, applied %.12s);"
				    " add a new migration instead", f->name, f->checksum,
				    PQgetvalue(res, i, 2));
	}
	return MIGRATE_OK;
}

static bool is_applied(PGresult *res, int version)
{
	for (int i = 0; i < PQntuples(res); i++)
		if (atoi(PQgetvalue(res, i, 0)) == version)
			return true;
	return false;
}

static int apply_one(PGconn *c, const char *dir, const struct mfile *f, char *err,
		     size_t errlen)
{
	char version[16];
	const char *params[3] = {version, f->name, f->checksum};
	char checksum[HASH_SHA256_HEX_SIZE];
	size_t len;
	char *text = read_file(dir, f->name, &len);
	struct db_err e;
	PGresult *res;

	if (!text)
		return fail(MIGRATE_ERR_DIR, err, errlen, "cannot read %s/%s: %s", dir, f->name,
			    strerror(errno));
	/* The file could have changed since it was scanned. */
	hash_sha256_hex(text, len, checksum);
	if (strcmp(checksum, f->checksum) != 0) {
		free(text);
		return fail(MIGRATE_ERR_CHECKSUM, err, errlen, "%s changed while migrating", f->name);
	}
	/* FELT_DB_STATEMENT_TIMEOUT_MS bounds a program's statements, not a
	 * migration: rewriting a big table may rightly take minutes. */
	if (db_begin(c, &e) ||
	    db_command(c, "SET LOCAL statement_timeout = 0", 0, NULL, &e) ||
	    db_command(c, pin_path_sql, 0, NULL, &e)) {
		free(text);
		db_rollback(c);
		return fail(MIGRATE_ERR_DB, err, errlen, "BEGIN: %s", e.message);
	}
	/* A migration is many statements of constant, reviewed SQL from the
	 * package; only the simple-query protocol (PQexec) runs a script.  No
	 * value is ever interpolated into it. */
	res = PQexec(c, text);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
		const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
		int rc = fail(MIGRATE_ERR_SQL, err, errlen, "%s failed: %s%s%s", f->name,
			      msg ? msg : PQerrorMessage(c),
			      PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) ? " at character " : "",
			      PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION)
				      ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : "");

		PQclear(res);
		db_rollback(c);
		return rc;
	}
	PQclear(res);
	snprintf(version, sizeof version, "%d", f->version);
	if (db_command(c, "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
		       3, params, &e) ||
	    db_commit(c, &e)) {
		db_rollback(c);
		return fail(MIGRATE_ERR_DB, err, errlen, "recording %s: %s", f->name, e.message);
	}
	log_event(LOG_INFO, "migration_applied", "version=%d name=%s", f->version, f->name);
	return MIGRATE_OK;
}

static int run_locked(PGconn *c, const char *dir, const struct mfile *files, int n,
		      int *applied, char *err, size_t errlen)
{
	struct db_err e;
	PGresult *res;
	int rc;

	for (int i = 0; create_table_sql[i]; i++)
		if (db_command(c, create_table_sql[i], 0, NULL, &e))
			return fail(MIGRATE_ERR_DB, err, errlen, "creating schema_migrations: %s",
				    e.message);
	if (!(res = applied_rows(c, err, errlen)))
		return MIGRATE_ERR_DB;
	rc = verify_applied(res, files, n, err, errlen);
	for (int i = 0; rc == MIGRATE_OK && i < n; i++) {
		if (is_applied(res, files[i].version))
			continue;
		rc = apply_one(c, dir, &files[i], err, errlen);
		if (rc == MIGRATE_OK)
			(*applied)++;
	}
	PQclear(res);
	return rc;
}

int migrate_run(PGconn *c, const char *dir, int *applied_out, char *err,
		size_t errlen)
{
	char key[24];
	const char *params[1] = {key};
	struct mfile *files;
	struct db_err e;
	int n, applied = 0, rc;

	if (applied_out)
		*applied_out = 0;
	if (err && errlen)
		err[0] = '\0';
	rc = load_dir(dir, &files, &n, err, errlen);
	if (rc)
		return rc;
	snprintf(key, sizeof key, "%d", MIGRATE_LOCK_KEY);
	/* Session lock: held across the per-file transactions, so a second
	 * runner waits here and then finds everything applied. */
	if (db_command(c, "SELECT pg_advisory_lock($1::bigint)", 1, params, &e)) {
		free(files);
		return fail(MIGRATE_ERR_DB, err, errlen, "taking the migration lock: %s", e.message);
	}
	rc = run_locked(c, dir, files, n, &applied, err, errlen);
	db_command(c, "SELECT pg_advisory_unlock($1::bigint)", 1, params, NULL);
	free(files);
	if (applied_out)
		*applied_out = applied;
	if (rc == MIGRATE_OK)
		log_event(LOG_INFO, "migrate_done", "applied=%d total=%d", applied, n);
	return rc;
}

int migrate_status(PGconn *c, const char *dir, struct migrate_info *out,
		   int max, int *count, char *err, size_t errlen)
{
	struct mfile *files;
	PGresult *res;
	int n, k = 0, rc, rows;

	*count = 0;
	if (err && errlen)
		err[0] = '\0';
	rc = load_dir(dir, &files, &n, err, errlen);
	if (rc)
		return rc;
	if (!(res = applied_rows(c, err, errlen))) {
		free(files);
		return MIGRATE_ERR_DB;
	}
	rows = PQntuples(res);
	for (int i = 0; i < n && k < max; i++, k++) {
		out[k] = (struct migrate_info){.version = files[i].version};
		snprintf(out[k].name, sizeof out[k].name, "%s", files[i].name);
		snprintf(out[k].checksum, sizeof out[k].checksum, "%s", files[i].checksum);
		for (int r = 0; r < rows; r++)
			if (atoi(PQgetvalue(res, r, 0)) == files[i].version) {
				out[k].applied = 1;
				snprintf(out[k].applied_at, sizeof out[k].applied_at, "%s",
					 PQgetvalue(res, r, 3));
			}
	}
	for (int r = 0; r < rows && k < max; r++) {
		if (find(files, n, atoi(PQgetvalue(res, r, 0))))
			continue;
		out[k] = (struct migrate_info){.version = atoi(PQgetvalue(res, r, 0)), .applied = 1};
		snprintf(out[k].name, sizeof out[k].name, "%s", PQgetvalue(res, r, 1));
		snprintf(out[k].applied_at, sizeof out[k].applied_at, "%s", PQgetvalue(res, r, 3));
		k++;
	}
	rc = verify_applied(res, files, n, err, errlen);
	PQclear(res);
	free(files);
	*count = k;
	return rc;
}
