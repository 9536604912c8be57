/*
 * felt-replay — replay PHH hand histories through the felt engine.
 *
 *   felt-replay [--check] [--quiet] [--rake BP [--rake-cap CHIPS]] FILE|DIR...
 *
 * Prints one JSON line per hand:
 *   {"id": ..., "final_stacks": [...], "won": [...],
 *    "pots": [{"amount": N, "eligible": [player indices]}], "rake": N}
 * (player indices 0-based in PHH order; id = the section name in a .phhs,
 * else the file path; "won" = chips taken from the pots, after rake).  A hand
 * that cannot be replayed gets "error" (and "line").  With --check each line
 * also says "check": passed / failed / fractional / unchecked / unsupported,
 * and the run ends with counts, the last line being "N passed, N failed";
 * the exit status is 1 if anything failed.  --quiet prints only hands that
 * did not pass or were not comparable.  Directories are searched for .phh and
 * .phhs files, in name order.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/cli.h"
#include "poker/hand.h"
#include "poker/phh.h"
#include "poker/replay.h"

struct run {
	bool check;
	bool quiet;
	int rake_bp;
	int64_t rake_cap_chips;
	long count[5]; /* by enum replay_verdict */
	struct hand *h;
	struct phh_hand *ph;
	char *out;     /* line buffer */
};

/* JSON string: only quotes, backslashes and control characters need care. */
static void put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void put_chips(FILE *f, const int64_t *v, int n)
{
	fputc('[', f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? ", " : "", (long long)v[i]);
	fputc(']', f);
}

static void print_hand(struct run *r, const char *id, const struct replay_result *res)
{
	bool show = !r->quiet || (res->verdict != REPLAY_PASS && res->verdict != REPLAY_UNCHECKED);

	r->count[res->verdict]++;
	if (!show)
		return;
	fputs("{\"id\": ", stdout);
	put_json_string(stdout, id);
	fputs(", \"final_stacks\": ", stdout);
	put_chips(stdout, res->final_chips, res->nplayers);
	fputs(", \"won\": ", stdout);
	put_chips(stdout, res->won_chips, res->nplayers);
	fputs(", \"pots\": [", stdout);
	for (int p = 0; p < res->npots; p++) {
		printf("%s{\"amount\": %lld, \"eligible\": [", p ? ", " : "",
		       (long long)res->pots[p].amount_chips);
		int k = 0;
		for (int i = 0; i < res->nplayers; i++)
			if (res->pots[p].eligible & (1u << i))
				printf("%s%d", k++ ? ", " : "", i);
		fputs("]}", stdout);
	}
	printf("], \"rake\": %lld", (long long)res->rake_chips);
	if (r->check) {
		fputs(", \"check\": ", stdout);
		put_json_string(stdout, replay_verdict_name(res->verdict));
	}
	if (res->msg[0] && res->verdict != REPLAY_FRACTIONAL) {
		printf(", \"line\": %d, \"error\": ", res->line);
		put_json_string(stdout, res->msg);
	}
	fputs("}\n", stdout);
}

static void print_parse_error(struct run *r, const char *path, const struct phh_failure *f)
{
	char where[1200];

	r->count[REPLAY_FAIL]++;
	snprintf(where, sizeof where, "%s:%d", path, f->line);
	fputs("{\"id\": ", stdout);
	put_json_string(stdout, where);
	printf(", \"line\": %d, \"error\": ", f->line);
	put_json_string(stdout, f->msg);
	if (r->check)
		fputs(", \"check\": \"failed\"", stdout);
	fputs("}\n", stdout);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf ? buf : calloc(1, 1);
}

static int replay_file(struct run *r, const char *path)
{
	struct phh_reader rd;
	struct phh_failure fail;
	struct replay_result res;
	size_t len;
	char *buf = slurp(path, &len);
	int got;

	if (!buf) {
		fprintf(stderr, "felt-replay: %s: %s\n", path, strerror(errno));
		r->count[REPLAY_FAIL]++;
		return -1;
	}
	phh_reader_init(&rd, buf, len);
	while ((got = phh_next(&rd, r->ph, &fail)) != 0) {
		if (got < 0) {
			print_parse_error(r, path, &fail);
			continue;
		}
		replay_hand(r->ph, r->rake_bp, r->rake_cap_chips, r->h, NULL, &res);
		print_hand(r, r->ph->id[0] ? r->ph->id : path, &res);
	}
	free(buf);
	return 0;
}

