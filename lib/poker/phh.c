/*
 * phh — reading PHH hand histories.  See phh.h; writing is in phh_write.c.
 */
#include "poker/phh.h"

#include <stdarg.h>
#include <string.h>

/* A value as the reader sees it: a string slice, a number, a bool, or the
 * start of an array. */
enum val_kind { VAL_STRING, VAL_NUMBER, VAL_BOOL, VAL_ARRAY };

struct val {
	enum val_kind kind;
	const char *str;  /* VAL_STRING: contents, not terminated */
	size_t len;
	int64_t num;      /* VAL_NUMBER: integer part; VAL_BOOL: 0/1 */
	bool fractional;  /* VAL_NUMBER had a non-zero fractional part */
	int line;
};

static int fail(struct phh_failure *f, int line, int err, const char *fmt, ...)
{
	va_list ap;

	f->line = line;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof f->msg, fmt, ap);
	va_end(ap);
	return err;
}

static int peek(const struct phh_reader *r)
{
	return r->pos < r->len ? (unsigned char)r->buf[r->pos] : -1;
}

/* Skip blanks, and newlines and comments too when multiline. */
static void skip_space(struct phh_reader *r, bool multiline)
{
	while (r->pos < r->len) {
		char c = r->buf[r->pos];
		if (c == ' ' || c == '\t' || c == '\r') {
			r->pos++;
		} else if (c == '#') {
			while (r->pos < r->len && r->buf[r->pos] != '\n')
				r->pos++;
		} else if (c == '\n' && multiline) {
			r->pos++;
			r->line++;
		} else {
			break;
		}
	}
}

static bool at_line_start(const struct phh_reader *r)
{
	return r->pos == 0 || r->buf[r->pos - 1] == '\n';
}

void phh_reader_init(struct phh_reader *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = len;
	r->line = 1;
	/* A .phhs starts (after comments) with a [section] line. */
	skip_space(r, true);
	r->sections = peek(r) == '[';
	r->pos = 0;
	r->line = 1;
}

static int read_number(struct phh_reader *r, struct val *v, struct phh_failure *f)
{
	bool neg = false;
	int digits = 0;

	v->kind = VAL_NUMBER;
	v->num = 0;
	v->fractional = false;
	if (peek(r) == '-' || peek(r) == '+')
		neg = r->buf[r->pos++] == '-';
	while (peek(r) >= '0' && peek(r) <= '9') {
		if (v->num > (INT64_MAX - 9) / 10)
			return fail(f, r->line, PHH_EFIELD, "number too large");
		v->num = v->num * 10 + (r->buf[r->pos++] - '0');
		digits++;
	}
	if (peek(r) == '.') {
		r->pos++;
		while (peek(r) >= '0' && peek(r) <= '9') {
			v->fractional |= r->buf[r->pos++] != '0';
			digits++;
		}
	}
	if (digits == 0)
		return fail(f, r->line, PHH_ESYNTAX, "expected a value");
	if (neg)
		v->num = -v->num;
	return PHH_OK;
}

static int read_scalar(struct phh_reader *r, struct val *v, struct phh_failure *f)
{
	int c = peek(r);

	v->line = r->line;
	if (c == '\'' || c == '"') {
		size_t start = ++r->pos;
		while (r->pos < r->len && r->buf[r->pos] != c && r->buf[r->pos] != '\n')
			r->pos++;
		if (peek(r) != c)
			return fail(f, v->line, PHH_ESYNTAX, "unterminated string");
		v->kind = VAL_STRING;
		v->str = r->buf + start;
		v->len = r->pos - start;
		r->pos++;
		return PHH_OK;
	}
	if (r->len - r->pos >= 4 && memcmp(r->buf + r->pos, "true", 4) == 0) {
		r->pos += 4;
		v->kind = VAL_BOOL;
		v->num = 1;
		return PHH_OK;
	}
	if (r->len - r->pos >= 5 && memcmp(r->buf + r->pos, "false", 5) == 0) {
		r->pos += 5;
		v->kind = VAL_BOOL;
		v->num = 0;
		return PHH_OK;
	}
	return read_number(r, v, f);
}

/*
 * Read an array of scalars after its '['; call each(ctx, index, value) for
 * every element.  Nested arrays are refused (PHH has none we need).
 */
typedef int (*elem_fn)(void *ctx, int index, const struct val *v, struct phh_failure *f);

