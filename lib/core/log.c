/* log — one event per line on stderr, kv or JSON.  See log.h. */
#include "core/log.h"

#include "core/config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 4096
#define TAIL_MAX_BYTES 3072
#define CLOSE_RESERVE 32 /* room kept to close a truncated JSON line */

/* Process-wide by nature (one stderr); atomics so threads may log while
 * main adjusts the level. */
static atomic_int cur_level = LOG_INFO;
static atomic_int cur_format = LOG_FORMAT_KV;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

struct line {
	char buf[LINE_MAX_BYTES];
	size_t len;
	bool truncated;
};

const char *log_strerror(int err)
{
	switch (err) {
	case LOG_OK: return "ok";
	case LOG_ERR_UNKNOWN: return "unknown log level or format";
	}
	return "unknown log error";
}

void log_set_level(enum log_level lvl)
{
	atomic_store(&cur_level, (int)lvl);
}

void log_set_format(enum log_format fmt)
{
	atomic_store(&cur_format, (int)fmt);
}

enum log_level log_get_level(void)
{
	return (enum log_level)atomic_load(&cur_level);
}

bool log_enabled(enum log_level lvl)
{
	return (int)lvl >= atomic_load(&cur_level);
}

int log_parse_level(const char *s, enum log_level *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return LOG_OK;
		}
	if (s && strcasecmp(s, "warning") == 0) {
		*out = LOG_WARN;
		return LOG_OK;
	}
	return LOG_ERR_UNKNOWN;
}

int log_parse_format(const char *s, enum log_format *out)
{
	if (s && strcasecmp(s, "kv") == 0)
		*out = LOG_FORMAT_KV;
	else if (s && strcasecmp(s, "json") == 0)
		*out = LOG_FORMAT_JSON;
	else
		return LOG_ERR_UNKNOWN;
	return LOG_OK;
}

int log_configure(void)
{
	enum log_level lvl;
	enum log_format fmt;

	if (log_parse_level(config_get(config_common_vars, "FELT_LOG_LEVEL"), &lvl) ||
	    log_parse_format(config_get(config_common_vars, "FELT_LOG_FORMAT"), &fmt))
		return LOG_ERR_UNKNOWN;
	log_set_level(lvl);
	log_set_format(fmt);
	return LOG_OK;
}

