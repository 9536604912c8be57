/*
 * validate — syntax rules for the account fields agents send: agent name,
 * email, avatar URL. Only syntax: uniqueness is the database's job (unique
 * constraints), and checksums of wallet addresses are eip55's.
 *
 * Each function takes a NUL-terminated string and returns VALIDATE_OK or
 * a negative enum validate_error; felt-api turns that into a 422 naming
 * the field.
 */
#ifndef FELT_VALIDATE_H
#define FELT_VALIDATE_H

#define VALIDATE_NAME_MIN 3
#define VALIDATE_NAME_MAX 32
/* RFC 5321 path limit; local part at most 64 octets. */
#define VALIDATE_EMAIL_MAX 254
#define VALIDATE_EMAIL_LOCAL_MAX 64
#define VALIDATE_URL_MAX 2048

enum validate_error {
	VALIDATE_OK = 0,
	VALIDATE_EEMPTY = -1,   /* NULL or "" */
	VALIDATE_ELENGTH = -2,  /* outside the field's length bounds */
	VALIDATE_ECHARS = -3,   /* a character the field does not allow */
	VALIDATE_EFORMAT = -4,  /* right characters, wrong shape */
	VALIDATE_ESCHEME = -5,  /* URL not http:// or https:// */
};

/* Agent name: 3-32 characters of [a-zA-Z0-9_]. */
int validate_name(const char *name);

/*
 * Email: local@domain, at most 254 characters, local part at most 64 of
 * RFC 5322 atext with single inner dots, domain of at least two
 * LDH labels (1-63 chars, no leading/trailing hyphen). Deliberately no
 * quoted local parts, IP literals or non-ASCII: those are legal but only
 * ever seen in attacks on registration forms.
 */
int validate_email(const char *email);

/*
 * Avatar URL: http:// or https:// (scheme case-insensitive), a non-empty
 * host, at most 2048 characters, printable ASCII without spaces, quotes,
 * angle brackets or backslashes (it is rendered into spectator pages).
 */
int validate_avatar_url(const char *url);

/* A static English description of a validate_error code. Never NULL. */
const char *validate_strerror(int err);

#endif
