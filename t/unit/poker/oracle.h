/*
 * oracle — finding and reading the PokerKit oracle sample
 * (../shared/oracle/sample_1000.phhs, through FELT_SHARED or next to the
 * source tree) for the tests that replay it.  Header-only.
 */
#ifndef FELT_TEST_ORACLE_H
#define FELT_TEST_ORACLE_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#ifndef FELT_TOP_SRCDIR
#define FELT_TOP_SRCDIR "."
#endif

static char oracle_path[4096];

/* Whether the sample is there; oracle_path names where it was looked for. */
static inline bool oracle_find(void)
{
	const char *shared = getenv("FELT_SHARED");
	struct stat st;
	if (shared && *shared)
		snprintf(oracle_path, sizeof oracle_path, "%s/oracle/sample_1000.phhs", shared);
	else
		snprintf(oracle_path, sizeof oracle_path, "%s/../shared/oracle/sample_1000.phhs",
			 FELT_TOP_SRCDIR);
	return stat(oracle_path, &st) == 0;
}

/* The whole sample, NUL-terminated, in a buffer the caller frees; its
 * length in *len.  Fails the test if it cannot be read. */
static inline char *oracle_read(size_t *len)
{
	FILE *f = fopen(oracle_path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	ck_assert_int_ge(n, 0);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

#endif
