/* name — display name rules and confusable keys over ICU.  See name.h. */
#include "core/name.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "core/utf8.h"

/* UTF-16 working buffers: NFKC and skeletons expand (U+FDFA is 18
 * characters in NFKC, 'm' is "rn" in a skeleton), so leave room. */
#define WORK 4096

const char *name_strerror(int err)
{
	switch (err) {
	case NAME_OK: return "ok";
	case NAME_EENCODING: return "must be valid UTF-8 without NUL characters";
	case NAME_EEMPTY: return "must not be empty or blank";
	case NAME_ELENGTH: return "is too long";
	case NAME_ECHARS: return "must not contain control, format or invisible characters";
	case NAME_EUUID: return "must not look like an agent id (uuid)";
	case NAME_EINTERNAL: return "could not be checked";
	}
	return "unknown name error";
}

bool name_uuid_shaped(const char *s)
{
	size_t n = strlen(s), hex = 0;

	if (n >= 2 && s[0] == '{' && s[n - 1] == '}') {
		s++;
		n -= 2;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
		    (c >= 'A' && c <= 'F'))
			hex++;
		else if (c != '-')
			return false;
	}
	return hex == 32;
}

/* Normalise src[0..len) with form into dst (cap units); -1 on failure. */
static int32_t normalize(const UNormalizer2 *form, const UChar *src,
			 int32_t len, UChar *dst, int32_t cap)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n = unorm2_normalize(form, src, len, dst, cap, &e);

	return U_FAILURE(e) ? -1 : n;
}

static int to_utf8(const UChar *src, int32_t len, char *dst, size_t size)
{
	UErrorCode e = U_ZERO_ERROR;
	int32_t n;

	u_strToUTF8(dst, (int32_t)size, &n, src, len, &e);
	if (e == U_BUFFER_OVERFLOW_ERROR || e == U_STRING_NOT_TERMINATED_WARNING)
		return NAME_ELENGTH;
	return U_FAILURE(e) ? NAME_EINTERNAL : NAME_OK;
}

/* What no name may show: controls, format characters (bidi overrides,
 * zero-width ones), private use, unassigned, line and paragraph
 * separators, and invisible fillers.  Variation selectors only pick a
 * glyph style (emoji) and the key drops them anyway. */
static bool forbidden(UChar32 c)
{
	switch (u_charType(c)) {
	case U_CONTROL_CHAR:
	case U_FORMAT_CHAR:
	case U_PRIVATE_USE_CHAR:
	case U_SURROGATE:
	case U_UNASSIGNED:
	case U_LINE_SEPARATOR:
	case U_PARAGRAPH_SEPARATOR:
		return true;
	default:
		break;
	}
	return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) &&
	       !u_hasBinaryProperty(c, UCHAR_VARIATION_SELECTOR);
}

/* Collapse runs of white space into one U+0020 and drop them at both
 * ends, in place.  Returns the new length. */
static int32_t squeeze_space(UChar *s, int32_t len)
{
	int32_t i = 0, o = 0;
	bool space = false;

	while (i < len) {
		UChar32 c;

		U16_NEXT(s, i, len, c);
		if (u_isUWhiteSpace(c)) {
			space = o > 0;
			continue;
		}
		if (space)
			s[o++] = 0x20;
		space = false;
		U16_APPEND_UNSAFE(s, o, c);
	}
	return o;
}

int name_key(const char *name, char *key, size_t size)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&e);
	const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
	UChar a[WORK], b[WORK];
	USpoofChecker *sc;
	int32_t n;

	if (U_FAILURE(e))
		return NAME_EINTERNAL;
	if (utf8_validate(name, strlen(name), NULL) != UTF8_OK)
		return NAME_EENCODING;
	/* Every failure from here on but the checker's is a buffer too small
	 * for what the name expands to. */
	u_strFromUTF8(a, WORK, &n, name, -1, &e);
	if (U_FAILURE(e) || (n = normalize(nfkc, a, n, b, WORK)) < 0)
		return NAME_ELENGTH;
	sc = uspoof_open(&e);
	if (U_FAILURE(e))
		return NAME_EINTERNAL;
	/* Skeleton before case folding: 'I' and 'l' are confusable, 'i' and
	 * 'l' are not; folding after merges 'Bob' with 'bob' and Cyrillic
	 * capitals with Latin small letters. */
	n = uspoof_getSkeleton(sc, 0, b, n, a, WORK, &e);
	uspoof_close(sc);
	if (U_FAILURE(e))
		return e == U_BUFFER_OVERFLOW_ERROR ? NAME_ELENGTH : NAME_EINTERNAL;
	if ((n = normalize(nfkc_cf, a, n, b, WORK)) < 0)
		return NAME_ELENGTH;
	n = squeeze_space(b, n);
	return to_utf8(b, n, key, size);
}

int name_check(const char *in, size_t len, size_t max_chars,
	       struct name_checked *out)
{
	UErrorCode e = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&e);
	const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&e);
	UChar a[WORK], b[WORK];
	char folded[NAME_KEY_SIZE];
	int32_t n, start = 0, end, i;
	int rc;

	if (U_FAILURE(e))
		return NAME_EINTERNAL;
	if (len > NAME_MAX_BYTES)
		return NAME_ELENGTH;
	if (memchr(in, '\0', len) || utf8_validate(in, len, NULL) != UTF8_OK)
		return NAME_EENCODING;
	u_strFromUTF8(a, WORK, &n, in, (int32_t)len, &e);
	if (U_FAILURE(e) || (n = normalize(nfc, a, n, b, WORK)) < 0)
		return NAME_ELENGTH;
	/* Trim white space at both ends, then judge every character left. */
	end = n;
	while (start < end) {
		UChar32 c;

		i = start;
		U16_NEXT(b, i, end, c);
		if (!u_isUWhiteSpace(c))
			break;
		start = i;
	}
	while (end > start) {
		UChar32 c;

		i = end;
		U16_PREV(b, start, i, c);
		if (!u_isUWhiteSpace(c))
			break;
		end = i;
	}
	if (start == end)
		return NAME_EEMPTY;
	out->chars = 0;
	for (i = start; i < end;) {
		UChar32 c;

		U16_NEXT(b, i, end, c);
		if (forbidden(c))
			return NAME_ECHARS;
		out->chars++;
	}
	if (out->chars > max_chars)
		return NAME_ELENGTH;
	if ((rc = to_utf8(b + start, end - start, out->name, sizeof out->name)))
		return rc;
	/* "０１２３..." in fullwidth digits is still an id to a reader. */
	if ((n = normalize(nfkc_cf, b + start, end - start, a, WORK)) < 0)
		return NAME_ELENGTH;
	if ((rc = to_utf8(a, n, folded, sizeof folded)))
		return rc;
	if (name_uuid_shaped(out->name) || name_uuid_shaped(folded))
		return NAME_EUUID;
	return name_key(out->name, out->key, sizeof out->key);
}