static int read_array(struct phh_reader *r, elem_fn each, void *ctx, struct phh_failure *f)
{
	int n = 0, err;

	r->pos++; /* '[' */
	for (;;) {
		skip_space(r, true);
		if (peek(r) == ']') {
			r->pos++;
			return n;
		}
		if (peek(r) < 0)
			return fail(f, r->line, PHH_ESYNTAX, "unterminated array");
		struct val v;
		if ((err = read_scalar(r, &v, f)) != PHH_OK)
			return err;
		if (each && (err = each(ctx, n, &v, f)) != PHH_OK)
			return err;
		n++;
		skip_space(r, true);
		if (peek(r) == ',')
			r->pos++;
		else if (peek(r) != ']')
			return fail(f, r->line, PHH_ESYNTAX, "expected ',' or ']' in array");
	}
}

struct chips_ctx {
	int64_t *out;
	bool *fractional;
	const char *key;
};

static int chips_elem(void *vctx, int i, const struct val *v, struct phh_failure *f)
{
	struct chips_ctx *c = vctx;

	if (v->kind != VAL_NUMBER || v->num < 0)
		return fail(f, v->line, PHH_EFIELD, "%s: expected non-negative numbers", c->key);
	if (i >= PHH_MAX_PLAYERS)
		return fail(f, v->line, PHH_ETOOBIG, "%s: more than %d players", c->key,
			    PHH_MAX_PLAYERS);
	c->out[i] = v->num;
	if (v->fractional) {
		if (!c->fractional)
			return fail(f, v->line, PHH_EFIELD, "%s: fractional chips", c->key);
		*c->fractional = true;
	}
	return PHH_OK;
}

static int action_elem(void *vctx, int i, const struct val *v, struct phh_failure *f)
{
	struct phh_hand *h = vctx;

	if (v->kind != VAL_STRING)
		return fail(f, v->line, PHH_EFIELD, "actions: expected strings");
	if (i >= PHH_MAX_ACTIONS)
		return fail(f, v->line, PHH_ETOOBIG, "more than %d actions", PHH_MAX_ACTIONS);
	if (phh_parse_action(v->str, v->len, v->line, &h->actions[i]) != PHH_OK)
		return fail(f, v->line, PHH_EFIELD, "bad action '%.*s'", (int)(v->len > 60 ? 60 : v->len),
			    v->str);
	h->nactions = i + 1;
	return PHH_OK;
}

/* Which required or length-checked fields were seen. */
enum { SEEN_VARIANT = 1, SEEN_ANTES = 2, SEEN_BLINDS = 4, SEEN_STACKS = 8, SEEN_ACTIONS = 16,
       SEEN_MIN_BET = 32 };

static int read_field(struct phh_reader *r, const char *key, size_t klen, struct phh_hand *h,
		      int *seen, int counts[4], struct phh_failure *f)
{
	struct val v;
	int err, line = r->line;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(key, s, klen) == 0)

	if (peek(r) == '[') {
		struct chips_ctx c = {NULL, NULL, ""};
		int slot = -1;
		if (KEY("antes")) {
			c = (struct chips_ctx){h->antes_chips, NULL, "antes"};
			slot = 0;
			*seen |= SEEN_ANTES;
		} else if (KEY("blinds_or_straddles")) {
			c = (struct chips_ctx){h->blinds_chips, NULL, "blinds_or_straddles"};
			slot = 1;
			*seen |= SEEN_BLINDS;
		} else if (KEY("starting_stacks")) {
			c = (struct chips_ctx){h->starting_chips, &h->starting_fractional,
					       "starting_stacks"};
			slot = 2;
			*seen |= SEEN_STACKS;
		} else if (KEY("finishing_stacks")) {
			c = (struct chips_ctx){h->finishing_chips, &h->finishing_fractional,
					       "finishing_stacks"};
			slot = 3;
			h->has_finishing = true;
		} else if (KEY("actions")) {
			*seen |= SEEN_ACTIONS;
			err = read_array(r, action_elem, h, f);
			return err < 0 ? err : PHH_OK;
		}
		if (slot < 0) {
			err = read_array(r, NULL, NULL, f);
			return err < 0 ? err : PHH_OK;
		}
		err = read_array(r, chips_elem, &c, f);
		if (err < 0)
			return err;
		counts[slot] = err;
		return PHH_OK;
	}
	if ((err = read_scalar(r, &v, f)) != PHH_OK)
		return err;
	if (KEY("variant")) {
		if (v.kind != VAL_STRING || v.len >= sizeof h->variant)
			return fail(f, line, PHH_EFIELD, "variant: expected a short string");
		memcpy(h->variant, v.str, v.len);
		h->variant[v.len] = '\0';
		*seen |= SEEN_VARIANT;
	} else if (KEY("ante_trimming_status")) {
		if (v.kind != VAL_BOOL)
			return fail(f, line, PHH_EFIELD, "ante_trimming_status: expected true/false");
		h->ante_trimming = v.num != 0;
	} else if (KEY("min_bet")) {
		if (v.kind != VAL_NUMBER || v.fractional || v.num <= 0)
			return fail(f, line, PHH_EFIELD, "min_bet: expected a positive integer");
		h->min_bet_chips = v.num;
		*seen |= SEEN_MIN_BET;
	}
