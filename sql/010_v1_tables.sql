-- 010_v1_tables: what felt-api does to tables for the /v1 (MoltPoker)
-- surface, as functions that each run in one transaction: create a table,
-- take a seat (auto-join, join), leave, and the admin requests (start,
-- stop, kick); plus the JSON shape of a table that GET /v1/tables answers.
--
-- The rules (DESIGN §4, §5; sql/008_tables.sql says who writes what):
--   * every change to a table first locks its row FOR UPDATE and reads its
--     status under the lock; felt-wsd starts a table under the same lock, so
--     a seat is never given on a table that has just started;
--   * felt-api changes seats itself only while a table is waiting; anything
--     a live table must do is a table_commands row for its felt-wsd;
--   * each change NOTIFYs felt_tables with the table id; PostgreSQL sends it
--     when the transaction commits (never for one that rolls back);
--   * a table nobody owns (owner NULL, or lease passed and owner not live)
--     is given to the live felt-wsd that owns the fewest unended tables,
--     with a provisional lease that felt-wsd renews or lets lapse (the rules
--     of felt-wsd's own claims, sql/020).
-- Lock order, so that concurrent calls cannot deadlock on each other: the
-- bucket's advisory lock (auto-join only), then table rows in id order.
-- The writing functions are SECURITY DEFINER (owned by the migration owner,
-- with a fixed search_path, executable by felt_app only), as felt-wsd's are
-- (sql/020): felt_app needs no direct write on these tables for them.
--
-- Auto-join keeps at most one waiting table per bucket *with a free seat*:
-- a full table waits for felt-wsd to start it, and the next agent gets a new
-- table meanwhile. So 008's unique index (one waiting table per bucket,
-- full or not) is replaced by the bucket's advisory lock.

DROP INDEX tables_waiting_bucket_key;
CREATE INDEX tables_bucket_waiting_idx ON tables (bucket_key, created_at)
    WHERE status = 'waiting' AND bucket_key IS NOT NULL;
CREATE INDEX tables_agent_created_idx ON tables (created_at DESC, id DESC)
    WHERE kind = 'agent';

-- A leave or kick of p_agent that felt-wsd has not applied yet: the agent is
-- on the way out, so it is no longer seated as far as /v1 is concerned.
CREATE FUNCTION v1_leaving(p_table uuid, p_agent uuid) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM table_commands c
                    WHERE c.table_id = p_table AND c.done_at IS NULL
                      AND c.agent_id = p_agent AND c.kind IN ('leave', 'kick'));
$$;
COMMENT ON FUNCTION v1_leaving(uuid, uuid) IS 'True while a leave or kick of the agent at the table waits for felt-wsd.';

-- The agent table p_table, its row locked FOR UPDATE until the transaction
-- ends: the lock felt-wsd's start takes too. All NULL when there is none.
CREATE FUNCTION v1_lock_table(p_table uuid) RETURNS tables
LANGUAGE sql AS $$
    SELECT * FROM tables WHERE id = p_table AND kind = 'agent' FOR UPDATE;
$$;
COMMENT ON FUNCTION v1_lock_table(uuid) IS 'An agent table, locked for the rest of the transaction (NULLs if none).';

