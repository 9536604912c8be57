/*
 * profile.c — account fields from JSON bodies (see profile.h).
 */
#include "profile.h"

#include <stdio.h>
#include <string.h>

#include "core/name.h"
#include "core/validate.h"

struct field_rule {
	enum profile_field bit;
	const char *key;
	bool nullable; /* JSON null clears the field */
};

static const struct field_rule rules[] = {
	{ PROFILE_NAME, "name", false },
	{ PROFILE_EMAIL, "email", false },
	{ PROFILE_WALLET, "wallet_address", true },
	{ PROFILE_AVATAR, "avatar_url", true },
};

/* Messages say what is wrong in the client's terms, field first. */
static int fail(char *msg, const char *key, const char *why)
{
	snprintf(msg, PROFILE_MSG_SIZE, "%s: %s", key, why);
	return -1;
}

/*
 * A JSON string with an embedded NUL ("a\u0000b") would be validated and
 * stored as its first part only; refuse it instead of truncating.
 */
static int get_string(struct json_object *v, const char **out)
{
	const char *s = json_object_get_string(v);

	if ((size_t)json_object_get_string_len(v) != strlen(s))
		return -1;
	*out = s;
	return 0;
}

static int check_value(const struct field_rule *r, const char *s,
		       struct profile_input *out, char *msg)
{
	int rc;

	switch (r->bit) {
	case PROFILE_NAME:
		if (validate_name(s) != VALIDATE_OK)
			return fail(msg, r->key,
				    "must be 3-32 characters: letters, digits "
				    "and underscore");
		/* The rules every name shares (name.h): here only the
		 * uuid shape can fail, and the key is what makes lookalikes
		 * ("bot_1" after "bot_l") a 409. */
		rc = name_check(s, strlen(s), VALIDATE_NAME_MAX, &out->checked);
		if (rc != NAME_OK)
			return fail(msg, r->key, name_strerror(rc));
		out->name = s;
		out->name_key = out->checked.key;
		return 0;
	case PROFILE_EMAIL:
		if (validate_email(s) != VALIDATE_OK)
			return fail(msg, r->key, "must be a valid email address");
		out->email = s;
		return 0;
	case PROFILE_WALLET:
		rc = eip55_normalize(s, out->wallet_buf);
		if (rc != EIP55_OK)
			return fail(msg, r->key, eip55_strerror(rc));
		/* 0x000...0 passes every format check, but nobody holds
		 * its key: a withdrawal sent there is burnt. */
		if (strspn(out->wallet_buf + 2, "0") == EIP55_ADDRESS_SIZE - 3)
			return fail(msg, r->key,
				    "must not be the zero address");
		out->wallet = out->wallet_buf;
		return 0;
	case PROFILE_AVATAR:
		rc = validate_avatar_url(s);
		if (rc != VALIDATE_OK) {
			char why[96];

			/* One sentence: what is wrong, in the form wanted. */
			if (rc == VALIDATE_ELENGTH)
				snprintf(why, sizeof why, "must be at most %d characters",
					 VALIDATE_URL_MAX);
			else if (rc == VALIDATE_ECHARS)
				snprintf(why, sizeof why, "must be a URL without spaces,"
					 " quotes or control characters");
			else
				snprintf(why, sizeof why, "must be an http:// or https://"
					 " URL with a host");
			return fail(msg, r->key, why);
		}
		out->avatar_url = s;
		return 0;
	}
	return fail(msg, r->key, "unknown field");
}

int profile_parse(struct json_object *body, unsigned allowed,
		  unsigned required, struct profile_input *out, char *msg)
{
	memset(out, 0, sizeof *out);
	msg[0] = '\0';
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		const struct field_rule *r = &rules[i];
		struct json_object *v;
		const char *s;

		if (!(allowed & r->bit))
			continue;
		if (!json_object_object_get_ex(body, r->key, &v)) {
			if (required & r->bit && r->bit == PROFILE_EMAIL) {
				/* Open Poker's own wording for this case. */
				snprintf(msg, PROFILE_MSG_SIZE, "Email is required. "
					 "Provide an email address to register "
					 "your bot.");
				return -1;
			}
			if (required & r->bit)
				return fail(msg, r->key, "field required");
			continue;
		}
		out->present |= r->bit;
		if (v == NULL) {
			if (r->nullable && !(required & r->bit))
				continue;
			return fail(msg, r->key, "must not be null");
		}
		if (!json_object_is_type(v, json_type_string))
			return fail(msg, r->key, "must be a string");
		if (get_string(v, &s) != 0)
			return fail(msg, r->key, "must not contain NUL characters");
		if (check_value(r, s, out, msg) != 0)
			return -1;
	}
	return 0;
}

const char *profile_conflict(const struct db_err *err)
{
	if (err == NULL || err->code != DB_ERR_UNIQUE)
		return NULL;
	/* Index names from sql/001_agents.sql. */
	if (strcmp(err->constraint, "agents_email_key") == 0)
		return "Email already registered";
	if (strcmp(err->constraint, "agents_name_key") == 0)
		return "Agent name already taken";
	if (strcmp(err->constraint, "agents_name_skeleton_key") == 0)
		return "Agent name too similar to a registered name";
	if (strcmp(err->constraint, "agents_wallet_key") == 0)
		return "Wallet address already registered";
	return NULL;
}
