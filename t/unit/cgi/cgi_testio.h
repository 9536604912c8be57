/*
 * cgi_testio.h — memory readers and writers for the felt-api unit tests:
 * a request body served from a string (optionally in small chunks, to
 * exercise partial reads) and a growing output buffer.
 */
#ifndef FELT_T_CGI_TESTIO_H
#define FELT_T_CGI_TESTIO_H

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

struct mem_in {
	const char *data;
	size_t len, pos;
	size_t chunk;       /* max bytes per read; 0 = unlimited */
	size_t reads;       /* how many times read was called */
};

static inline ssize_t mem_read(void *ctx, char *buf, size_t n)
{
	struct mem_in *in = ctx;
	size_t left = in->len - in->pos;

	in->reads++;
	if (in->chunk && n > in->chunk)
		n = in->chunk;
	if (n > left)
		n = left;
	memcpy(buf, in->data + in->pos, n);
	in->pos += n;
	return (ssize_t)n;
}

struct mem_out {
	char *buf;
	size_t len, cap;
	int fail;           /* make every write fail */
};

static inline int mem_write(void *ctx, const char *p, size_t n)
{
	struct mem_out *out = ctx;

	if (out->fail)
		return -1;
	if (out->len + n + 1 > out->cap) {
		out->cap = (out->len + n + 1) * 2;
		out->buf = realloc(out->buf, out->cap);
	}
	memcpy(out->buf + out->len, p, n);
	out->len += n;
	out->buf[out->len] = '\0';
	return 0;
}

/* The body after the blank line that ends the CGI headers. */
static inline const char *mem_out_body(const struct mem_out *out)
{
	const char *p = out->buf ? strstr(out->buf, "\r\n\r\n") : NULL;

	return p ? p + 4 : NULL;
}

#endif
