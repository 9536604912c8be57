/*
 * phh — read and write hand histories in the PHH format of the PokerKit
 * project (https://github.com/uoftcprg/phh-std): one hand per `.phh` file,
 * or many in a `.phhs` file, each under a `[name]` section.
 *
 * The reader takes the TOML subset real files use: `key = value` with single
 * or double quoted strings, integers and decimals, true/false, arrays that may
 * span lines, trailing commas and `#` comments.  Known keys fill struct
 * phh_hand; any other key (players, hand, event, author, ...) is skipped.
 * Actions are decoded (`d dh pN CARDS`, `d db CARDS`, `pN f`, `pN cc`,
 * `pN cbr X`, `pN sm [CARDS]`); `??` is an unknown card (CARD_NONE).
 * Verbs of other variants (draws, bring-ins) decode as PHH_OTHER so that such
 * hands can be read and reported as unsupported rather than failing the file.
 *
 * Player indices are PHH's: p1 is the first seat left of the button and the
 * last player has the button — except heads-up, where PokerKit reverses the
 * blinds: p2 has the button and posts the small blind (the arrays `antes` and
 * `blinds_or_straddles` are by position, so heads-up their two entries apply
 * to p2 and p1 respectively).  The replay module (replay.h) applies this.
 *
 * Fixed-size structs, no allocation; the reader works on a caller's buffer.
 */
#ifndef FELT_PHH_H
#define FELT_PHH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "poker/cards.h"

#define PHH_MAX_PLAYERS 10
#define PHH_MAX_ACTIONS 4096 /* = HANDLOG_MAX_ENTRIES: every logged hand fits */
#define PHH_MAX_CARDS 5

enum phh_error {
	PHH_OK = 0,
	PHH_ESYNTAX = -1,  /* not valid PHH/TOML at the reported line */
	PHH_EFIELD = -2,   /* a field has the wrong type, length or value */
	PHH_ETOOBIG = -3,  /* more players or actions than the fixed limits */
	PHH_EMISSING = -4, /* a required field is missing */
	PHH_EWRITE = -5,   /* the output could not be written */
};

enum phh_action_type {
	PHH_DEAL_HOLE,   /* d dh pN CARDS */
	PHH_DEAL_BOARD,  /* d db CARDS */
	PHH_FOLD,        /* pN f */
	PHH_CHECK_CALL,  /* pN cc */
	PHH_BET_RAISE,   /* pN cbr AMOUNT (raise-to) */
	PHH_SHOW_MUCK,   /* pN sm CARDS (show) or pN sm / pN sm - (muck): ncards 0 */
	PHH_OTHER,       /* anything else (other variants' verbs) */
};

struct phh_action {
	int64_t amount_chips;     /* PHH_BET_RAISE */
	int line;                 /* line of the action in the file */
	uint8_t type;             /* enum phh_action_type */
	int8_t player;            /* 0-based player index, -1 for the dealer */
	uint8_t ncards;
	card_t cards[PHH_MAX_CARDS]; /* CARD_NONE for ?? */
};

struct phh_hand {
	char id[64];              /* section name in a .phhs, else empty */
	int line;                 /* first line of the hand */
	char variant[16];
	bool ante_trimming;
	int nplayers;             /* from starting_stacks */
	int64_t antes_chips[PHH_MAX_PLAYERS];
	int64_t blinds_chips[PHH_MAX_PLAYERS]; /* blinds_or_straddles */
	int64_t min_bet_chips;
	int64_t starting_chips[PHH_MAX_PLAYERS];
	bool starting_fractional; /* a starting stack had a fractional part */
	bool has_finishing;
	bool finishing_fractional; /* e.g. 10162.5: odd chips split in halves */
	int64_t finishing_chips[PHH_MAX_PLAYERS]; /* integer parts */
	int nactions;
	struct phh_action actions[PHH_MAX_ACTIONS];
};

struct phh_reader {
	const char *buf;
	size_t len;
	size_t pos;
	int line;
	bool sections;            /* the buffer uses [name] sections */
};

/* Where and why reading failed. */
struct phh_failure {
	int line;
	char msg[160];
};

/*
 * phh_reader_init — prepare to read the PHH text buf[0..len-1] (not copied:
 * it must outlive the reader).  Detects whether it holds sections (.phhs).
 */
void phh_reader_init(struct phh_reader *r, const char *buf, size_t len);

/*
 * phh_next — read the next hand into *out.  Returns 1 when a hand was read,
 * 0 at the end of the text, or a negative phh_error with *fail describing it
 * (line and message).  After an error inside a section the reader skips to
 * the next section, so the caller may go on reading the other hands.
 */
int phh_next(struct phh_reader *r, struct phh_hand *out, struct phh_failure *fail);

/*
 * phh_write — write ph as PHH text to f.  With a non-NULL section the hand is
 * written under `[section]` (for .phhs files).  Returns 0, PHH_EFIELD if an
 * action is PHH_OTHER (nothing is written then), or PHH_EWRITE.
 */
int phh_write(FILE *f, const struct phh_hand *ph, const char *section);

/*
 * phh_parse_action — decode one action string (e.g. "p2 cbr 300") of len
 * bytes into *out (line is copied into out->line).  Returns 0 or PHH_EFIELD
 * for malformed known verbs; unknown verbs give PHH_OTHER and 0.
 */
int phh_parse_action(const char *s, size_t len, int line, struct phh_action *out);

/* phh_strerror — static English text for a phh_error code. */
const char *phh_strerror(int err);

#endif
