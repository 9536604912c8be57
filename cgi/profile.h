/*
 * profile.h — the account fields agents send (name, email, wallet_address,
 * avatar_url): reading them from a JSON body with the validation rules of
 * lib/validate and lib/eip55, and naming the field a unique violation hit.
 *
 * Shared by POST /api/register, PATCH /api/me and POST /v1/agents so the
 * three cannot drift apart. Nothing here touches the database.
 */
#ifndef FELT_CGI_PROFILE_H
#define FELT_CGI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "core/db.h"
#include "core/name.h"
#include "money/eip55.h"

/* Which fields a body may carry (bit set). */
enum profile_field {
	PROFILE_NAME = 1 << 0,
	PROFILE_EMAIL = 1 << 1,
	PROFILE_WALLET = 1 << 2,
	PROFILE_AVATAR = 1 << 3,
};

/*
 * One parsed body. Strings point into the JSON object (live as long as it
 * does). For wallet and avatar, present && value NULL means "clear it"
 * (JSON null, PATCH only).
 */
struct profile_input {
	unsigned present;          /* enum profile_field bits seen */
	const char *name;
	const char *name_key;      /* agents.name_key of name, when name is set */
	const char *email;
	const char *wallet;        /* points at wallet_buf when set */
	const char *avatar_url;
	char wallet_buf[EIP55_ADDRESS_SIZE]; /* checksummed form */
	struct name_checked checked;  /* name_key points into it */
};

#define PROFILE_MSG_SIZE 160

/*
 * profile_parse: read the fields of `allowed` from body (a JSON object),
 * requiring every field of `required`. Fields outside `allowed` are
 * ignored (clients send extra keys). A name must also pass name.h's rules
 * (not uuid-shaped) and gets its uniqueness key. A wallet is refused when
 * it is the zero address (nobody's). A wrong type, a validation failure,
 * a missing required field or a null where null cannot mean "clear" fails:
 * -1 with a one-line message naming the field in msg (PROFILE_MSG_SIZE
 * bytes), for a 422 (/api) or 400 (/v1). Returns 0 on success.
 */
int profile_parse(struct json_object *body, unsigned allowed,
		  unsigned required, struct profile_input *out, char *msg);

/*
 * profile_conflict: the human message for a unique violation on agents
 * ("Email already registered", "Agent name already taken", "Agent name too
 * similar to a registered name", "Wallet address already registered"),
 * chosen by the violated index in err; NULL when err is not a unique
 * violation of one of those.
 */
const char *profile_conflict(const struct db_err *err);

#endif
