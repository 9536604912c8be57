/* money — see money.h for the input and output rules. */
#include "money/money.h"

#include <stdlib.h>
#include <string.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Refuse an exponent before anything else: "1e2" is a syntax question the
 * client should see answered as "no exponents", not as "bad number". */
static int has_exponent(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (text[i] == 'e' || text[i] == 'E')
			return 1;
	return 0;
}

int money_parse_dollars(const char *text, size_t len, int flags,
			int64_t *out_ucents)
{
	size_t i = 0;
	int negative = 0;
	uint64_t whole = 0;
	int64_t frac_ucents = 0;

	if (text == NULL || len == 0)
		return MONEY_ESYNTAX;
	if (has_exponent(text, len))
		return MONEY_EEXPONENT;
	if (text[0] == '-') {
		negative = 1;
		i++;
	}
	if (i == len || !is_digit(text[i]))
		return MONEY_ESYNTAX;
	/* JSON forbids leading zeros; "007" is a typo, not seven. */
	if (text[i] == '0' && i + 1 < len && is_digit(text[i + 1]))
		return MONEY_ESYNTAX;
	for (; i < len && is_digit(text[i]); i++) {
		whole = whole * 10 + (uint64_t)(text[i] - '0');
		/* Checked every digit so the accumulator itself never wraps. */
		if (whole > (uint64_t)(INT64_MAX / MONEY_UCENTS_PER_DOLLAR))
			return MONEY_ERANGE;
	}
	if (i < len && text[i] == '.') {
		size_t digits = 0;
		int64_t place = MONEY_UCENTS_PER_DOLLAR / 10;

		for (i++; i < len && is_digit(text[i]); i++, digits++) {
			if (digits >= 2)
				return MONEY_EPRECISION;
			frac_ucents += (text[i] - '0') * place;
			place /= 10;
		}
		if (digits == 0)
			return MONEY_ESYNTAX;
	}
	if (i != len)
		return MONEY_ESYNTAX;
	if (negative && !(flags & MONEY_ALLOW_NEGATIVE))
		return MONEY_ENEGATIVE;
	if ((int64_t)whole > (INT64_MAX - frac_ucents) / MONEY_UCENTS_PER_DOLLAR)
		return MONEY_ERANGE;

	int64_t ucents = (int64_t)whole * MONEY_UCENTS_PER_DOLLAR + frac_ucents;
	*out_ucents = negative ? -ucents : ucents;
	return MONEY_OK;
}

int money_parse_json(struct json_object *value, int flags, int64_t *out_ucents)
{
	const char *text;

	if (value == NULL)
		return MONEY_ETYPE;
	switch (json_object_get_type(value)) {
	case json_type_int:
	case json_type_double:
		break;
	default:
		return MONEY_ETYPE;
	}
	/* For parsed numbers json-c serializes the original token verbatim. */
	text = json_object_to_json_string_ext(value, JSON_C_TO_STRING_PLAIN);
	if (text == NULL)
		return MONEY_ESYNTAX;
	return money_parse_dollars(text, strlen(text), flags, out_ucents);
}

int money_format_dollars(int64_t ucents, char *buf, size_t size)
{
	char tmp[MONEY_FORMAT_SIZE];
	size_t n = 0;
	/* Magnitude in uint64 so INT64_MIN has one too. */
	uint64_t mag = ucents < 0 ? (uint64_t)0 - (uint64_t)ucents
				  : (uint64_t)ucents;
	uint64_t whole = mag / (uint64_t)MONEY_UCENTS_PER_DOLLAR;
	uint64_t frac = mag % (uint64_t)MONEY_UCENTS_PER_DOLLAR;
	char digits[24];
	size_t nd = 0;
	int frac_digits = 4;

	if (ucents < 0)
		tmp[n++] = '-';
	do {
		digits[nd++] = (char)('0' + whole % 10);
		whole /= 10;
	} while (whole > 0);
	while (nd > 0)
		tmp[n++] = digits[--nd];
	tmp[n++] = '.';
	while (frac_digits > 2 && frac % 10 == 0) {
		frac /= 10;
		frac_digits--;
	}
	for (int d = frac_digits - 1; d >= 0; d--) {
		tmp[n + (size_t)d] = (char)('0' + frac % 10);
		frac /= 10;
	}
	n += (size_t)frac_digits;
	if (n + 1 > size) {
		if (size > 0)
			buf[0] = '\0';
		return MONEY_ERANGE;
	}
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return (int)n;
}

struct json_object *money_json_dollars(int64_t ucents)
{
	char text[MONEY_FORMAT_SIZE];

	money_format_dollars(ucents, text, sizeof text);
	/* json-c wants a double shadow value next to the text. It is only what
	 * json_object_get_double() would return to C code (none of ours calls
	 * it); the wire gets the integer-rendered text verbatim. */
	return json_object_new_double_s(strtod(text, NULL), text);
}

int64_t money_ucents_to_cents(int64_t ucents)
{
	return ucents / MONEY_UCENTS_PER_CENT;
}

const char *money_strerror(int err)
{
	switch (err) {
	case MONEY_OK:
		return "ok";
	case MONEY_ESYNTAX:
		return "not a decimal number";
	case MONEY_EPRECISION:
		return "at most 2 decimal places";
	case MONEY_EEXPONENT:
		return "exponents are not accepted";
	case MONEY_ENEGATIVE:
		return "must not be negative";
	case MONEY_ERANGE:
		return "amount out of range";
	case MONEY_ETYPE:
		return "must be a number";
	}
	return "unknown money error";
}
