/* validate — see validate.h for the rules of each field. */
#include "core/validate.h"

#include <string.h>
#include <strings.h>

static int is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

int validate_name(const char *name)
{
	size_t len;

	if (name == NULL || name[0] == '\0')
		return VALIDATE_EEMPTY;
	len = strlen(name);
	for (size_t i = 0; i < len; i++)
		if (!is_alnum(name[i]) && name[i] != '_')
			return VALIDATE_ECHARS;
	if (len < VALIDATE_NAME_MIN || len > VALIDATE_NAME_MAX)
		return VALIDATE_ELENGTH;
	return VALIDATE_OK;
}

/* RFC 5322 atext minus nothing: letters, digits and these symbols. */
static int is_atext(char c)
{
	return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static int check_local(const char *s, size_t len)
{
	if (len == 0 || len > VALIDATE_EMAIL_LOCAL_MAX)
		return VALIDATE_EFORMAT;
	if (s[0] == '.' || s[len - 1] == '.')
		return VALIDATE_EFORMAT;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return VALIDATE_EFORMAT;
		} else if (!is_atext(s[i])) {
			return VALIDATE_ECHARS;
		}
	}
	return VALIDATE_OK;
}

static int check_domain(const char *s, size_t len)
{
	size_t labels = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!is_alnum(s[i]) && s[i] != '-')
				return VALIDATE_ECHARS;
			continue;
		}
		size_t n = i - start;

		if (n == 0 || n > 63 || s[start] == '-' || s[i - 1] == '-')
			return VALIDATE_EFORMAT;
		labels++;
		start = i + 1;
	}
	/* "user@localhost" is not an address anyone can be mailed at. */
	return labels >= 2 ? VALIDATE_OK : VALIDATE_EFORMAT;
}

int validate_email(const char *email)
{
	const char *at;
	size_t len;
	int rc;

	if (email == NULL || email[0] == '\0')
		return VALIDATE_EEMPTY;
	len = strlen(email);
	if (len > VALIDATE_EMAIL_MAX)
		return VALIDATE_ELENGTH;
	at = strchr(email, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL) {
		for (size_t i = 0; i < len; i++)
			if (email[i] != '@' && email[i] != '.' &&
			    !is_atext(email[i]))
				return VALIDATE_ECHARS;
		return VALIDATE_EFORMAT;
	}
	rc = check_local(email, (size_t)(at - email));
	if (rc != VALIDATE_OK)
		return rc;
	return check_domain(at + 1, len - (size_t)(at - email) - 1);
}

static int url_char_ok(char c)
{
	if (c <= ' ' || c >= 0x7f)
		return 0;
	return strchr("\"'<>\\`", c) == NULL;
}

int validate_avatar_url(const char *url)
{
	size_t len, rest;
	const char *host;

	if (url == NULL || url[0] == '\0')
		return VALIDATE_EEMPTY;
	len = strlen(url);
	if (len > VALIDATE_URL_MAX)
		return VALIDATE_ELENGTH;
	for (size_t i = 0; i < len; i++)
		if (!url_char_ok(url[i]))
			return VALIDATE_ECHARS;
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return VALIDATE_ESCHEME;
	rest = strcspn(host, "/?#");
	/* Userinfo ("http://a@b") is a phishing device, not an avatar. */
	if (rest == 0 || memchr(host, '@', rest) != NULL || host[0] == ':')
		return VALIDATE_EFORMAT;
	return VALIDATE_OK;
}

const char *validate_strerror(int err)
{
	switch (err) {
	case VALIDATE_OK:
		return "ok";
	case VALIDATE_EEMPTY:
		return "must not be empty";
	case VALIDATE_ELENGTH:
		return "has an invalid length";
	case VALIDATE_ECHARS:
		return "contains characters that are not allowed";
	case VALIDATE_EFORMAT:
		return "is not well formed";
	case VALIDATE_ESCHEME:
		return "must be an http:// or https:// URL";
	}
	return "unknown validate error";
}