/* Append n bytes unless that would eat the closing reserve. */
static void put(struct line *l, const char *s, size_t n)
{
	if (l->truncated || l->len + n > sizeof l->buf - CLOSE_RESERVE) {
		l->truncated = true;
		return;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void puts_(struct line *l, const char *s)
{
	put(l, s, strlen(s));
}

static bool plain_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '=' && c != '\\';
}

static bool blank(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

char *log_one_line(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	if (!cap)
		return dst;
	for (const char *p = src ? src : ""; *p && n + 1 < cap;) {
		const char *run = p;
		bool soft = false;

		while (blank((unsigned char)*p)) {
			soft = soft || *p != ' ';
			p++;
		}
		if (p == run)
			dst[n++] = *p++;
		else if (n == 0 || !*p)
			continue; /* blanks at either end */
		else if (soft)
			dst[n++] = ' ';
		else
			for (; run < p && n + 1 < cap; run++)
				dst[n++] = ' ';
	}
	dst[n] = '\0';
	return dst;
}

int log_bad_config(const char *var, const char *why)
{
	char q[600];

	log_event(LOG_ERROR, "bad_config", "var=%s error=%s", var ? var : "?",
		  log_quote(why, q, sizeof q));
	return 2;
}

char *log_quote(const char *raw, char *out, size_t outlen)
{
	char s[LINE_MAX_BYTES];
	size_t o = 0;
	bool plain = raw && *raw;

	if (!outlen)
		return out;
	for (const char *p = raw; plain && *p; p++)
		plain = plain_char((unsigned char)*p) || (unsigned char)*p >= 0x80;
	if (plain) {
		snprintf(out, outlen, "%s", raw);
		return out;
	}
	log_one_line(s, sizeof s, raw);
#define EMIT(...)                                                          \
	do {                                                               \
		int w_ = snprintf(out + o, outlen - o, __VA_ARGS__);       \
		if (w_ < 0 || (size_t)w_ >= outlen - o)                    \
			goto full;                                         \
		o += (size_t)w_;                                           \
	} while (0)
	EMIT("\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			EMIT("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			EMIT("\\x%02x", *p);
		else
			EMIT("%c", *p);
	}
	EMIT("\"");
#undef EMIT
	return out;
full:
	/* Keep it a well-formed quoted string: cut and close the quote. */
	if (outlen >= 2) {
		o = o < outlen - 2 ? o : outlen - 2;
		/* do not end on a lone backslash, which would escape the quote */
		while (o > 1 && out[o - 1] == '\\')
			o--;
		out[o++] = '"';
		out[o] = '\0';
	} else {
		out[0] = '\0';
	}
	return out;
}

static void json_string(struct line *l, const char *s, size_t n)
{
	char esc[8];

	put(l, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			put(l, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			puts_(l, esc);
		} else {
			put(l, (const char *)&c, 1);
		}
	}
	put(l, "\"", 1);
}

/* A bare kv value that is a JSON number stays a number in JSON output. */
static bool json_number(const char *s, size_t n)
{
	size_t i = 0;

	if (i < n && s[i] == '-')
		i++;
	if (i >= n || s[i] < '0' || s[i] > '9' || (s[i] == '0' && i + 1 < n && s[i + 1] != '.'))
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i < n && s[i] == '.') {
		if (++i >= n)
			return false;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	}
	return i == n;
}

/* Decode one kv value (quoted or bare) starting at *pp into val; returns
 * its length and whether it was quoted. */
static size_t kv_value(const char **pp, char *val, size_t cap, bool *quoted)
{
	const char *p = *pp;
	size_t n = 0;

	*quoted = *p == '"';
	if (!*quoted) {
		while (*p && *p != ' ') {
			if (n + 1 < cap)
				val[n++] = *p;
			p++;
		}
	} else {
		for (p++; *p && *p != '"'; p++) {
			char c = *p;

			if (c == '\\' && p[1]) {
				p++;
				c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
				if (*p == 'x' && p[1] && p[2]) {
					unsigned v = 0;

					if (sscanf(p + 1, "%2x", &v) == 1) {
						c = (char)v;
						p += 2;
					}
				}
			}
			if (n + 1 < cap)
				val[n++] = c;
		}
		if (*p == '"')
			p++;
	}
	*pp = p;
	val[n] = '\0';
	return n;
}

static void json_tail(struct line *l, const char *tail)
{
	const char *p = tail;

	while (*p) {
		char v[TAIL_MAX_BYTES];
		const char *key;
		size_t klen, vlen;
		bool quoted;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		key = p;
		while (*p && *p != '=' && *p != ' ')
			p++;
		klen = (size_t)(p - key);
		put(l, ",", 1);
		json_string(l, key, klen);
		put(l, ":", 1);
		if (*p != '=') {
			put(l, "true", 4); /* a bare word is a flag */
			continue;
		}
		p++;
		vlen = kv_value(&p, v, sizeof v, &quoted);
		if (!quoted && json_number(v, vlen))
			put(l, v, vlen);
		else
			json_string(l, v, vlen);
	}
}

static void timestamp(char out[32])
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03dZ", (int)(ts.tv_nsec / 1000000) % 1000);
}

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere left to report it */
		p += w;
		n -= (size_t)w;
	}
}

void log_eventv(enum log_level lvl, const char *event, const char *fmt,
		va_list ap)
{
	struct line l = {.len = 0, .truncated = false};
	char tail[TAIL_MAX_BYTES] = "";
	char ts[32], ev[128];
	int lv = (int)lvl;
	bool tail_cut = false;

	if (!log_enabled(lvl))
		return;
	if (lv < 0 || lv > 3)
		lv = LOG_ERROR;
	if (fmt)
		tail_cut = vsnprintf(tail, sizeof tail, fmt, ap) >= (int)sizeof tail;
	timestamp(ts);
	if (atomic_load(&cur_format) == LOG_FORMAT_JSON) {
		puts_(&l, "{\"ts\":\"");
		puts_(&l, ts);
		puts_(&l, "\",\"level\":\"");
		puts_(&l, level_names[lv]);
		puts_(&l, "\",\"event\":");
		json_string(&l, event ? event : "", strlen(event ? event : ""));
		json_tail(&l, tail);
		if (l.truncated || tail_cut) {
			l.truncated = false;
			puts_(&l, ",\"truncated\":true");
		}
		puts_(&l, "}\n");
	} else {
		puts_(&l, "ts=");
		puts_(&l, ts);
		puts_(&l, " level=");
		puts_(&l, level_names[lv]);
		puts_(&l, " event=");
		puts_(&l, log_quote(event ? event : "", ev, sizeof ev));
		if (tail[0]) {
			puts_(&l, " ");
			puts_(&l, tail);
		}
		if (l.truncated || tail_cut) {
			l.truncated = false;
			puts_(&l, " truncated");
		}
		puts_(&l, "\n");
	}
	write_all(l.buf, l.len);
}

void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_eventv(lvl, event, fmt, ap);
	va_end(ap);
}