static bool is_phh_name(const char *name)
{
	size_t n = strlen(name);
	return (n > 4 && strcmp(name + n - 4, ".phh") == 0) ||
	       (n > 5 && strcmp(name + n - 5, ".phhs") == 0);
}

static void replay_path(struct run *r, const char *path)
{
	struct stat st;
	struct dirent **names;

	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		replay_file(r, path);
		return;
	}
	int n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "felt-replay: %s: %s\n", path, strerror(errno));
		r->count[REPLAY_FAIL]++;
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		if (name[0] != '.') {
			size_t len = strlen(path) + strlen(name) + 2;
			char *child = malloc(len);
			if (child) {
				snprintf(child, len, "%s/%s", path, name);
				if (stat(child, &st) == 0 && (S_ISDIR(st.st_mode) || is_phh_name(name)))
					replay_path(r, child);
				free(child);
			}
		}
		free(names[i]);
	}
	free(names);
}

enum { OPT_CHECK, OPT_QUIET, OPT_RAKE, OPT_RAKE_CAP };

static const struct cli_option options[] = {
	[OPT_CHECK] = {"--check", NULL, NULL, NULL,
		       "compare final stacks with finishing_stacks: each\n"
		       "line gets \"check\" (passed, failed, fractional,\n"
		       "unchecked, unsupported), the run ends with the\n"
		       "counts and \"N passed, N failed\", exit 1 if any\n"
		       "hand failed"},
	[OPT_QUIET] = {"--quiet", "-q", NULL, NULL,
		       "print only the hands that did not pass or could\n"
		       "not be compared, then the counts"},
	[OPT_RAKE] = {"--rake", NULL, "BP", "0",
		      "rake every pot by BP basis points (0-10000;\n"
		      "500 = 5 %)"},
	[OPT_RAKE_CAP] = {"--rake-cap", NULL, "CHIPS", "0, no cap",
			  "at most CHIPS of rake per hand; needs --rake"},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct cli_spec spec = {
	.prog = "felt-replay",
	.usage = "[OPTION]... FILE|DIR...",
	.about = "Replays PHH hand histories (.phh files and .phhs files of [n] sections;\n"
		 "directories are searched, in name order) through felt's engine and prints\n"
		 "one JSON line per hand: id, final_stacks, won, pots, rake (players are\n"
		 "numbered from 0 in PHH order). A hand that cannot be replayed gets\n"
		 "\"error\" and \"line\".",
	.options = options,
	.min_operands = 1,
	.max_operands = -1,
	.epilog = "Exit status: 0 done, 1 a hand failed (or a file could not be read),\n"
		  "2 usage error.",
};

int main(int argc, char **argv)
{
	struct run r = {0};
	struct cli_parsed args;
	int64_t rake_bp;
	int rc;

	rc = cli_parse(&spec, argc, argv, &args);
	/* A rake the engine would refuse, or a cap without a rake, is a usage
	 * error before any hand, not a silent "no rake" or an error in each. */
	if (rc == CLI_OK)
		rc = cli_int(&spec, &args, OPT_RAKE, 0, 0, 10000, &rake_bp);
	if (rc == CLI_OK)
		rc = cli_int(&spec, &args, OPT_RAKE_CAP, 0, 0, HAND_MAX_CHIPS, &r.rake_cap_chips);
	if (rc == CLI_OK)
		rc = cli_requires(&spec, &args, OPT_RAKE_CAP, OPT_RAKE);
	if (rc != CLI_OK)
		return cli_status(rc);
	r.check = args.count[OPT_CHECK] > 0;
	r.quiet = args.count[OPT_QUIET] > 0;
	r.rake_bp = (int)rake_bp;
	r.h = malloc(sizeof *r.h);
	r.ph = malloc(sizeof *r.ph);
	if (!r.h || !r.ph) {
		fputs("felt-replay: out of memory\n", stderr);
		return 1;
	}
	for (int i = 0; i < args.noperands; i++)
		replay_path(&r, args.operands[i]);
	if (r.check) {
		printf("%ld fractional, %ld unchecked, %ld unsupported\n", r.count[REPLAY_FRACTIONAL],
		       r.count[REPLAY_UNCHECKED], r.count[REPLAY_UNSUPPORTED]);
		printf("%ld passed, %ld failed\n", r.count[REPLAY_PASS], r.count[REPLAY_FAIL]);
	}
	free(r.h);
	free(r.ph);
	return r.count[REPLAY_FAIL] > 0 ? 1 : 0;
}
