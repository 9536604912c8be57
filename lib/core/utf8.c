/* utf8 — strict RFC 3629 decoding and validation.  See utf8.h. */
#include "core/utf8.h"

const char *utf8_strerror(int err)
{
	switch (err) {
	case UTF8_OK: return "ok";
	case UTF8_EBYTE: return "invalid UTF-8 byte";
	case UTF8_ETRUNCATED: return "truncated UTF-8 sequence";
	case UTF8_EOVERLONG: return "overlong UTF-8 encoding";
	case UTF8_ESURROGATE: return "UTF-8 encoded surrogate";
	case UTF8_ERANGE: return "UTF-8 sequence above U+10FFFF";
	}
	return "unknown utf8 error";
}

static int is_cont(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/*
 * The well-formed byte sequences of RFC 3629 §4: the second byte's range
 * depends on the first (E0 A0..BF, ED 80..9F, F0 90..BF, F4 80..8F), which
 * is what rules out overlongs, surrogates and values above U+10FFFF.
 */
int utf8_decode(const char *p, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)p;
	unsigned char b0 = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len;
	uint32_t v;

	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	if (b0 < 0xC0)
		return UTF8_EBYTE;
	if (b0 < 0xC2)
		return UTF8_EOVERLONG; /* C0, C1: two-byte forms of ASCII */
	if (b0 < 0xE0) {
		len = 2;
		v = b0 & 0x1F;
	} else if (b0 < 0xF0) {
		len = 3;
		v = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0;
		else if (b0 == 0xED)
			hi = 0x9F;
	} else if (b0 < 0xF5) {
		len = 4;
		v = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90;
		else if (b0 == 0xF4)
			hi = 0x8F;
	} else {
		return UTF8_ERANGE; /* F5..FF would start values above U+10FFFF */
	}
	if (n < 2 || !is_cont(s[1]))
		return UTF8_ETRUNCATED;
	if (s[1] < lo)
		return UTF8_EOVERLONG;
	if (s[1] > hi)
		return b0 == 0xED ? UTF8_ESURROGATE : UTF8_ERANGE;
	for (size_t i = 1; i < len; i++) {
		if (i >= n || !is_cont(s[i]))
			return UTF8_ETRUNCATED;
		v = (v << 6) | (s[i] & 0x3F);
	}
	*cp = v;
	return (int)len;
}

int utf8_validate(const char *p, size_t n, size_t *bad)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		int len;

		/* ASCII runs are the common case: no decoding needed. */
		if ((unsigned char)p[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_decode(p + i, n - i, &cp);
		if (len < 0) {
			if (bad)
				*bad = i;
			return len;
		}
		i += (size_t)len;
	}
	return UTF8_OK;
}