#undef KEY
	return PHH_OK;
}

static int check_hand(struct phh_hand *h, int seen, const int counts[4], struct phh_failure *f)
{
	static const char *names[4] = {"antes", "blinds_or_straddles", "starting_stacks",
				       "finishing_stacks"};

	if (!(seen & SEEN_VARIANT))
		return fail(f, h->line, PHH_EMISSING, "variant missing");
	if (!(seen & SEEN_STACKS))
		return fail(f, h->line, PHH_EMISSING, "starting_stacks missing");
	if (!(seen & SEEN_ACTIONS))
		return fail(f, h->line, PHH_EMISSING, "actions missing");
	h->nplayers = counts[2];
	if (h->nplayers < 2)
		return fail(f, h->line, PHH_EFIELD, "starting_stacks: need at least 2 players");
	for (int k = 0; k < 4; k++) {
		if (k == 3 && !h->has_finishing)
			continue;
		if (k < 2 && !(seen & (k == 0 ? SEEN_ANTES : SEEN_BLINDS)))
			continue; /* absent antes/blinds mean zeros */
		if (counts[k] != h->nplayers)
			return fail(f, h->line, PHH_EFIELD, "%s has %d values for %d players",
				    names[k], counts[k], h->nplayers);
	}
	for (int i = 0; i < h->nactions; i++)
		if (h->actions[i].player >= h->nplayers)
			return fail(f, h->actions[i].line, PHH_EFIELD, "action for p%d of %d players",
				    h->actions[i].player + 1, h->nplayers);
	return PHH_OK;
}

/* After an error in a section: go to the next line starting with '['. */
static void skip_to_section(struct phh_reader *r)
{
	while (r->pos < r->len) {
		if (at_line_start(r) && r->buf[r->pos] == '[')
			return;
		if (r->buf[r->pos] == '\n')
			r->line++;
		r->pos++;
	}
}

static int read_hand(struct phh_reader *r, struct phh_hand *h, struct phh_failure *f)
{
	int seen = 0, counts[4] = {0}, err;

	for (;;) {
		skip_space(r, true);
		int c = peek(r);
		if (c < 0 || (c == '[' && r->sections))
			break;
		size_t start = r->pos;
		while (r->pos < r->len) {
			char ch = r->buf[r->pos];
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			      (ch >= '0' && ch <= '9') || ch == '_'))
				break;
			r->pos++;
		}
		if (r->pos == start)
			return fail(f, r->line, PHH_ESYNTAX, "expected a key");
		const char *key = r->buf + start;
		size_t klen = r->pos - start;
		skip_space(r, false);
		if (peek(r) != '=')
			return fail(f, r->line, PHH_ESYNTAX, "expected '=' after '%.*s'",
				    (int)(klen > 40 ? 40 : klen), key);
		r->pos++;
		skip_space(r, false);
		if ((err = read_field(r, key, klen, h, &seen, counts, f)) != PHH_OK)
			return err;
		skip_space(r, false);
		if (peek(r) >= 0 && peek(r) != '\n')
			return fail(f, r->line, PHH_ESYNTAX, "unexpected text after value");
	}
	return check_hand(h, seen, counts, f);
}

int phh_next(struct phh_reader *r, struct phh_hand *out, struct phh_failure *fail_out)
{
	int err;

	memset(out, 0, offsetof(struct phh_hand, actions));
	fail_out->line = 0;
	fail_out->msg[0] = '\0';
	skip_space(r, true);
	if (peek(r) < 0)
		return 0;
	out->line = r->line;
	if (r->sections) {
		if (peek(r) != '[')
			return fail(fail_out, r->line, PHH_ESYNTAX, "expected a [section]");
		size_t start = ++r->pos;
		while (r->pos < r->len && r->buf[r->pos] != ']' && r->buf[r->pos] != '\n')
			r->pos++;
		if (peek(r) != ']' || r->pos - start >= sizeof out->id) {
			skip_to_section(r);
			return fail(fail_out, out->line, PHH_ESYNTAX, "bad section header");
		}
		memcpy(out->id, r->buf + start, r->pos - start);
		out->id[r->pos - start] = '\0';
		r->pos++;
	}
	err = read_hand(r, out, fail_out);
	if (err != PHH_OK) {
		if (r->sections)
			skip_to_section(r);
		else
			r->pos = r->len;
	}
	return err == PHH_OK ? 1 : err;
}

