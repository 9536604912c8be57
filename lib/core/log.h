/*
 * log — one line per event on stderr.
 *
 * Format kv (default):
 *   ts=2026-11-23T16:00:00.123Z level=info event=request_done method=GET status=200
 * Format json:
 *   {"ts":"2026-11-23T16:00:00.123Z","level":"info","event":"request_done","method":"GET","status":"200"}
 *
 * The caller supplies the tail as printf-style "k=v k=v" pairs.  A value
 * that may contain spaces, quotes or control characters (a path, a message
 * from libpq) goes through log_quote() first.  Each line is written with a
 * single write(2) so lines from several threads never interleave.
 *
 * The level and format are process-wide settings (set once at start-up from
 * FELT_LOG_LEVEL / FELT_LOG_FORMAT, read atomically afterwards).
 */
#ifndef FELT_LOG_H
#define FELT_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum log_level {
	LOG_DEBUG = 0,
	LOG_INFO = 1,
	LOG_WARN = 2,
	LOG_ERROR = 3,
};

enum log_format {
	LOG_FORMAT_KV = 0,
	LOG_FORMAT_JSON = 1,
};

enum log_error {
	LOG_OK = 0,
	LOG_ERR_UNKNOWN = -1, /* unknown level or format name */
};

/* log_strerror — static English text for a log_error code. */
const char *log_strerror(int err);

/* log_set_level — drop events below lvl from now on. */
void log_set_level(enum log_level lvl);

/* log_set_format — choose kv or json output from now on. */
void log_set_format(enum log_format fmt);

/* log_get_level — current threshold. */
enum log_level log_get_level(void);

/* log_enabled — true if an event at lvl would be written (skip expensive
 * argument preparation otherwise). */
bool log_enabled(enum log_level lvl);

/*
 * log_parse_level — "debug"/"info"/"warn"/"error" (case-insensitive) into
 * *out.  Returns LOG_OK or LOG_ERR_UNKNOWN.
 */
int log_parse_level(const char *s, enum log_level *out);

/*
 * log_parse_format — "kv"/"json" into *out.  Returns LOG_OK or
 * LOG_ERR_UNKNOWN.
 */
int log_parse_format(const char *s, enum log_format *out);

/*
 * log_configure — set level and format from FELT_LOG_LEVEL and
 * FELT_LOG_FORMAT (defaults info, kv).  Returns LOG_OK or LOG_ERR_UNKNOWN
 * (settings then unchanged); programs should refuse to start on error.
 */
int log_configure(void);

/*
 * log_event — write one event line if lvl is enabled.  fmt (may be NULL)
 * is a printf format producing the tail as space-separated key=value pairs;
 * a value may be double-quoted ("a b") to contain spaces, with \" and \\
 * escapes (log_quote makes such values).  In json format the pairs become
 * members: a bare value that is a JSON number stays a number, everything
 * else a string, and a bare word without '=' becomes `"word": true`.
 * Lines are truncated at 4 KiB.  Never fails visibly.
 */
void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* log_eventv — va_list form of log_event. */
void log_eventv(enum log_level lvl, const char *event, const char *fmt,
		va_list ap);

/*
 * log_quote — write s into out (size outlen) as a kv value: unchanged when
 * it is a plain token, otherwise as log_one_line() makes it, double-quoted
 * with \" \\ escapes and other control bytes as \xHH.  Always
 * NUL-terminates (truncating if needed).  Returns out, so it can be used
 * inside a log_event argument list.
 */
char *log_quote(const char *s, char *out, size_t outlen);

/*
 * log_bad_config — log the setting a program refuses to start with, as
 * "event=bad_config var=VAR error=WHY" (WHY from config_explain,
 * settings_explain...), and return 2, the exit status for it.
 */
int log_bad_config(const char *var, const char *why);

/*
 * log_one_line — copy src into dst (size cap, always NUL-terminated) as one
 * line of prose: every run of blanks that holds a newline, tab or carriage
 * return (libpq ends a message with "\n" and puts "\n\t" before its hint)
 * becomes one space, and blanks at either end are dropped.  The one place
 * that cleans messages for logs and for one-line errors.  Returns dst.
 */
char *log_one_line(char *dst, size_t cap, const char *src);

#endif
