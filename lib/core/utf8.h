/*
 * utf8 — strict UTF-8 as RFC 3629 defines it, for every byte string felt
 * takes from outside (JSON bodies, query strings, path segments, names).
 *
 * Strict means: the shortest encoding only (no overlongs such as C0 AF for
 * '/'), no UTF-16 surrogates (U+D800..U+DFFF, ED A0 80...), nothing above
 * U+10FFFF (F4 90 80 80, F5..FF), no stray or missing continuation bytes.
 * PostgreSQL refuses such bytes with an error, and a lenient decoder
 * elsewhere may read them as something else ('/' or a quote): they are
 * refused at the edge instead.  U+0000 is valid UTF-8; callers that cannot
 * hold it (C strings) check for it themselves.
 *
 * Pure functions over (pointer, length); nothing is allocated.
 */
#ifndef FELT_UTF8_H
#define FELT_UTF8_H

#include <stddef.h>
#include <stdint.h>

enum utf8_error {
	UTF8_OK = 0,
	UTF8_EBYTE = -1,      /* a byte that cannot start a character (80..BF) */
	UTF8_ETRUNCATED = -2, /* a lead byte without all its continuation bytes */
	UTF8_EOVERLONG = -3,  /* a longer encoding than the character needs */
	UTF8_ESURROGATE = -4, /* U+D800..U+DFFF, which UTF-8 must not encode */
	UTF8_ERANGE = -5,     /* above U+10FFFF (F4 90.., F5..FF) */
};

/*
 * utf8_decode — decode the character at p[0..n) (n >= 1) into *cp.
 * Returns its length in bytes (1-4), or a negative utf8_error; *cp is only
 * written on success.
 */
int utf8_decode(const char *p, size_t n, uint32_t *cp);

/*
 * utf8_validate — check that p[0..n) is strict UTF-8.  Returns UTF8_OK, or
 * the utf8_error of the first bad character, whose byte offset is stored
 * in *bad when bad is not NULL.
 */
int utf8_validate(const char *p, size_t n, size_t *bad);

/* utf8_strerror — static English text for a utf8_error code. */
const char *utf8_strerror(int err);

#endif
