/*
 * fcgi_baseline — the floor felt-api's GET /api/balance is measured against:
 * a bare threaded FastCGI responder that answers every request with one
 * prepared query (an agent's balance by id) and a fixed-shape JSON body.
 * No routing, no authentication, no logging, no request parsing.
 *
 *   fcgi_baseline SOCKET AGENT_ID [THREADS]
 *
 * Listens on the unix socket SOCKET (as felt-api does), connects each thread
 * to FELT_DB, and runs until killed. Used by t/bench/api_balance.sh; never
 * installed.
 */
#include <fcgiapp.h>
#include <libpq-fe.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct worker {
	int listen_fd;
	const char *conninfo;
	const char *agent_id;
};

static const char balance_sql[] =
	"SELECT balance_ucents FROM accounts"
	" WHERE agent_id = $1 AND kind = 'agent_balance'";

static void *serve(void *arg)
{
	const struct worker *w = arg;
	PGconn *c = PQconnectdb(w->conninfo);
	FCGX_Request r;
	PGresult *res;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "fcgi_baseline: %s", PQerrorMessage(c));
		exit(1);
	}
	res = PQprepare(c, "balance", balance_sql, 1, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		fprintf(stderr, "fcgi_baseline: %s", PQerrorMessage(c));
		exit(1);
	}
	PQclear(res);
	FCGX_InitRequest(&r, w->listen_fd, 0);
	while (FCGX_Accept_r(&r) >= 0) {
		const char *params[1] = { w->agent_id };

		res = PQexecPrepared(c, "balance", 1, params, NULL, NULL, 0);
		if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
			FCGX_FPrintF(r.out,
				     "Status: 200 OK\r\n"
				     "Content-Type: application/json\r\n\r\n"
				     "{\"agent_id\":\"%s\",\"balance_ucents\":%s}",
				     w->agent_id, PQgetvalue(res, 0, 0));
		else
			FCGX_FPrintF(r.out, "Status: 500 Internal Server Error\r\n"
				     "Content-Type: application/json\r\n\r\n{}");
		PQclear(res);
		FCGX_Finish_r(&r);
	}
	PQfinish(c);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w;
	int threads = argc > 3 ? atoi(argv[3]) : 8;
	pthread_t tid[256];

	if (argc < 3 || threads < 1 || threads > 256) {
		fprintf(stderr, "usage: fcgi_baseline SOCKET AGENT_ID [THREADS]\n");
		return 2;
	}
	FCGX_Init();
	/* libfcgi turns SIGTERM into a "shutdown pending" flag that a thread
	 * blocked in accept never sees; the bench script stops us with it. */
	signal(SIGTERM, SIG_DFL);
	w.listen_fd = FCGX_OpenSocket(argv[1], 256);
	if (w.listen_fd < 0) {
		fprintf(stderr, "fcgi_baseline: cannot listen on %s\n", argv[1]);
		return 1;
	}
	/* nginx workers run as another user, as for felt-api. */
	chmod(argv[1], 0666);
	w.conninfo = getenv("FELT_DB") ? getenv("FELT_DB") : "";
	w.agent_id = argv[2];
	for (int i = 0; i < threads; i++)
		pthread_create(&tid[i], NULL, serve, &w);
	for (int i = 0; i < threads; i++)
		pthread_join(tid[i], NULL);
	return 0;
}
