/*
 * commit.h — what felt-wsd writes for a finished hand and an ended table:
 * the JSON arguments of wsd_hand_commit and wsd_table_end (sql/020_wsd.sql).
 *
 * The hand's history (hands.events) is its log (poker/handlog.h) as JSON,
 * reasoning included; the seats' rows come from the platform's view; the
 * public events (table_events, GET /v1/tables/:id/events) are derived from
 * the log with every hole card left out except those shown at showdown.
 */
#ifndef FELT_WSD_COMMIT_H
#define FELT_WSD_COMMIT_H

struct table;

/*
 * commit_hand — the p_hand argument of wsd_hand_commit for t's finished
 * hand (phase done), as a malloc'd string the caller frees, or NULL when
 * memory is short.
 */
char *commit_hand(const struct table *t);

/*
 * commit_final_stacks — [{"seat","agent_id","stack"}] of the players still
 * seated (left ones excluded), the p_final argument of wsd_table_end;
 * malloc'd, or NULL when memory is short.
 */
char *commit_final_stacks(const struct table *t);

#endif