/* Cards text: pairs of rank+suit, "??" for unknown; returns count or -1. */
static int parse_cards(const char *s, size_t len, card_t out[PHH_MAX_CARDS], bool *overflow)
{
	int n = 0;

	*overflow = false;
	if (len % 2 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		card_t c = CARD_NONE;
		if (!(s[i] == '?' && s[i + 1] == '?') && card_parse(s + i, &c) != CARDS_OK)
			return -1;
		if (n < PHH_MAX_CARDS)
			out[n] = c;
		else
			*overflow = true;
		n++;
	}
	return n;
}

/* Split s into up to 4 space-separated words. */
static int words(const char *s, size_t len, const char *w[4], size_t wl[4])
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		while (i < len && s[i] == ' ')
			i++;
		if (i >= len)
			break;
		if (n == 4)
			return -1;
		size_t start = i;
		while (i < len && s[i] != ' ')
			i++;
		w[n] = s + start;
		wl[n] = i - start;
		n++;
	}
	return n;
}

static int parse_player(const char *w, size_t len)
{
	int p = 0;

	if (len < 2 || len > 3 || w[0] != 'p')
		return -1;
	for (size_t i = 1; i < len; i++) {
		if (w[i] < '0' || w[i] > '9')
			return -1;
		p = p * 10 + (w[i] - '0');
	}
	return p >= 1 && p <= PHH_MAX_PLAYERS ? p - 1 : -1;
}

int phh_parse_action(const char *s, size_t len, int line, struct phh_action *out)
{
	const char *w[4];
	size_t wl[4];
	int n = words(s, len, w, wl);
	bool overflow = false;

	memset(out, 0, sizeof *out);
	out->line = line;
	out->player = -1;
	out->type = PHH_OTHER;
	if (n < 2)
		return n < 0 ? PHH_EFIELD : (n == 0 ? PHH_EFIELD : PHH_OK);
#define IS(i, lit) (wl[i] == sizeof(lit) - 1 && memcmp(w[i], lit, wl[i]) == 0)
	if (IS(0, "d")) {
		int nc;
		if (IS(1, "dh") && n == 4) {
			if ((out->player = (int8_t)parse_player(w[2], wl[2])) < 0)
				return PHH_EFIELD;
			nc = parse_cards(w[3], wl[3], out->cards, &overflow);
			out->type = PHH_DEAL_HOLE;
		} else if (IS(1, "db") && n == 3) {
			nc = parse_cards(w[2], wl[2], out->cards, &overflow);
			out->type = PHH_DEAL_BOARD;
		} else {
			return PHH_OK; /* another variant's dealing */
		}
		if (nc < 0)
			return PHH_EFIELD;
		out->ncards = (uint8_t)(overflow ? PHH_MAX_CARDS : nc);
		if (overflow)
			out->type = PHH_OTHER;
		return PHH_OK;
	}
	if ((out->player = (int8_t)parse_player(w[0], wl[0])) < 0)
		return PHH_EFIELD;
	if (IS(1, "f") && n == 2) {
		out->type = PHH_FOLD;
	} else if (IS(1, "cc") && n == 2) {
		out->type = PHH_CHECK_CALL;
	} else if (IS(1, "cbr") && n == 3) {
		int64_t v = 0;
		if (wl[2] == 0 || wl[2] > 18)
			return PHH_EFIELD;
		for (size_t i = 0; i < wl[2]; i++) {
			if (w[2][i] < '0' || w[2][i] > '9')
				return PHH_EFIELD;
			v = v * 10 + (w[2][i] - '0');
		}
		out->type = PHH_BET_RAISE;
		out->amount_chips = v;
	} else if (IS(1, "sm") && n <= 3) {
		out->type = PHH_SHOW_MUCK;
		if (n == 3 && !IS(2, "-")) {
			int nc = parse_cards(w[2], wl[2], out->cards, &overflow);
			if (nc < 0)
				return PHH_EFIELD;
			out->ncards = (uint8_t)(overflow ? PHH_MAX_CARDS : nc);
			if (overflow)
				out->type = PHH_OTHER;
		}
	}
#undef IS
	return PHH_OK;
}

const char *phh_strerror(int err)
{
	switch (err) {
	case PHH_OK: return "ok";
	case PHH_ESYNTAX: return "PHH syntax error";
	case PHH_EFIELD: return "invalid PHH field";
	case PHH_ETOOBIG: return "PHH hand exceeds fixed limits";
	case PHH_EMISSING: return "required PHH field missing";
	case PHH_EWRITE: return "cannot write PHH";
	default: return "unknown phh error";
	}
}
