/*
 * phh_write — writing PHH hand histories (part of the phh module, see phh.h).
 */
#include <string.h>

#include "poker/phh.h"

static void put_cards(FILE *f, const card_t *c, int n)
{
	char s[3];

	for (int i = 0; i < n; i++) {
		card_format(c[i], s);
		fputs(s, f);
	}
}

static void put_action(FILE *f, const struct phh_action *a)
{
	fputc('\'', f);
	switch (a->type) {
	case PHH_DEAL_HOLE:
		fprintf(f, "d dh p%d ", a->player + 1);
		put_cards(f, a->cards, a->ncards);
		break;
	case PHH_DEAL_BOARD:
		fputs("d db ", f);
		put_cards(f, a->cards, a->ncards);
		break;
	case PHH_FOLD:
		fprintf(f, "p%d f", a->player + 1);
		break;
	case PHH_CHECK_CALL:
		fprintf(f, "p%d cc", a->player + 1);
		break;
	case PHH_BET_RAISE:
		fprintf(f, "p%d cbr %lld", a->player + 1, (long long)a->amount_chips);
		break;
	case PHH_SHOW_MUCK:
		fprintf(f, "p%d sm", a->player + 1);
		if (a->ncards > 0) {
			fputc(' ', f);
			put_cards(f, a->cards, a->ncards);
		}
		break;
	default:
		break; /* phh_write refuses PHH_OTHER before writing anything */
	}
	fputc('\'', f);
}

static void put_chips(FILE *f, const char *key, const int64_t *v, int n)
{
	fprintf(f, "%s = [", key);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? ", " : "", (long long)v[i]);
	fputs("]\n", f);
}

int phh_write(FILE *f, const struct phh_hand *ph, const char *section)
{
	for (int i = 0; i < ph->nactions; i++)
		if (ph->actions[i].type == PHH_OTHER)
			return PHH_EFIELD;
	if (section)
		fprintf(f, "[%s]\n", section);
	fprintf(f, "variant = '%s'\n", ph->variant[0] ? ph->variant : "NT");
	fprintf(f, "ante_trimming_status = %s\n", ph->ante_trimming ? "true" : "false");
	put_chips(f, "antes", ph->antes_chips, ph->nplayers);
	put_chips(f, "blinds_or_straddles", ph->blinds_chips, ph->nplayers);
	fprintf(f, "min_bet = %lld\n", (long long)ph->min_bet_chips);
	put_chips(f, "starting_stacks", ph->starting_chips, ph->nplayers);
	fputs("actions = [", f);
	for (int i = 0; i < ph->nactions; i++) {
		if (i)
			fputs(", ", f);
		put_action(f, &ph->actions[i]);
	}
	fputs("]\n", f);
	if (ph->has_finishing)
		put_chips(f, "finishing_stacks", ph->finishing_chips, ph->nplayers);
	if (section)
		fputc('\n', f);
	return ferror(f) ? PHH_EWRITE : PHH_OK;
}
