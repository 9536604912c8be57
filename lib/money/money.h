/*
 * money — dollars on the wire, integer ucents everywhere else.
 *
 * DESIGN §2: 1 USD = 10,000 ucents. Every amount a client sends is parsed
 * from the JSON number's TEXT (never through a double), and every amount
 * felt sends is rendered from the integer. This module owns only that
 * translation; it holds no state.
 *
 * Input rule: a plain decimal with at most 2 fraction digits ("5", "5.5",
 * "5.50"). More fraction digits (even "5.500"), exponents, leading zeros,
 * a leading '+', and (unless allowed) a '-' sign are refused, so a client
 * never has an amount silently rounded.
 *
 * Output rule: dollars with at least 2 and at most 4 fraction digits,
 * trailing zeros beyond the second trimmed. 4 digits represent every ucent
 * exactly: 100000 -> "10.00", 150 -> "0.015", 1 -> "0.0001",
 * -5000 -> "-0.50".
 */
#ifndef FELT_MONEY_H
#define FELT_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#define MONEY_UCENTS_PER_DOLLAR INT64_C(10000)
#define MONEY_UCENTS_PER_CENT   INT64_C(100)

/* Room for any int64 ucents rendered by money_format_dollars(), NUL included. */
#define MONEY_FORMAT_SIZE 32

enum money_error {
	MONEY_OK = 0,
	MONEY_ESYNTAX = -1,    /* not a plain decimal number */
	MONEY_EPRECISION = -2, /* more than 2 fraction digits */
	MONEY_EEXPONENT = -3,  /* 1e3 style numbers */
	MONEY_ENEGATIVE = -4,  /* '-' where only non-negative amounts make sense */
	MONEY_ERANGE = -5,     /* does not fit int64 ucents */
	MONEY_ETYPE = -6,      /* JSON value is not a number */
};

enum money_parse_flags {
	MONEY_NONNEGATIVE = 0,
	MONEY_ALLOW_NEGATIVE = 1,
};

/*
 * Parse len bytes of text (a JSON number as written by the client) as
 * dollars into *out_ucents. flags is MONEY_NONNEGATIVE or
 * MONEY_ALLOW_NEGATIVE. Returns MONEY_OK or a negative enum money_error;
 * *out_ucents is written only on success.
 */
int money_parse_dollars(const char *text, size_t len, int flags,
			int64_t *out_ucents);

/*
 * Parse a json-c value holding a dollar amount. json-c keeps the original
 * text of numbers it parsed, and that text is what gets parsed, so no
 * double is involved. A string, bool, null, object or array is
 * MONEY_ETYPE. Returns as money_parse_dollars().
 */
int money_parse_json(struct json_object *value, int flags, int64_t *out_ucents);

/*
 * Render ucents as dollars into buf (size >= MONEY_FORMAT_SIZE recommended)
 * following the output rule above. Returns the length written (without the
 * NUL), or MONEY_ERANGE if buf is too small (buf then holds "").
 */
int money_format_dollars(int64_t ucents, char *buf, size_t size);

/*
 * A new json-c number whose serialized text is money_format_dollars(ucents),
 * e.g. {"balance": 10.00} rather than 10. Caller owns the reference
 * (json_object_put). Returns NULL only on allocation failure.
 */
struct json_object *money_json_dollars(int64_t ucents);

/*
 * Whole cents in ucents, rounded toward zero, for the wire's *_cents
 * fields (cents fields cannot carry sub-cent amounts; *_ucents beside them
 * are exact).
 */
int64_t money_ucents_to_cents(int64_t ucents);

/* A static English description of a money_error code. Never NULL. */
const char *money_strerror(int err);

#endif
