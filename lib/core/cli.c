/* cli — one command-line convention for every felt program.  See cli.h. */
#include "core/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "autoconf.h"

/* Column where option help starts in --help; longer option texts put
 * their help on the next line. */
#define HELP_COLUMN 26
#define HELP_WIDTH 79

const char *cli_strerror(int err)
{
	switch (err) {
	case CLI_OK: return "ok";
	case CLI_EXIT: return "help or version printed";
	case CLI_EUSAGE: return "usage error";
	}
	return "unknown cli error";
}

int cli_status(int err)
{
	return err == CLI_EUSAGE ? 2 : 0;
}

static void hint(const struct cli_spec *spec)
{
	fprintf(stderr, "Try '%s --help' for the options.\n", spec->prog);
}

int cli_usage_error(const struct cli_spec *spec, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", spec->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	hint(spec);
	return CLI_EUSAGE;
}

/* Lines of text, each after indent spaces except the first (which
 * continues the current line). */
static void put_lines(FILE *f, const char *text, int indent)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		int len = nl ? (int)(nl - p) : (int)strlen(p);

		if (p != text)
			fprintf(f, "%*s", indent, "");
		fprintf(f, "%.*s\n", len, p);
		p += len + (nl ? 1 : 0);
	}
}

static void put_option(FILE *f, const char *alias, const char *name,
		       const char *arg, const char *help, const char *def)
{
	char head[128], text[1024];
	const char *last = strrchr(help, '\n');
	size_t last_len = strlen(last ? last + 1 : help);
	int n;

	n = snprintf(head, sizeof head, "  %s%s%s%s%s", alias ? alias : "",
		     alias ? ", " : "", name, arg ? " " : "", arg ? arg : "");
	/* The default closes the last line, or gets one of its own when
	 * that line would pass the right margin. */
	snprintf(text, sizeof text, "%s%s%s%s%s", help,
		 !def ? "" : HELP_COLUMN + last_len + strlen(def) + 12 > HELP_WIDTH ? "\n" : " ",
		 def ? "(default: " : "", def ? def : "", def ? ")" : "");
	if (n + 2 > HELP_COLUMN)
		fprintf(f, "%s\n%*s", head, HELP_COLUMN, "");
	else
		fprintf(f, "%-*s", HELP_COLUMN, head);
	put_lines(f, text, HELP_COLUMN);
}

void cli_help(const struct cli_spec *spec, FILE *f)
{
	bool usage = spec->usage && spec->usage[0];

	fprintf(f, "usage: %s%s%s\n", spec->prog, usage ? " " : "", usage ? spec->usage : "");
	if (spec->about)
		fprintf(f, "\n%s%s", spec->about,
			spec->about[strlen(spec->about) - 1] == '\n' ? "" : "\n");
	fputs("\nOptions:\n", f);
	for (const struct cli_option *o = spec->options; o && o->name; o++)
		put_option(f, o->alias, o->name, o->arg, o->help, o->arg ? o->def : NULL);
	put_option(f, "-h", "--help", NULL, "print this help and exit", NULL);
	put_option(f, NULL, "--version", NULL, "print the version and exit", NULL);
	if (spec->env && spec->env[0]) {
		fputs("\nEnvironment (FELT_* variables; `feltctl config` checks them):\n", f);
		for (const struct config_var *const *t = spec->env; *t; t++)
			config_print(f, *t);
	}
	if (spec->epilog)
		fprintf(f, "\n%s%s", spec->epilog,
			spec->epilog[strlen(spec->epilog) - 1] == '\n' ? "" : "\n");
}

/* The option whose long form is name (len bytes) or whose alias is arg. */
static int find_option(const struct cli_spec *spec, const char *arg, size_t len)
{
	const struct cli_option *o = spec->options;

	for (int i = 0; o && o[i].name && i < CLI_MAX_OPTIONS; i++) {
		if (strlen(o[i].name) == len && strncmp(o[i].name, arg, len) == 0)
			return i;
		if (o[i].alias && strcmp(o[i].alias, arg) == 0)
			return i;
	}
	return -1;
}

/* One option at argv[*i] (which starts with '-'); moves *i past its value. */
static int parse_option(const struct cli_spec *spec, int argc, char **argv, int *i,
			struct cli_parsed *out)
{
	const char *a = argv[*i], *eq = NULL, *value;
	size_t len = strlen(a);
	int k;

