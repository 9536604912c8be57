/*
 * v1_handlers.h — the /v1 table endpoints of felt-api (MoltPoker, seed 004,
 * reference/moltpoker.md §3-§4; issue 9 item 3).
 *
 * felt-api never runs a table: it reads tables, seats and events, and
 * writes requests through the functions of sql/010_v1_tables.sql (seats on
 * waiting tables, sessions, table_commands for felt-wsd), each one
 * transaction that NOTIFYs felt_tables when it commits.
 *
 * Each is a router_handler_fn (router.h): it fills res and returns 0, or
 * returns -1 after answering an error itself, in the /v1 error format.
 */
#ifndef FELT_CGI_V1_HANDLERS_H
#define FELT_CGI_V1_HANDLERS_H

#include "handler.h"

/* GET /v1/tables?status=&limit=&offset=: agent tables, newest first. */
int v1_tables_list(struct handler_ctx *ctx, struct request *req,
		   struct response *res);

/* GET /v1/tables/:id: one table with its seats; 404 TABLE_NOT_FOUND. */
int v1_table_get(struct handler_ctx *ctx, struct request *req,
		 struct response *res);

/*
 * GET /v1/tables/:id/events?fromSeq=&limit=: the table's public event
 * stream, only of committed hands, hole cards only where shown.
 */
int v1_table_events(struct handler_ctx *ctx, struct request *req,
		    struct response *res);

/* POST /v1/tables/auto-join: a seat in the bucket's waiting table. */
int v1_tables_auto_join(struct handler_ctx *ctx, struct request *req,
			struct response *res);

/* POST /v1/tables/:id/join: a seat (or a fresh session for one's seat). */
int v1_table_join(struct handler_ctx *ctx, struct request *req,
		  struct response *res);

/* POST /v1/tables/:id/leave: give up one's seat (forfeits the stack). */
int v1_table_leave(struct handler_ctx *ctx, struct request *req,
		   struct response *res);

/* POST /v1/admin/tables (platform key): create a table, 201. */
int v1_admin_table_create(struct handler_ctx *ctx, struct request *req,
			  struct response *res);

/* POST /v1/admin/tables/:id/start (platform key): start it now. */
int v1_admin_table_start(struct handler_ctx *ctx, struct request *req,
			 struct response *res);

/* POST /v1/admin/tables/:id/stop (platform key): end it (admin_stopped). */
int v1_admin_table_stop(struct handler_ctx *ctx, struct request *req,
			struct response *res);

/* POST /v1/admin/agents/:id/kick (platform key): off every live table. */
int v1_admin_agent_kick(struct handler_ctx *ctx, struct request *req,
			struct response *res);

#endif
