/*
 * handlog — the log of one hand, driving the engine.  See handlog.h; the
 * JSON form is in handlog_json.c, the PHH form in handlog_phh.c.
 */
#include "poker/handlog.h"

#include <stdlib.h>
#include <string.h>

#include "poker/handlog_internal.h"

void handlog_init(struct handlog *log)
{
	memset(log, 0, sizeof *log);
}

void handlog_free(struct handlog *log)
{
	if (!log)
		return;
	free(log->entries);
	free(log->text);
	handlog_init(log);
}

/* Forget the hand, keep the memory. */
static void forget(struct handlog *log)
{
	memset(&log->cfg, 0, sizeof log->cfg);
	log->has_seed = false;
	memset(log->seed, 0, sizeof log->seed);
	memset(log->commitment, 0, sizeof log->commitment);
	log->started_ms = 0;
	log->started = false;
	log->n = 0;
	log->text_len = 0;
}

/* Room for `more` entries beyond log->n.  Growing is the only thing that
 * can fail, so every driver calls this before touching the engine. */
static int room(struct handlog *log, int more)
{
	if (log->n + more <= log->cap)
		return HANDLOG_OK;
	int cap = log->cap ? log->cap : 64;
	while (cap < log->n + more)
		cap *= 2;
	struct handlog_entry *e = realloc(log->entries, (size_t)cap * sizeof *e);
	if (!e)
		return HANDLOG_ENOMEM;
	log->entries = e;
	log->cap = cap;
	return HANDLOG_OK;
}

/* Move the engine's pending events into the log (room was made). */
static void take(struct handlog *log, struct hand *h, int64_t now_ms)
{
	for (int i = 0; i < h->nevents; i++) {
		struct handlog_entry *e = &log->entries[log->n++];
		memset(e, 0, sizeof *e);
		e->ev = h->events[i];
		e->at_ms = now_ms;
		e->reasoning = -1;
		e->action = e->ev.type == HAND_EV_FOLD || e->ev.type == HAND_EV_CHECK ||
			    e->ev.type == HAND_EV_CALL || e->ev.type == HAND_EV_RAISE;
	}
	hand_events_clear(h);
}

/* Length of the valid UTF-8 character at s (1..4), or 0 if s does not
 * start one (RFC 3629: no overlongs, no surrogates, nothing above
 * U+10FFFF). */