	if (strncmp(a, "--", 2) == 0 && (eq = strchr(a, '=')) != NULL)
		len = (size_t)(eq - a);
	k = find_option(spec, a, len);
	if (k < 0)
		return cli_usage_error(spec, "unknown option '%.*s'", (int)len, a);
	if (!spec->options[k].arg) {
		if (eq)
			return cli_usage_error(spec, "option '%s' takes no value",
					       spec->options[k].name);
		value = "";
	} else if (eq) {
		value = eq + 1;
	} else if (*i + 1 < argc) {
		value = argv[++*i];
	} else {
		return cli_usage_error(spec, "option '%s' needs a value (%s)",
				       spec->options[k].name, spec->options[k].arg);
	}
	out->value[k] = value;
	out->count[k]++;
	return CLI_OK;
}

static void print_version(const struct cli_spec *spec)
{
	const char *space = strchr(spec->prog, ' ');
	int len = space ? (int)(space - spec->prog) : (int)strlen(spec->prog);

	printf("%.*s (felt) %s\n", len, spec->prog, PACKAGE_VERSION);
}

int cli_parse(const struct cli_spec *spec, int argc, char **argv,
	      struct cli_parsed *out)
{
	bool operands_only = false;
	int rc;

	memset(out, 0, sizeof *out);
	/* Operands are gathered at the front of argv[1..]: programs get
	 * them as one array, whatever the order they were typed in. */
	out->operands = argv + 1;
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];

		if (operands_only || a[0] != '-' || a[1] == '\0') {
			/* Shifting keeps the order; options already read
			 * point at their own strings, not into argv. */
			memmove(out->operands + out->noperands + 1,
				out->operands + out->noperands,
				(size_t)(argv + i - (out->operands + out->noperands)) * sizeof *argv);
			out->operands[out->noperands++] = a;
		} else if (strcmp(a, "--") == 0) {
			operands_only = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_help(spec, stdout);
			return CLI_EXIT;
		} else if (strcmp(a, "--version") == 0) {
			print_version(spec);
			return CLI_EXIT;
		} else if ((rc = parse_option(spec, argc, argv, &i, out)) != CLI_OK) {
			return rc;
		}
	}
	if (out->noperands < spec->min_operands)
		return cli_usage_error(spec, "missing arguments (usage: %s %s)",
				       spec->prog, spec->usage);
	if (spec->max_operands >= 0 && out->noperands > spec->max_operands)
		return cli_usage_error(spec, "unexpected argument '%s'",
				       out->operands[spec->max_operands]);
	return CLI_OK;
}

int cli_int(const struct cli_spec *spec, const struct cli_parsed *p, int opt,
	    int64_t def, int64_t min, int64_t max, int64_t *out)
{
	const char *v = p->value[opt];
	char *end;
	long long n;

	if (!v) {
		*out = def;
		return CLI_OK;
	}
	errno = 0;
	n = strtoll(v, &end, 10);
	/* strtoll takes leading blanks and a '+': neither is a typed number */
	if (errno || end == v || *end || v[0] == ' ' || v[0] == '\t' || v[0] == '+' ||
	    n < min || n > max)
		return cli_usage_error(spec, "%s '%s': want a whole number from %" PRId64
				       " to %" PRId64, spec->options[opt].name, v, min, max);
	*out = n;
	return CLI_OK;
}

int cli_choice(const struct cli_spec *spec, const struct cli_parsed *p,
	       int opt, const char *const *choices, int def, int *out)
{
	const char *v = p->value[opt];
	char list[512];
	size_t n = 0;

	if (!v) {
		*out = def;
		return CLI_OK;
	}
	for (int i = 0; choices[i]; i++)
		if (strcmp(choices[i], v) == 0) {
			*out = i;
			return CLI_OK;
		}
	list[0] = '\0';
	for (int i = 0; choices[i] && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "",
				      choices[i]);
	return cli_usage_error(spec, "%s '%s': want one of %s", spec->options[opt].name, v,
			       list);
}

int cli_requires(const struct cli_spec *spec, const struct cli_parsed *p,
		 int opt, int needed)
{
	if (p->count[opt] && !p->count[needed])
		return cli_usage_error(spec, "%s needs %s", spec->options[opt].name,
				       spec->options[needed].name);
	return CLI_OK;
}

int cli_conflicts(const struct cli_spec *spec, const struct cli_parsed *p,
		  int a, int b)
{
	if (p->count[a] && p->count[b])
		return cli_usage_error(spec, "%s and %s cannot be used together",
				       spec->options[a].name, spec->options[b].name);
	return CLI_OK;
}
