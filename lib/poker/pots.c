/*
 * pots — uncalled chips, side pots, rake, odd chips.  See pots.h.
 */
#include "poker/pots.h"

#include <stddef.h>

int64_t pots_uncalled(const int64_t bet_chips[], int nseats, int *seat)
{
	int top = -1;
	int64_t first = 0, second = 0;

	for (int i = 0; i < nseats; i++) {
		if (bet_chips[i] > first) {
			second = first;
			first = bet_chips[i];
			top = i;
		} else if (bet_chips[i] > second) {
			second = bet_chips[i];
		}
	}
	if (top < 0 || first == second) {
		*seat = -1;
		return 0;
	}
	*seat = top;
	return first - second;
}

int pots_build(const int64_t contrib_chips[], int nseats, uint16_t live, int64_t dead_chips,
	       struct pot out[])
{
	int64_t levels[POTS_MAX_SEATS];
	int nlevels = 0, npots = 0;
	int64_t below = 0, total = 0, placed = 0;

	if (nseats < 1 || nseats > POTS_MAX_SEATS || live == 0 || dead_chips < 0 ||
	    (live >> nseats) != 0)
		return POTS_EINVAL;
	if (dead_chips > 0) {
		out[0].amount_chips = dead_chips;
		out[0].eligible = live;
		npots = 1;
	}
	for (int i = 0; i < nseats; i++) {
		if (contrib_chips[i] < 0)
			return POTS_EINVAL;
		total += contrib_chips[i];
	}
	/* The distinct contribution levels of live players, ascending: each one
	 * closes a layer. */
	for (int i = 0; i < nseats; i++) {
		if (!(live & (1u << i)) || contrib_chips[i] == 0)
			continue;
		int j = nlevels;
		int dup = 0;
		for (int k = 0; k < nlevels; k++)
			dup |= levels[k] == contrib_chips[i];
		if (dup)
			continue;
		while (j > 0 && levels[j - 1] > contrib_chips[i]) {
			levels[j] = levels[j - 1];
			j--;
		}
		levels[j] = contrib_chips[i];
		nlevels++;
	}
	for (int l = 0; l < nlevels; l++) {
		int64_t amount = 0;
		uint16_t eligible = 0;
		for (int i = 0; i < nseats; i++) {
			int64_t c = contrib_chips[i];
			if (c > below)
				amount += (c < levels[l] ? c : levels[l]) - below;
			if ((live & (1u << i)) && c >= levels[l])
				eligible |= (uint16_t)(1u << i);
		}
		below = levels[l];
		placed += amount;
		if (amount == 0)
			continue;
		if (npots > 0 && out[npots - 1].eligible == eligible) {
			out[npots - 1].amount_chips += amount;
		} else {
			out[npots].amount_chips = amount;
			out[npots].eligible = eligible;
			npots++;
		}
	}
	if (placed < total) {
		/* Dead chips above every live player's level (only possible if the
		 * caller did not return uncalled chips): keep the total exact. */
		if (npots == 0) {
			out[0].amount_chips = 0;
			out[0].eligible = live;
			npots = 1;
		}
		out[npots - 1].amount_chips += total - placed;
	}
	return npots;
}

int64_t pots_rake_total(int64_t total_chips, int rake_bp, int64_t cap_chips, bool flop_dealt)
{
	if (!flop_dealt || rake_bp <= 0 || total_chips <= 0)
		return 0;
	/* Split the product so that a huge pot cannot overflow int64. */
	int64_t rake = (total_chips / 10000) * rake_bp + (total_chips % 10000) * rake_bp / 10000;
	if (cap_chips > 0 && rake > cap_chips)
		rake = cap_chips;
	return rake;
}

int pots_rake_take(struct pot pots[], int npots, int64_t rake_chips, int64_t taken_chips[])
{
	int64_t total = 0, given = 0;

	for (int p = 0; p < npots; p++)
		total += pots[p].amount_chips;
	if (rake_chips < 0 || rake_chips > total)
		return POTS_EINVAL;
	if (rake_chips == 0) {
		for (int p = 0; p < npots; p++)
			taken_chips[p] = 0;
		return POTS_OK;
	}
	for (int p = 0; p < npots; p++) {
		/* rake <= total, so rake * amount / total fits when done in
		 * 128-bit; pots are small enough in practice but be exact. */
		__int128 share = (__int128)rake_chips * pots[p].amount_chips;
		taken_chips[p] = total > 0 ? (int64_t)(share / total) : 0;
		given += taken_chips[p];
	}
	for (int p = 0; given < rake_chips; p = (p + 1) % npots) {
		if (taken_chips[p] < pots[p].amount_chips) {
			taken_chips[p]++;
			given++;
		}
	}
	for (int p = 0; p < npots; p++)
		pots[p].amount_chips -= taken_chips[p];
	return POTS_OK;
}

int pots_split(int64_t amount_chips, uint16_t winners, int first_seat, int nseats,
	       int64_t award_chips[])
{
	int n = 0;

	if (winners == 0 || amount_chips < 0 || nseats < 1 || nseats > POTS_MAX_SEATS ||
	    first_seat < 0 || first_seat >= nseats || (winners >> nseats) != 0)
		return POTS_EINVAL;
	for (int i = 0; i < nseats; i++)
		n += (winners >> i) & 1;
	int64_t share = amount_chips / n, odd = amount_chips % n;
	for (int k = 0; k < nseats; k++) {
		int seat = (first_seat + k) % nseats;
		if (!(winners & (1u << seat)))
			continue;
		award_chips[seat] += share + (odd > 0);
		if (odd > 0)
			odd--;
	}
	return POTS_OK;
}

const char *pots_strerror(int err)
{
	switch (err) {
	case POTS_OK:
		return "ok";
	case POTS_EINVAL:
		return "invalid pot arguments";
	default:
		return "unknown pots error";
	}
}
