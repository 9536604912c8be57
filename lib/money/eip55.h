/*
 * eip55 — Ethereum (Base) address checks and the EIP-55 mixed-case
 * checksum form that felt stores.
 *
 * An address is "0x" + 40 hex digits. All-lowercase and all-uppercase
 * digits carry no checksum and are accepted as is; mixed case is a
 * checksum and must be the right one, so a mistyped address is refused
 * rather than stored (funds sent to it would be lost).
 */
#ifndef FELT_EIP55_H
#define FELT_EIP55_H

#include <stddef.h>

/* "0x" + 40 hex digits + NUL. */
#define EIP55_ADDRESS_SIZE 43

enum eip55_error {
	EIP55_OK = 0,
	EIP55_EFORMAT = -1,   /* not "0x" followed by exactly 40 characters */
	EIP55_EHEX = -2,      /* a character that is not a hex digit */
	EIP55_ECHECKSUM = -3, /* mixed case that is not the EIP-55 checksum */
};

/*
 * Validate the NUL-terminated address in and write its checksummed form
 * to out (EIP55_ADDRESS_SIZE bytes, caller's buffer). Returns EIP55_OK or
 * a negative enum eip55_error; out is written only on success. in and out
 * may be the same buffer.
 */
int eip55_normalize(const char *in, char out[EIP55_ADDRESS_SIZE]);

/* A static English description of an eip55_error code. Never NULL. */
const char *eip55_strerror(int err);

#endif