static int utf8_char(const unsigned char *s)
{
	unsigned char c = s[0];
	int n;
	unsigned char lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (int k = 2; k < n; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return n;
}

int handlog_text_room(struct handlog *log, size_t more)
{
	if (log->text_len + more <= log->text_cap)
		return HANDLOG_OK;
	size_t cap = log->text_cap ? log->text_cap : 4096;
	while (cap < log->text_len + more)
		cap *= 2;
	char *t = realloc(log->text, cap);
	if (!t)
		return HANDLOG_ENOMEM;
	log->text = t;
	log->text_cap = cap;
	return HANDLOG_OK;
}

/*
 * Copy reasoning into the log's text, as valid UTF-8 of at most
 * HANDLOG_REASONING_MAX bytes cut at a character boundary, NUL-terminated.
 * Returns its offset, -1 when there is nothing to keep (NULL, or the hand's
 * total is used up), or HANDLOG_ENOMEM.
 */
static int64_t keep_text(struct handlog *log, const char *reasoning)
{
	static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

	if (!reasoning || log->text_len + HANDLOG_REASONING_MAX + 1 > HANDLOG_REASONING_TOTAL)
		return -1;
	if (handlog_text_room(log, HANDLOG_REASONING_MAX + 1) != HANDLOG_OK)
		return HANDLOG_ENOMEM;
	size_t at = log->text_len, n = 0;
	const unsigned char *s = (const unsigned char *)reasoning;
	while (*s) {
		int len = utf8_char(s);
		const char *src = (const char *)s;
		int out = len;
		if (len == 0) {
			src = replacement;
			out = 3;
			len = 1;
		}
		if (n + (size_t)out > HANDLOG_REASONING_MAX)
			break;
		memcpy(log->text + at + n, src, (size_t)out);
		n += (size_t)out;
		s += len;
	}
	log->text[at + n] = '\0';
	log->text_len = at + n + 1;
	return (int64_t)at;
}

const char *handlog_reasoning(const struct handlog *log, int i)
{
	if (i < 0 || i >= log->n || log->entries[i].reasoning < 0)
		return NULL;
	return log->text + log->entries[i].reasoning;
}

static int start(struct handlog *log, struct hand *h, const struct hand_config *cfg,
		 const struct deck *deck, int64_t now_ms)
{
	int err;

	if ((err = room(log, HAND_EVENTS_PER_START)) != HANDLOG_OK)
		return err;
	if ((err = hand_start(h, cfg, deck)) != HAND_OK) {
		forget(log);
		return err;
	}
	log->cfg = h->cfg;
	/* Seats beyond the table are not part of the hand (and not stored). */
	for (int i = log->cfg.nseats; i < HAND_MAX_SEATS; i++)
		log->cfg.stacks_chips[i] = log->cfg.antes_chips[i] = 0;
	log->started_ms = now_ms;
	log->started = true;
	take(log, h, now_ms);
	return HANDLOG_OK;
}

int handlog_start(struct handlog *log, struct hand *h, const struct hand_config *cfg,
		  const uint8_t seed[DECK_SEED_SIZE], struct deck_shuffler *shuffler,
		  int64_t now_ms)
{
	struct deck d;

	forget(log);
	if (shuffler)
		deck_shuffle_with(shuffler, &d, seed);
	else
		deck_shuffle(&d, seed);
	int err = start(log, h, cfg, &d, now_ms);
	if (err != HANDLOG_OK)
		return err;
	log->has_seed = true;
	memcpy(log->seed, seed, DECK_SEED_SIZE);
	deck_commitment(seed, &d, log->commitment);
	return HANDLOG_OK;
}

int handlog_start_deck(struct handlog *log, struct hand *h, const struct hand_config *cfg,
		       const struct deck *deck, int64_t now_ms)
{
	forget(log);
	return start(log, h, cfg, deck, now_ms);
}

/* Near the end of the log only actions that cannot reopen the betting are
 * taken (handlog.h, Bounds). */
static bool raise_refused(const struct handlog *log, const struct hand *h,
			  const struct hand_action *a)
{
	if (log->n < HANDLOG_MAX_ENTRIES - HANDLOG_RESERVE)
		return false;
	if (a->type == HAND_RAISE)
		return true;
	if (a->type != HAND_ALLIN)
		return false;
	struct hand_legal l;
	hand_legal(h, &l);
	return l.can_raise;
}

int handlog_apply(struct handlog *log, struct hand *h, int seat, const struct hand_action *a,
		  int64_t now_ms, bool timeout, const char *reasoning)
{
	int err;

	if (!log->started)
		return HANDLOG_ESTATE;
	if (raise_refused(log, h, a))
		return HANDLOG_EFULL;
	if ((err = room(log, h->nevents + HAND_EVENTS_PER_ACTION)) != HANDLOG_OK)
		return err;
	size_t text_before = log->text_len;
	int64_t text = keep_text(log, reasoning);
	if (text == HANDLOG_ENOMEM)
		return HANDLOG_ENOMEM;
	/* Events the caller left in the outbox belong before this action. */
	if (h->nevents > 0)
		take(log, h, now_ms);
	if ((err = hand_apply(h, seat, a)) != HAND_OK) {
		log->text_len = text_before;
		return err;
	}
	struct handlog_entry *act = &log->entries[log->n];
	take(log, h, now_ms);
	/* hand_apply's first event is always the action itself. */
	act->timeout = timeout;
	act->reasoning = (int32_t)text;
	return HANDLOG_OK;
}

int handlog_muck(struct handlog *log, struct hand *h, int seat, int64_t now_ms)
{
	int err;

	if (!log->started)
		return HANDLOG_ESTATE;
	if ((err = room(log, h->nevents + HAND_EVENTS_PER_MUCK)) != HANDLOG_OK)
		return err;
	if ((err = hand_muck(h, seat)) != HAND_OK)
		return err;
	take(log, h, now_ms);
	return HANDLOG_OK;
}

int handlog_settle(struct handlog *log, struct hand *h, int64_t now_ms)
{
	int err;

	if (!log->started)
		return HANDLOG_ESTATE;
	if ((err = room(log, h->nevents + HAND_EVENTS_PER_SETTLE)) != HANDLOG_OK)
		return err;
	if (h->nevents > 0)
		take(log, h, now_ms);
	if ((err = hand_settle(h)) != HAND_OK)
		return err;
	take(log, h, now_ms);
	return HANDLOG_OK;
}

bool handlog_done(const struct handlog *log)
{
	return log->n > 0 && log->entries[log->n - 1].ev.type == HAND_EV_END;
}

void handlog_final_stacks(const struct handlog *log, int64_t stacks_chips[HAND_MAX_SEATS])
{
	int64_t bet[HAND_MAX_SEATS] = {0};

	memset(stacks_chips, 0, HAND_MAX_SEATS * sizeof stacks_chips[0]);
	for (int i = 0; i < log->cfg.nseats && i < HAND_MAX_SEATS; i++)
		stacks_chips[i] = log->cfg.stacks_chips[i];
	for (int k = 0; k < log->n; k++) {
		const struct hand_event *e = &log->entries[k].ev;
		int s = e->seat;
		if (s < 0 || s >= HAND_MAX_SEATS) {
			if (e->type == HAND_EV_STREET)
				memset(bet, 0, sizeof bet);
			continue;
		}
		switch (e->type) {
		case HAND_EV_ANTE:
			stacks_chips[s] -= e->amount_chips;
			break;
		case HAND_EV_SMALL_BLIND:
		case HAND_EV_BIG_BLIND:
		case HAND_EV_CALL:
			stacks_chips[s] -= e->amount_chips;
			bet[s] += e->amount_chips;
			break;
		case HAND_EV_RAISE:
			stacks_chips[s] -= e->amount_chips - bet[s];
			bet[s] = e->amount_chips;
			break;
		case HAND_EV_RETURN:
			/* An uncalled bet, or (before any blind) a trimmed ante. */
			stacks_chips[s] += e->amount_chips;
			bet[s] = bet[s] > e->amount_chips ? bet[s] - e->amount_chips : 0;
			break;
		case HAND_EV_AWARD:
			stacks_chips[s] += e->amount_chips;
			break;
		default:
			break;
		}
	}
}

const char *handlog_strerror(int err)
{
	switch (err) {
	case HANDLOG_ENOMEM: return "out of memory";
	case HANDLOG_EFULL: return "the hand is too long for more raises: fold, check or call";
	case HANDLOG_ESTATE: return "no hand started in this log";
	case HANDLOG_EJSON: return "not a valid stored hand log";
	case HANDLOG_EPHH: return "no hand to export";
	default: return hand_strerror(err);
	}
}
