/* deposit — the deposit rule over a receipt.  See deposit.h. */
#include "money/deposit.h"

#include <stdio.h>
#include <string.h>

#include "money/abi.h"

/* What one log is, for the rule. */
enum log_kind { LOG_OTHER, LOG_MALFORMED, LOG_WRONG_TOKEN, LOG_WRONG_SENDER, LOG_MATCH };

static enum log_kind classify(const struct chain_log *l,
			      const struct deposit_rules *rules,
			      char from[EIP55_ADDRESS_SIZE], struct u256 *amount)
{
	const char *topics[CHAIN_MAX_TOPICS];
	char to[EIP55_ADDRESS_SIZE];
	int is_token = strcmp(l->address, rules->token) == 0;
	int rc;

	if (l->removed)
		return LOG_OTHER;
	for (size_t i = 0; i < l->n_topics; i++)
		topics[i] = l->topics[i];
	rc = abi_parse_transfer_log(topics, l->n_topics, l->data, from, to, amount);
	if (rc == ABI_ENOTTRANSFER)
		return LOG_OTHER;
	/* Any contract may emit a malformed "Transfer"; only the token's
	 * own would mean something is wrong on our side. */
	if (rc != ABI_OK)
		return is_token ? LOG_MALFORMED : LOG_OTHER;
	if (strcmp(to, rules->deposit_address) != 0)
		return LOG_OTHER;
	if (!is_token)
		return LOG_WRONG_TOKEN;
	return strcmp(from, rules->wallet) == 0 ? LOG_MATCH : LOG_WRONG_SENDER;
}

int deposit_check(const struct chain_receipt *r,
		  const struct deposit_rules *rules, struct deposit_found *out)
{
	int wrong_token = 0, wrong_sender = 0;

	memset(out, 0, sizeof *out);
	if (r->status != 1)
		return DEPOSIT_EREVERTED;
	for (size_t i = 0; i < r->n_logs; i++) {
		char from[EIP55_ADDRESS_SIZE];
		struct u256 amount;

		switch (classify(&r->logs[i], rules, from, &amount)) {
		case LOG_OTHER:
			break;
		case LOG_MALFORMED:
			return DEPOSIT_EMALFORMED;
		case LOG_WRONG_TOKEN:
			if (!wrong_token++ && !wrong_sender)
				memcpy(out->seen, r->logs[i].address, EIP55_ADDRESS_SIZE);
			break;
		case LOG_WRONG_SENDER:
			if (!wrong_sender++)
				memcpy(out->seen, from, EIP55_ADDRESS_SIZE);
			break;
		case LOG_MATCH:
			if (u256_add(&out->base_units, &amount, &out->base_units) != U256_OK)
				return DEPOSIT_ETOOLARGE;
			out->transfers++;
			break;
		}
	}
	if (out->transfers == 0)
		return wrong_sender ? DEPOSIT_EWRONGSENDER
		     : wrong_token ? DEPOSIT_EWRONGTOKEN : DEPOSIT_ENOTRANSFER;
	if (u256_to_ucents(&out->base_units, &out->ucents, &out->remainder) != U256_OK)
		return DEPOSIT_ETOOLARGE;
	return out->ucents > 0 ? DEPOSIT_OK : DEPOSIT_ETOOSMALL;
}

const char *deposit_describe(int err, const struct deposit_rules *rules,
			     const struct deposit_found *f, char *buf, size_t n)
{
	switch (err) {
	case DEPOSIT_OK:
		snprintf(buf, n, "USDC deposit");
		break;
	case DEPOSIT_EREVERTED:
		snprintf(buf, n, "The transaction failed on chain (status 0): "
			 "nothing was transferred");
		break;
	case DEPOSIT_ENOTRANSFER:
		snprintf(buf, n, "The transaction holds no token transfer to the "
			 "deposit address %s", rules->deposit_address);
		break;
	case DEPOSIT_EWRONGTOKEN:
		snprintf(buf, n, "The transaction transfers token %s, not USDC (%s)",
			 f->seen, rules->token);
		break;
	case DEPOSIT_EWRONGSENDER:
		snprintf(buf, n, "The USDC was sent from %s, not from your "
			 "registered wallet %s", f->seen, rules->wallet);
		break;
	case DEPOSIT_ETOOSMALL:
		snprintf(buf, n, "The transfer is less than 0.0001 USD (100 base "
			 "units), too small to credit");
		break;
	case DEPOSIT_ETOOLARGE:
		snprintf(buf, n, "The amount is too large to credit");
		break;
	default:
		snprintf(buf, n, "The USDC contract emitted a Transfer log that "
			 "could not be decoded");
		break;
	}
	return buf;
}
