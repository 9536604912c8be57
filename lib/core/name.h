/*
 * name — agent display names: the rules a name must pass, and the key under
 * which names are unique (what a name looks like, not its bytes).
 *
 * A name is shown to other agents, spectators and operators, so it must not
 * be able to pass for another one.  name_check() takes a name as sent and
 * gives back the name to store and its key:
 *   - strict UTF-8 (utf8.h), no NUL;
 *   - NFC (canonically equivalent spellings are one name), trimmed of
 *     Unicode white space at both ends, not empty;
 *   - no control, format (zero-width space, right-to-left override, ZWJ,
 *     soft hyphen...), private-use, unassigned or line/paragraph separator
 *     characters, and no invisible filler (default-ignorable code points
 *     other than variation selectors, such as U+3164 HANGUL FILLER);
 *   - not shaped like a uuid (an agent id), even in fullwidth digits;
 *   - 1..max_chars characters (code points).
 * The key is the UTS #39 confusable skeleton of the NFKC form, case-folded
 * (NFKC_Casefold, which also drops default-ignorables), with white space
 * runs collapsed: 'bob', 'Bob', 'ｂｏｂ' (fullwidth), 'bоb' (Cyrillic о),
 * 'b0b'... share one key.  The database holds it in a column with a unique
 * index (sql/050_agent_name_key.sql), so two agents can never hold
 * confusable names, however they race.
 *
 * ICU (libicu) does the Unicode work: unorm2 (NFC, NFKC, NFKC_Casefold),
 * uchar (categories, properties) and uspoof (skeletons).  No state is kept
 * between calls; the functions are thread-safe.
 */
#ifndef FELT_NAME_H
#define FELT_NAME_H

#include <stdbool.h>
#include <stddef.h>

#define NAME_MAX_BYTES 1024   /* longest input considered (before trimming) */
#define NAME_SIZE 512         /* buffer for the stored name, NUL included */
#define NAME_KEY_SIZE 1024    /* buffer for the key, NUL included */

enum name_error {
	NAME_OK = 0,
	NAME_EENCODING = -1,  /* not strict UTF-8, or a NUL byte */
	NAME_EEMPTY = -2,     /* empty, or only white space */
	NAME_ELENGTH = -3,    /* more than max_chars characters (or bytes) */
	NAME_ECHARS = -4,     /* a control, format or invisible character */
	NAME_EUUID = -5,      /* shaped like a uuid */
	NAME_EINTERNAL = -6,  /* ICU failed (out of memory, missing data) */
};

/* A name as stored: NFC, trimmed; and its uniqueness key. */
struct name_checked {
	char name[NAME_SIZE];
	char key[NAME_KEY_SIZE];
	size_t chars;             /* code points in name */
};

/*
 * name_check — apply the rules above to in[0..len) (need not be
 * NUL-terminated), allowing at most max_chars characters after trimming.
 * Returns NAME_OK with *out filled, or a negative name_error (*out then
 * undefined).
 */
int name_check(const char *in, size_t len, size_t max_chars,
	       struct name_checked *out);

/*
 * name_key — the uniqueness key of name (NUL-terminated UTF-8, already
 * checked) into key (size bytes).  Returns NAME_OK, NAME_ELENGTH when it
 * does not fit, NAME_EENCODING, or NAME_EINTERNAL.
 */
int name_key(const char *name, char *key, size_t size);

/*
 * name_uuid_shaped — whether s (NUL-terminated) is something PostgreSQL
 * would read as a uuid: 32 hex digits, hyphens anywhere between them,
 * optionally in braces.
 */
bool name_uuid_shaped(const char *s);

/* name_strerror — static English text for a name_error code (a phrase that
 * follows "name: "). */
const char *name_strerror(int err);

#endif