-- The felt-wsd instances that can take a table: a heartbeat younger than
-- p_stale_s seconds, a published ws_url, not draining (the contract of
-- felt-wsd's heartbeat: stats {"ws_url", "draining"}).
CREATE FUNCTION v1_wsd_live(p_stale_s integer)
RETURNS TABLE (instance text, ws_url text)
LANGUAGE sql STABLE AS $$
    SELECT h.instance, h.stats->>'ws_url'
      FROM heartbeats h
     WHERE h.component = 'wsd'
       AND h.last_seen_at > now() - make_interval(secs => p_stale_s)
       AND h.stats->>'ws_url' IS NOT NULL
       AND NOT coalesce((h.stats->>'draining')::boolean, false);
$$;
COMMENT ON FUNCTION v1_wsd_live(integer) IS 'Live felt-wsd instances that accept tables, with their ws_url.';

-- The owner of table p_table (caller holds its row lock), assigning one when
-- it has none or its owner is gone (lease passed, no live heartbeat): the
-- live instance owning the fewest unended tables, with a provisional lease
-- of p_stale_s seconds that the instance renews once it runs the table.
-- Returns the ws_url agents should connect to: the owner's, or when the
-- owner is not live (it will be taken over) any live instance's; NULL when
-- no felt-wsd is live (felt-api then answers the default URL).
CREATE FUNCTION v1_table_owner(p_table uuid, p_stale_s integer) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    t tables;
    v_pick text;
BEGIN
    SELECT * INTO t FROM tables WHERE id = p_table;
    IF t.owner_instance IS NULL
       OR (coalesce(t.lease_until, '-infinity') < now()
           AND t.owner_instance NOT IN (SELECT l.instance FROM v1_wsd_live(p_stale_s) l)) THEN
        SELECT l.instance INTO v_pick
          FROM v1_wsd_live(p_stale_s) l
         ORDER BY (SELECT count(*) FROM tables o
                    WHERE o.owner_instance = l.instance AND o.status <> 'ended'),
                  l.instance
         LIMIT 1;
        IF v_pick IS NOT NULL THEN
            UPDATE tables SET owner_instance = v_pick,
                              lease_until = now() + make_interval(secs => p_stale_s)
             WHERE id = p_table;
            t.owner_instance := v_pick;
        END IF;
    END IF;
    RETURN coalesce((SELECT l.ws_url FROM v1_wsd_live(p_stale_s) l
                      WHERE l.instance = t.owner_instance),
                    (SELECT l.ws_url FROM v1_wsd_live(p_stale_s) l
                      ORDER BY l.instance LIMIT 1));
END $$;
COMMENT ON FUNCTION v1_table_owner(uuid, integer) IS 'The felt-wsd instance owning a table (assigned to the least loaded live one when unowned) and its ws_url.';

-- A new agent table with all its (empty) seats. Returns its id.
CREATE FUNCTION v1_table_create(p_bucket text, p_sb bigint, p_bb bigint, p_seats integer,
                                p_stack bigint, p_timeout_ms integer, p_min_players integer,
                                p_start_delay_ms integer, p_config jsonb, p_created_by uuid,
                                p_stale_s integer)
RETURNS uuid LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO tables (kind, bucket_key, small_blind_chips, big_blind_chips, max_seats,
                        initial_stack_chips, action_timeout_ms, min_players, start_delay_ms,
                        config, created_by)
    VALUES ('agent', p_bucket, p_sb, p_bb, p_seats, p_stack, p_timeout_ms, p_min_players,
            p_start_delay_ms, coalesce(p_config, '{}'), p_created_by)
    RETURNING id INTO v_id;
    INSERT INTO seats (table_id, seat_no)
    SELECT v_id, n FROM generate_series(0, p_seats - 1) AS n;
    PERFORM v1_table_owner(v_id, p_stale_s);
    PERFORM pg_notify('felt_tables', v_id::text);
    RETURN v_id;
END $$;
COMMENT ON FUNCTION v1_table_create(text, bigint, bigint, integer, bigint, integer, integer, integer, jsonb, uuid, integer) IS 'Create a waiting agent table and its max_seats empty seats (auto-join, POST /v1/admin/tables).';

-- Seat p_agent at table p_table and issue a session (token hash p_token_hash,
-- valid p_session_s seconds). result:
--   seated     took seat seat_no (p_preferred when free, else the lowest free)
--   reissued   already held seat seat_no here: a fresh session for it (its
--              earlier sessions are revoked: one valid token per seat)
--   not_found  no such agent table
--   ended      the table has ended
--   running    the table is running and the agent holds no seat there
--   leaving    the agent's leave or kick is still being applied
--   full       no free seat
-- action_timeout_ms and ws_url (NULL: use the default) come with seated and
-- reissued.
CREATE FUNCTION v1_seat(p_table uuid, p_agent uuid, p_preferred integer, p_token_hash text,
                        p_session_s integer, p_stale_s integer,
                        OUT result text, OUT seat_no integer, OUT action_timeout_ms integer,
                        OUT ws_url text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    t tables;
    v_seat integer;
BEGIN
    t := v1_lock_table(p_table);
    IF t.id IS NULL OR t.status = 'ended' THEN
        result := CASE WHEN t.id IS NULL THEN 'not_found' ELSE 'ended' END;
        RETURN;
    END IF;
    SELECT s.seat_no INTO v_seat FROM seats s WHERE s.table_id = p_table AND s.agent_id = p_agent;
    IF FOUND THEN
        IF v1_leaving(p_table, p_agent) THEN
            result := 'leaving';
            RETURN;
        END IF;
        UPDATE sessions SET revoked_at = now()
         WHERE sessions.agent_id = p_agent AND sessions.table_id = p_table
           AND sessions.revoked_at IS NULL;
        result := 'reissued';
    ELSIF t.status <> 'waiting' THEN
        result := 'running';
        RETURN;
    ELSE
        SELECT s.seat_no INTO v_seat FROM seats s
         WHERE s.table_id = p_table AND s.agent_id IS NULL
         ORDER BY coalesce(s.seat_no = p_preferred, false) DESC, s.seat_no
         LIMIT 1;
        IF NOT FOUND THEN
            result := 'full';
            RETURN;
        END IF;
        UPDATE seats SET agent_id = p_agent, stack_chips = t.initial_stack_chips, joined_at = now()
         WHERE seats.table_id = p_table AND seats.seat_no = v_seat;
        INSERT INTO table_commands (table_id, kind, agent_id, seat_no, requested_by)
        VALUES (p_table, 'seat', p_agent, v_seat, p_agent);
        PERFORM pg_notify('felt_tables', p_table::text);
        result := 'seated';
    END IF;
    INSERT INTO sessions (token_hash, agent_id, table_id, seat_no, expires_at)
    VALUES (p_token_hash, p_agent, p_table, v_seat, now() + make_interval(secs => p_session_s));
    seat_no := v_seat;
    action_timeout_ms := t.action_timeout_ms;
    ws_url := v1_table_owner(p_table, p_stale_s);
END $$;
COMMENT ON FUNCTION v1_seat(uuid, uuid, integer, text, integer, integer) IS 'POST /v1/tables/:id/join: take a seat on a waiting table, or a fresh session for the seat already held.';

-- Auto-join bucket p_bucket: a fresh session for the seat the agent holds at
-- an unended table of the bucket (unless it was eliminated there: no chips
-- left at a running table), else a seat at the oldest waiting table of the
-- bucket with a free seat, else at a new table configured by the p_*
-- values. Results as v1_seat, plus the table id.
CREATE FUNCTION v1_auto_join(p_bucket text, p_agent uuid, p_preferred integer, p_token_hash text,
                             p_session_s integer, p_stale_s integer,
                             p_sb bigint, p_bb bigint, p_seats integer, p_stack bigint,
                             p_timeout_ms integer, p_min_players integer, p_start_delay_ms integer,
                             OUT result text, OUT table_id uuid, OUT seat_no integer,
                             OUT action_timeout_ms integer, OUT ws_url text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    v_table uuid;
    r record;
BEGIN
    -- One auto-join per bucket at a time: two agents never both create a table.
    PERFORM pg_advisory_xact_lock(1178946644, hashtext(p_bucket));
    SELECT s.table_id INTO v_table
      FROM seats s JOIN tables t ON t.id = s.table_id
     WHERE s.agent_id = p_agent AND t.kind = 'agent' AND t.bucket_key = p_bucket
       AND (t.status = 'waiting' OR (t.status = 'running' AND s.stack_chips > 0))
       AND NOT v1_leaving(s.table_id, p_agent)
     ORDER BY t.created_at DESC
     LIMIT 1;
    -- A table found before its lock may start, end or fill before we hold
    -- it (felt-wsd, joins by id): then look again, a bounded number of times.
    FOR attempt IN 1..8 LOOP
        IF v_table IS NULL THEN
            SELECT t.id INTO v_table FROM tables t
             WHERE t.kind = 'agent' AND t.bucket_key = p_bucket AND t.status = 'waiting'
               AND EXISTS (SELECT 1 FROM seats s WHERE s.table_id = t.id AND s.agent_id IS NULL)
             ORDER BY t.created_at, t.id
             LIMIT 1;
        END IF;
        IF v_table IS NULL THEN
            v_table := v1_table_create(p_bucket, p_sb, p_bb, p_seats, p_stack, p_timeout_ms,
                                       p_min_players, p_start_delay_ms, '{}', NULL, p_stale_s);
        END IF;
        SELECT * INTO r FROM v1_seat(v_table, p_agent, p_preferred, p_token_hash,
                                     p_session_s, p_stale_s);
        result := r.result;
        table_id := v_table;
        seat_no := r.seat_no;
        action_timeout_ms := r.action_timeout_ms;
        ws_url := r.ws_url;
        EXIT WHEN r.result IN ('seated', 'reissued');
        v_table := NULL;
    END LOOP;
END $$;
COMMENT ON FUNCTION v1_auto_join(text, uuid, integer, text, integer, integer, bigint, bigint, integer, bigint, integer, integer, integer) IS 'POST /v1/tables/auto-join: a seat in the bucket''s waiting table (created when there is none with a free seat), or a fresh session for the seat already held in the bucket.';

-- Take p_agent (seated at p_seat of table t, whose row the caller has
-- locked) off the table: its sessions are revoked, a waiting table's seat is
-- cleared at once, and a p_kind ('leave' or 'kick') command tells felt-wsd
-- (which folds a hand in progress and clears the seat of a running table).
-- Returns 'left' (seat cleared) or 'leaving' (felt-wsd will clear it).
CREATE FUNCTION v1_unseat(t tables, p_agent uuid, p_seat integer, p_kind text, p_by uuid)
RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE sessions SET revoked_at = now()
     WHERE agent_id = p_agent AND table_id = t.id AND revoked_at IS NULL;
    IF t.status = 'waiting' THEN
        UPDATE seats SET agent_id = NULL, stack_chips = 0, joined_at = NULL
         WHERE table_id = t.id AND seat_no = p_seat;
    END IF;
    INSERT INTO table_commands (table_id, kind, agent_id, seat_no, requested_by)
    VALUES (t.id, p_kind, p_agent, p_seat, p_by);
    PERFORM pg_notify('felt_tables', t.id::text);
    RETURN CASE WHEN t.status = 'waiting' THEN 'left' ELSE 'leaving' END;
END $$;
COMMENT ON FUNCTION v1_unseat(tables, uuid, integer, text, uuid) IS 'Revoke an agent''s sessions at a table, clear its seat if the table is waiting, and file a leave or kick command.';

-- POST /v1/tables/:id/leave. result: not_found, ended (a no-op), not_seated
-- (also while an earlier leave is being applied), left, leaving.
CREATE FUNCTION v1_leave(p_table uuid, p_agent uuid, OUT result text, OUT seat_no integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    t tables;
    v_seat integer;
BEGIN
    t := v1_lock_table(p_table);
    IF t.id IS NULL OR t.status = 'ended' THEN
        result := CASE WHEN t.id IS NULL THEN 'not_found' ELSE 'ended' END;
        RETURN;
    END IF;
    SELECT s.seat_no INTO v_seat FROM seats s WHERE s.table_id = p_table AND s.agent_id = p_agent;
    IF NOT FOUND OR v1_leaving(p_table, p_agent) THEN
        result := 'not_seated';
        RETURN;
    END IF;
    seat_no := v_seat;
    result := v1_unseat(t, p_agent, v_seat, 'leave', p_agent);
END $$;
COMMENT ON FUNCTION v1_leave(uuid, uuid) IS 'POST /v1/tables/:id/leave: give up the seat (a running table folds and forfeits through felt-wsd).';

-- POST /v1/admin/agents/:id/kick: take p_agent off every unended table it
-- sits at. One row per table: result 'kicked' with table and seat. None:
-- one row 'ended' (the agent's latest seat is at an ended table: a no-op)
-- or 'not_seated'.
CREATE FUNCTION v1_kick(p_agent uuid, p_by uuid)
RETURNS TABLE (result text, table_id uuid, seat_no integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
#variable_conflict use_column
DECLARE
    t tables;
    v_seat integer;
    v_any boolean := false;
BEGIN
    FOR t IN SELECT tb.* FROM tables tb
              WHERE tb.kind = 'agent' AND tb.status <> 'ended'
                AND EXISTS (SELECT 1 FROM seats s WHERE s.table_id = tb.id AND s.agent_id = p_agent)
              ORDER BY tb.id
              FOR UPDATE
    LOOP
        -- Read again under the lock: the seat or the status may have changed.
        SELECT s.seat_no INTO v_seat FROM seats s WHERE s.table_id = t.id AND s.agent_id = p_agent;
        CONTINUE WHEN NOT FOUND OR t.status = 'ended';
        IF NOT v1_leaving(t.id, p_agent) THEN
            PERFORM v1_unseat(t, p_agent, v_seat, 'kick', p_by);
        END IF;
        v_any := true;
        result := 'kicked';
        table_id := t.id;
        seat_no := v_seat;
        RETURN NEXT;
    END LOOP;
    IF v_any THEN
        RETURN;
    END IF;
    SELECT 'ended', s.table_id, s.seat_no INTO result, table_id, seat_no
      FROM seats s JOIN tables tb ON tb.id = s.table_id
     WHERE s.agent_id = p_agent AND tb.kind = 'agent' AND tb.status = 'ended'
     ORDER BY tb.ended_at DESC
     LIMIT 1;
    IF NOT FOUND THEN
        result := 'not_seated';
        table_id := NULL;
        seat_no := NULL;
    END IF;
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION v1_kick(uuid, uuid) IS 'POST /v1/admin/agents/:id/kick: file a kick for each unended table the agent sits at.';

-- POST /v1/admin/tables/:id/start: 'ok' (a start command is pending),
-- 'not_found', 'running' or 'ended' (not waiting), 'too_few' (< 2 seated).
CREATE FUNCTION v1_admin_start(p_table uuid, p_by uuid) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    t tables;
BEGIN
    t := v1_lock_table(p_table);
    IF t.id IS NULL THEN
        RETURN 'not_found';
    END IF;
    IF t.status <> 'waiting' THEN
        RETURN t.status;
    END IF;
    IF (SELECT count(*) FROM seats WHERE table_id = p_table AND agent_id IS NOT NULL) < 2 THEN
        RETURN 'too_few';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM table_commands WHERE table_id = p_table AND kind = 'start'
                                                  AND done_at IS NULL) THEN
        INSERT INTO table_commands (table_id, kind, requested_by) VALUES (p_table, 'start', p_by);
    END IF;
    PERFORM pg_notify('felt_tables', p_table::text);
    RETURN 'ok';
END $$;
COMMENT ON FUNCTION v1_admin_start(uuid, uuid) IS 'Ask felt-wsd to start a waiting table with at least two players now.';

-- POST /v1/admin/tables/:id/stop: 'ok' (a stop command is pending),
-- 'not_found', 'ended' (a no-op).
CREATE FUNCTION v1_admin_stop(p_table uuid, p_by uuid) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    t tables;
BEGIN
    t := v1_lock_table(p_table);
    IF t.id IS NULL THEN
        RETURN 'not_found';
    END IF;
    IF t.status = 'ended' THEN
        RETURN 'ended';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM table_commands WHERE table_id = p_table AND kind = 'stop'
                                                  AND done_at IS NULL) THEN
        INSERT INTO table_commands (table_id, kind, requested_by) VALUES (p_table, 'stop', p_by);
    END IF;
    PERFORM pg_notify('felt_tables', p_table::text);
    RETURN 'ok';
END $$;
COMMENT ON FUNCTION v1_admin_stop(uuid, uuid) IS 'Ask felt-wsd to end a table (reason admin_stopped).';

-- The MoltPoker TableConfig of an agent table: the enforced columns, and
-- the seed a client gave (kept for display; felt deals from getrandom).
CREATE FUNCTION v1_config_json(t tables) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_strip_nulls(json_build_object(
        'blinds', json_build_object('small', t.small_blind_chips, 'big', t.big_blind_chips),
        'maxSeats', t.max_seats,
        'initialStack', t.initial_stack_chips,
        'actionTimeoutMs', t.action_timeout_ms,
        'minPlayersToStart', t.min_players,
        'startDelayMs', t.start_delay_ms,
        'seed', CASE WHEN jsonb_typeof(t.config->'seed') = 'string' THEN t.config->>'seed' END,
        'realMoney', false));
$$;
COMMENT ON FUNCTION v1_config_json(tables) IS 'The MoltPoker TableConfig of an agent table, as GET /v1/tables shows it.';

-- A table as GET /v1/tables lists it (MoltPoker TableListItem): seats with
-- their stacks after the last committed hand; isActive = seated with chips.
CREATE FUNCTION v1_table_json(t tables) RETURNS json
LANGUAGE sql STABLE AS $$
    SELECT json_build_object(
        'id', t.id,
        'status', t.status,
        'config', v1_config_json(t),
        'seats', s.seats,
        'availableSeats', s.free,
        'playerCount', s.taken,
        'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'bucket_key', t.bucket_key,
        'realMoney', false)
      FROM (SELECT coalesce(json_agg(json_build_object(
                       'seatId', st.seat_no,
                       'agentId', st.agent_id,
                       'agentName', a.name,
                       'stack', st.stack_chips,
                       'isActive', st.agent_id IS NOT NULL AND st.stack_chips > 0)
                     ORDER BY st.seat_no), '[]') AS seats,
                   count(*) FILTER (WHERE st.agent_id IS NULL) AS free,
                   count(*) FILTER (WHERE st.agent_id IS NOT NULL) AS taken
              FROM seats st LEFT JOIN agents a ON a.id = st.agent_id
             WHERE st.table_id = t.id) AS s;
$$;
COMMENT ON FUNCTION v1_table_json(tables) IS 'An agent table as GET /v1/tables and GET /v1/tables/:id answer it (MoltPoker TableListItem).';

-- Nothing is executable by PUBLIC. felt-api (felt_app) calls the entry
-- points and the JSON shape; the helpers run inside the SECURITY DEFINER
-- functions only. DBAs may use the JSON shape.
REVOKE ALL ON FUNCTION v1_leaving(uuid, uuid), v1_lock_table(uuid), v1_wsd_live(integer),
    v1_table_owner(uuid, integer),
    v1_table_create(text, bigint, bigint, integer, bigint, integer, integer, integer, jsonb, uuid, integer),
    v1_seat(uuid, uuid, integer, text, integer, integer),
    v1_auto_join(text, uuid, integer, text, integer, integer, bigint, bigint, integer, bigint, integer, integer, integer),
    v1_unseat(tables, uuid, integer, text, uuid), v1_leave(uuid, uuid), v1_kick(uuid, uuid),
    v1_admin_start(uuid, uuid), v1_admin_stop(uuid, uuid),
    v1_config_json(tables), v1_table_json(tables) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    v1_table_create(text, bigint, bigint, integer, bigint, integer, integer, integer, jsonb, uuid, integer),
    v1_seat(uuid, uuid, integer, text, integer, integer),
    v1_auto_join(text, uuid, integer, text, integer, integer, bigint, bigint, integer, bigint, integer, integer, integer),
    v1_leave(uuid, uuid), v1_kick(uuid, uuid), v1_admin_start(uuid, uuid), v1_admin_stop(uuid, uuid),
    v1_config_json(tables), v1_table_json(tables) TO felt_app;
GRANT EXECUTE ON FUNCTION v1_config_json(tables), v1_table_json(tables) TO felt_read;
