/* feltctl hand-phh — stored hands as PHH (PokerKit's format), from their
 * logs (hands.events) through the engine's handlog PHH writer, with every
 * hole card: the platform's view.  See feltctl.h. */
#include "feltctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/db.h"
#include "poker/handlog.h"
#include "poker/phh.h"
#include "poker/view.h"

static const char by_hand[] =
	"SELECT h.id, h.hand_number, h.events::text FROM hands h WHERE h.id = $1::uuid";
static const char by_table[] =
	"SELECT h.id, h.hand_number, h.events::text FROM hands h WHERE h.table_id = $1::uuid"
	" ORDER BY h.hand_number";

/* Write the hands of res as [n] sections of a .phhs file. */
static int write_hands(const PGresult *res, int *written)
{
	struct handlog log;
	struct phh_hand *ph = malloc(sizeof(*ph));
	char err[256], section[64];
	int row, rc = FELTCTL_OK;

	if (!ph)
		return feltctl_fail("out of memory");
	handlog_init(&log);
	for (row = 0; row < PQntuples(res); row++) {
		const char *id = PQgetvalue(res, row, 0), *events = PQgetvalue(res, row, 2);

		if (handlog_from_json(&log, events, strlen(events), err, sizeof(err)) != 0) {
			rc = feltctl_fail("hand %s: stored log unreadable: %s", id, err);
			break;
		}
		if (handlog_phh(&log, VIEW_PLATFORM, ph) != 0) {
			rc = feltctl_fail("hand %s: no PHH for this log", id);
			break;
		}
		snprintf(section, sizeof(section), "%d", ++*written);
		printf("# hand %s, table hand number %s\n", id, PQgetvalue(res, row, 1));
		if (phh_write(stdout, ph, section) != 0) {
			rc = feltctl_fail("hand %s: cannot write PHH", id);
			break;
		}
	}
	handlog_free(&log);
	free(ph);
	return rc;
}

int feltctl_hand_phh(int argc, char **argv)
{
	const char *params[1];
	const char *sql = by_hand;
	PGconn *c;
	int i = 1, written = 0, rc = FELTCTL_OK;

	if (argc < 2)
		return feltctl_usage(argv[0], "a hand id or --table TABLE_ID is required");
	if (strcmp(argv[1], "--table") == 0) {
		if (argc != 3)
			return feltctl_usage(argv[0], "--table takes one table id");
		sql = by_table;
		i = 2;
	}
	c = feltctl_connect();
	if (!c)
		return FELTCTL_FAIL;
	for (; i < argc && rc == FELTCTL_OK; i++) {
		struct db_err e;
		PGresult *res;

		params[0] = argv[i];
		res = db_exec(c, sql, 1, params, &e);
		if (!res) {
			rc = feltctl_fail("%s: %s", argv[i], e.message);
			break;
		}
		if (PQntuples(res) == 0 && sql == by_hand)
			rc = feltctl_fail("no hand %s", argv[i]);
		else
			rc = write_hands(res, &written);
		PQclear(res);
	}
	db_close(c);
	return rc;
}
