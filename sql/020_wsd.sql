-- 020_wsd: what felt-wsd does to the database, as functions (DESIGN §1, §5).
--
-- felt-wsd owns live tables.  Every write it makes goes through one of the
-- functions below, each one round trip and one transaction, each SECURITY
-- DEFINER (owned by the migration owner, executable by felt_app), and each
-- fenced: it locks the table row and refuses (SQLSTATE FW001) unless the
-- calling instance is still tables.owner_instance, so a felt-wsd whose table
-- was taken over can never write to it again.
--
-- Ownership.  A felt-wsd instance (FELT_WSD_INSTANCE, stable across
-- restarts) publishes a heartbeats row (component 'wsd') whose stats carry
-- "ws_url" (the public WebSocket URL of that instance, no query string) and
-- the game figures /health sums ("active_tables", "active_connections").
-- It claims the tables assigned to it (owner_instance = itself), unowned
-- ones, and those whose owner died (lease expired and no fresh heartbeat),
-- and renews its leases every few seconds (wsd_claim).
--
-- For felt-api (sql/010, v1_table_owner): a new table goes to the live, not
-- draining instance owning the fewest tables, and the ws_url a join returns
-- is the owner's from its heartbeat, or a live instance's when the owner is
-- gone (felt-wsd takes such tables over after the lease; nginx sends a dead
-- instance's path, /wsd/<instance>/v1/ws, to a live one).
--
-- Errors raised here (SQLSTATE, message):
--   FW001 not_owner           the table belongs to another instance
--   FW002 bad_state           the table is not in the status the call needs
--   FW003 not_enough_players  fewer than two (or min_players) seated

-- ---------------------------------------------------------------------------
-- Instances and leases

CREATE FUNCTION wsd_live_instances(p_stale_s integer)
RETURNS TABLE (instance text, ws_url text, draining boolean)
LANGUAGE sql STABLE AS $$
    SELECT h.instance, h.stats->>'ws_url', coalesce((h.stats->>'draining')::boolean, false)
      FROM heartbeats h
     WHERE h.component = 'wsd'
       AND h.last_seen_at > now() - make_interval(secs => p_stale_s);
$$;
COMMENT ON FUNCTION wsd_live_instances(integer) IS 'felt-wsd instances with a heartbeat younger than p_stale_s seconds, with the ws_url they publish and whether they are draining.';

-- wsd_claim: the tables this instance runs, renewed.  With p_table NULL:
-- every table it owns already (its lease extended), every unowned one, and
-- every one whose owner is dead (lease passed, or never set, and no fresh
-- heartbeat), at most p_max new ones; with p_table: that table only, under
-- the same rule.  One statement, so a periodic call both renews and takes
-- over, and its answer is the complete set owned: a table missing from it
-- was taken over by another instance.  claimed = newly taken.
CREATE FUNCTION wsd_claim(p_instance text, p_lease_s integer, p_stale_s integer,
                          p_max integer, p_table uuid DEFAULT NULL)
RETURNS TABLE (table_id uuid, status text, claimed boolean)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    RETURN QUERY
    WITH live AS (
        SELECT l.instance FROM wsd_live_instances(p_stale_s) l
    ), takeable AS (
        SELECT t.id FROM tables t
         WHERE t.status <> 'ended'
           AND (p_table IS NULL OR t.id = p_table)
           AND t.owner_instance IS DISTINCT FROM p_instance
           AND (t.owner_instance IS NULL
                OR (coalesce(t.lease_until, '-infinity') < now()
                    AND t.owner_instance NOT IN (SELECT instance FROM live)))
         ORDER BY t.created_at
         LIMIT greatest(p_max, 0)
           FOR UPDATE SKIP LOCKED
    ), taken AS (
        UPDATE tables t
           SET owner_instance = p_instance,
               lease_until = now() + make_interval(secs => p_lease_s)
          FROM takeable k
         WHERE t.id = k.id
        RETURNING t.id, t.status
    ), kept AS (
        UPDATE tables t
           SET lease_until = now() + make_interval(secs => p_lease_s)
         WHERE t.owner_instance = p_instance AND t.status <> 'ended'
           AND (p_table IS NULL OR t.id = p_table)
        RETURNING t.id, t.status
    )
    SELECT k.id, k.status, true FROM taken k
    UNION ALL
    SELECT k.id, k.status, false FROM kept k;
END $$;
COMMENT ON FUNCTION wsd_claim(text, integer, integer, integer, uuid) IS 'felt-wsd: claim the tables instance p_instance should run (its own, unowned ones, those of dead instances) and renew its leases; returns every table it now owns, claimed = newly taken.';

-- wsd_release: a felt-wsd stopping cleanly lets its tables go at once, so
-- another instance may take them without waiting for the lease.
CREATE FUNCTION wsd_release(p_instance text)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_n integer;
BEGIN
    UPDATE tables SET owner_instance = NULL, lease_until = NULL
     WHERE owner_instance = p_instance AND status <> 'ended';
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END $$;
COMMENT ON FUNCTION wsd_release(text) IS 'felt-wsd at a clean stop: give up the ownership of its live tables; returns how many.';

-- ---------------------------------------------------------------------------
-- Helpers of the write functions (not granted: called from them only)

-- The table row, locked, after checking that p_instance owns it.
CREATE FUNCTION wsd_lock_table(p_instance text, p_table uuid)
RETURNS tables LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    v tables;
BEGIN
    SELECT * INTO v FROM tables WHERE id = p_table FOR UPDATE;
    IF NOT FOUND OR v.owner_instance IS DISTINCT FROM p_instance THEN
        RAISE EXCEPTION 'not_owner: table % is not owned by %', p_table, p_instance
              USING ERRCODE = 'FW001';
    END IF;
    RETURN v;
END $$;

-- Append one public event; the caller holds the table row lock, which keeps
-- seq gapless.
CREATE FUNCTION wsd_append_event(p_table uuid, p_hand integer, p_type text, p_payload jsonb)
RETURNS bigint LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    v_seq bigint;
BEGIN
    SELECT coalesce(max(seq), 0) + 1 INTO v_seq FROM table_events WHERE table_id = p_table;
    INSERT INTO table_events (table_id, seq, hand_number, type, payload)
    VALUES (p_table, v_seq, p_hand, p_type, coalesce(p_payload, '{}'));
    RETURN v_seq;
END $$;

-- Clear a seat its agent left (or was kicked from), revoke the agent's
-- sessions for the table, log PLAYER_LEFT.
CREATE FUNCTION wsd_clear_seat(p_table uuid, p_seat integer, p_agent uuid,
                               p_reason text, p_forfeit bigint, p_hand integer)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE seats SET agent_id = NULL, stack_chips = 0, joined_at = NULL
     WHERE table_id = p_table AND seat_no = p_seat AND agent_id = p_agent;
    UPDATE sessions SET revoked_at = now()
     WHERE table_id = p_table AND agent_id = p_agent AND revoked_at IS NULL;
    PERFORM wsd_append_event(p_table, p_hand, 'PLAYER_LEFT',
        jsonb_build_object('seatId', p_seat, 'agentId', p_agent, 'reason', p_reason,
                           'forfeitedChips', coalesce(p_forfeit, 0)));
END $$;

CREATE FUNCTION wsd_mark_done(p_table uuid, p_command bigint, p_result text)
RETURNS void LANGUAGE sql SET search_path FROM CURRENT AS $$
    UPDATE table_commands SET done_at = now(), result = p_result
     WHERE id = p_command AND table_id = p_table AND done_at IS NULL;
$$;

-- ---------------------------------------------------------------------------
-- Writes

-- wsd_command_done: mark a table_command applied (result 'ok') or refused
-- (the reason).
CREATE FUNCTION wsd_command_done(p_instance text, p_table uuid, p_command bigint, p_result text)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM wsd_lock_table(p_instance, p_table);
    PERFORM wsd_mark_done(p_table, p_command, p_result);
END $$;
COMMENT ON FUNCTION wsd_command_done(text, uuid, bigint, text) IS 'felt-wsd: mark table_command p_command of p_table done with p_result (ok, or why not).';

-- wsd_table_start: waiting -> running, serialised with felt-api's seat
-- taking by the table row lock.  p_force (admin start) needs two seated
-- players, otherwise min_players.  Logs PLAYER_JOINED per seat and
-- TABLE_STARTED; marks command p_command done.  Returns the seated players.
CREATE FUNCTION wsd_table_start(p_instance text, p_table uuid, p_force boolean,
                                p_command bigint DEFAULT NULL)
RETURNS TABLE (seat_no integer, agent_id uuid, agent_name text, stack_chips bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v tables;
    v_n integer;
    r record;
BEGIN
    v := wsd_lock_table(p_instance, p_table);
    IF v.status <> 'waiting' THEN
        RAISE EXCEPTION 'bad_state: table % is %', p_table, v.status USING ERRCODE = 'FW002';
    END IF;
    SELECT count(*) INTO v_n FROM seats s WHERE s.table_id = p_table AND s.agent_id IS NOT NULL;
    IF v_n < 2 OR (NOT p_force AND v_n < v.min_players) THEN
        RAISE EXCEPTION 'not_enough_players: % seated', v_n USING ERRCODE = 'FW003';
    END IF;
    UPDATE tables SET status = 'running', started_at = now() WHERE id = p_table;
    FOR r IN SELECT s.seat_no, s.agent_id, a.name, s.stack_chips
               FROM seats s JOIN agents a ON a.id = s.agent_id
              WHERE s.table_id = p_table ORDER BY s.seat_no
    LOOP
        PERFORM wsd_append_event(p_table, NULL, 'PLAYER_JOINED',
                    jsonb_build_object('seatId', r.seat_no, 'agentId', r.agent_id,
                                       'agentName', r.name, 'stack', r.stack_chips));
    END LOOP;
    PERFORM wsd_append_event(p_table, NULL, 'TABLE_STARTED', jsonb_build_object(
        'config', jsonb_build_object(
            'blinds', jsonb_build_object('small', v.small_blind_chips, 'big', v.big_blind_chips),
            'maxSeats', v.max_seats, 'initialStack', v.initial_stack_chips,
            'actionTimeoutMs', v.action_timeout_ms, 'minPlayersToStart', v.min_players)));
    IF p_command IS NOT NULL THEN
        PERFORM wsd_mark_done(p_table, p_command, 'ok');
    END IF;
    RETURN QUERY
        SELECT s.seat_no, s.agent_id, a.name, s.stack_chips
          FROM seats s JOIN agents a ON a.id = s.agent_id
         WHERE s.table_id = p_table
         ORDER BY s.seat_no;
END $$;
COMMENT ON FUNCTION wsd_table_start(text, uuid, boolean, bigint) IS 'felt-wsd: start a waiting table (FW002 if not waiting, FW003 if too few seated); returns the seated players.';

-- wsd_seat_leave: an agent leaves (or is kicked) between hands or while the
-- table waits: the seat is cleared, its stack forfeited, sessions revoked,
-- PLAYER_LEFT logged, command p_command done.  A leave in the middle of a
-- hand goes in that hand's wsd_hand_commit instead ("leaves").
CREATE FUNCTION wsd_seat_leave(p_instance text, p_table uuid, p_seat integer, p_agent uuid,
                               p_reason text, p_command bigint DEFAULT NULL)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v tables;
    v_stack bigint;
    v_seated boolean;
BEGIN
    v := wsd_lock_table(p_instance, p_table);
    SELECT s.stack_chips INTO v_stack FROM seats s
     WHERE s.table_id = p_table AND s.seat_no = p_seat AND s.agent_id = p_agent;
    v_seated := FOUND;
    IF v_seated THEN
        PERFORM wsd_clear_seat(p_table, p_seat, p_agent, p_reason,
                               CASE WHEN v.status = 'running' THEN v_stack ELSE 0 END,
                               NULLIF(v.hand_number, 0));
    END IF;
    -- Not seated any more is fine too: felt-api clears the seat of a waiting
    -- table itself (sql/010) and files the leave for the table to hear it.
    IF p_command IS NOT NULL THEN
        PERFORM wsd_mark_done(p_table, p_command, 'ok');
    END IF;
    RETURN coalesce(v_stack, 0);
END $$;
COMMENT ON FUNCTION wsd_seat_leave(text, uuid, integer, uuid, text, bigint) IS 'felt-wsd: agent p_agent leaves seat p_seat (p_reason leave or kick); returns the chips forfeited.';

-- wsd_table_end: the table ends (game_complete, abandoned, admin_stopped,
-- closed).  p_final = [{"seat", "agent_id", "stack"}]: the seats keep their
-- agents and get these stacks (GET /v1/tables shows the final stacks);
-- TABLE_ENDED is logged with them; every pending command is closed.
CREATE FUNCTION wsd_table_end(p_instance text, p_table uuid, p_reason text, p_final jsonb,
                              p_command bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v tables;
BEGIN
    v := wsd_lock_table(p_instance, p_table);
    IF v.status = 'ended' THEN
        RAISE EXCEPTION 'bad_state: table % has ended', p_table USING ERRCODE = 'FW002';
    END IF;
    UPDATE seats s SET stack_chips = f.stack
      FROM jsonb_to_recordset(coalesce(p_final, '[]')) AS f (seat integer, agent_id uuid, stack bigint)
     WHERE s.table_id = p_table AND s.seat_no = f.seat AND s.agent_id = f.agent_id;
    UPDATE tables SET status = 'ended', ended_at = now(), end_reason = p_reason,
                      lease_until = NULL
     WHERE id = p_table;
    PERFORM wsd_append_event(p_table, NULL, 'TABLE_ENDED', jsonb_build_object(
        'reason', p_reason,
        'finalStacks', coalesce((SELECT jsonb_agg(jsonb_build_object(
                'seatId', f.seat, 'agentId', f.agent_id, 'stack', f.stack) ORDER BY f.seat)
            FROM jsonb_to_recordset(coalesce(p_final, '[]')) AS f (seat integer, agent_id uuid, stack bigint)),
            '[]')));
    IF p_command IS NOT NULL THEN
        PERFORM wsd_mark_done(p_table, p_command, 'ok');
    END IF;
    UPDATE table_commands SET done_at = now(), result = 'table_ended'
     WHERE table_id = p_table AND done_at IS NULL;
END $$;
COMMENT ON FUNCTION wsd_table_end(text, uuid, text, jsonb, bigint) IS 'felt-wsd: end a table with reason p_reason and final stacks p_final ([{seat, agent_id, stack}]).';

-- wsd_hand_commit: a finished hand, atomically (DESIGN §5: the hand is final
-- when this commits, and the next one is dealt only after).  p_hand:
--   hand_number, button_seat, small_blind_chips, big_blind_chips,
--   deck_commitment, deck_seed (hex), board ("AsKd7c"), pot_chips,
--   rake_chips, started_at, ended_at (ISO timestamps), table_seq,
--   events        the hand's full log (hands.events, reasoning included)
--   seats         [{seat, agent_id, start_stack, end_stack, won, hole, shown}]
--   public_events [{type, payload}]: what /v1/tables/:id/events shows
--   stacks        [{seat, agent_id, stack}]: the seats' stacks from now on
--   leaves        [{seat, agent_id, reason, forfeit, command}]: mid-hand
--                 leaves and kicks, applied after the hand
--   commands      [{id, result}]: other commands this hand applied
--   ledger        [{kind, reference, legs: [{agent_id, amount}]}]: money
--                 tables' balanced txns (lib/money/settle), each leg on the
--                 agent's in-play account (agent_id null: the platform's
--                 rake account), posted by ledger_post
-- Idempotent: committing a hand already committed (same number and seed,
-- e.g. a retry after a lost answer) returns the stored hand.  Returns
-- {"hand_id", "events_seq"} (the last table_events seq).
CREATE FUNCTION wsd_hand_commit(p_instance text, p_table uuid, p_hand jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v tables;
    v_number integer := (p_hand->>'hand_number')::integer;
    v_hand uuid;
    v_seed text;
    e jsonb;
    l jsonb;
BEGIN
    v := wsd_lock_table(p_instance, p_table);
    SELECT h.id, h.deck_seed INTO v_hand, v_seed FROM hands h
     WHERE h.table_id = p_table AND h.hand_number = v_number;
    IF FOUND THEN
        IF v_seed IS DISTINCT FROM p_hand->>'deck_seed' THEN
            RAISE EXCEPTION 'bad_state: hand % of table % is another hand', v_number, p_table
                  USING ERRCODE = 'FW002';
        END IF;
        RETURN jsonb_build_object('hand_id', v_hand, 'events_seq',
            (SELECT max(seq) FROM table_events WHERE table_id = p_table), 'repeated', true);
    END IF;
    IF v.status <> 'running' OR v_number <> v.hand_number + 1 THEN
        RAISE EXCEPTION 'bad_state: table % is % at hand %, not ready for hand %',
              p_table, v.status, v.hand_number, v_number USING ERRCODE = 'FW002';
    END IF;

    INSERT INTO hands (table_id, hand_number, button_seat, small_blind_chips, big_blind_chips,
                       chip_ucents, deck_commitment, deck_seed, board, pot_chips, rake_chips,
                       started_at, ended_at, events)
    VALUES (p_table, v_number, (p_hand->>'button_seat')::integer,
            (p_hand->>'small_blind_chips')::bigint, (p_hand->>'big_blind_chips')::bigint,
            v.chip_ucents, p_hand->>'deck_commitment', p_hand->>'deck_seed',
            coalesce(p_hand->>'board', ''), (p_hand->>'pot_chips')::bigint,
            coalesce((p_hand->>'rake_chips')::bigint, 0),
            (p_hand->>'started_at')::timestamptz, (p_hand->>'ended_at')::timestamptz,
            p_hand->'events')
    RETURNING id INTO v_hand;

    INSERT INTO hand_seats (hand_id, seat_no, agent_id, start_stack_chips, end_stack_chips,
                            won_chips, hole_cards, shown)
    SELECT v_hand, s.seat, s.agent_id, s.start_stack, s.end_stack, s.won, s.hole, s.shown
      FROM jsonb_to_recordset(p_hand->'seats') AS s (seat integer, agent_id uuid,
             start_stack bigint, end_stack bigint, won bigint, hole text, shown boolean);

    FOR e IN SELECT x FROM jsonb_array_elements(coalesce(p_hand->'public_events', '[]')) AS x
    LOOP
        PERFORM wsd_append_event(p_table, v_number, e->>'type', e->'payload');
    END LOOP;

    UPDATE seats s SET stack_chips = x.stack
      FROM jsonb_to_recordset(coalesce(p_hand->'stacks', '[]')) AS x (seat integer, agent_id uuid, stack bigint)
     WHERE s.table_id = p_table AND s.seat_no = x.seat AND s.agent_id = x.agent_id;

    FOR l IN SELECT x FROM jsonb_array_elements(coalesce(p_hand->'leaves', '[]')) AS x
    LOOP
        PERFORM wsd_clear_seat(p_table, (l->>'seat')::integer, (l->>'agent_id')::uuid,
                               l->>'reason', (l->>'forfeit')::bigint, v_number);
        IF l ? 'command' AND jsonb_typeof(l->'command') = 'number' THEN
            PERFORM wsd_mark_done(p_table, (l->>'command')::bigint, 'ok');
        END IF;
    END LOOP;

    FOR l IN SELECT x FROM jsonb_array_elements(coalesce(p_hand->'commands', '[]')) AS x
    LOOP
        PERFORM wsd_mark_done(p_table, (l->>'id')::bigint, l->>'result');
    END LOOP;

    -- Money: each leg on its agent's in-play account, or (agent_id null)
    -- the platform's rake account.
    FOR l IN SELECT x FROM jsonb_array_elements(coalesce(p_hand->'ledger', '[]')) AS x
    LOOP
        PERFORM ledger_post(l->>'kind', l->'reference',
            ARRAY(SELECT CASE WHEN g->>'agent_id' IS NULL
                              THEN (SELECT a.id FROM accounts a
                                     WHERE a.agent_id = '00000000-0000-0000-0000-000000000001'
                                       AND a.kind = 'rake')
                              ELSE (ledger_agent_accounts((g->>'agent_id')::uuid)).in_play_account
                         END
                    FROM jsonb_array_elements(l->'legs') WITH ORDINALITY AS e (g, i) ORDER BY i),
            ARRAY(SELECT (g->>'amount')::bigint
                    FROM jsonb_array_elements(l->'legs') WITH ORDINALITY AS e (g, i) ORDER BY i));
    END LOOP;

    UPDATE tables SET hand_number = v_number,
                      button_seat = (p_hand->>'button_seat')::integer,
                      table_seq = greatest(table_seq, coalesce((p_hand->>'table_seq')::bigint, 0))
     WHERE id = p_table;
    RETURN jsonb_build_object('hand_id', v_hand, 'events_seq',
        (SELECT max(seq) FROM table_events WHERE table_id = p_table), 'repeated', false);
END $$;
COMMENT ON FUNCTION wsd_hand_commit(text, uuid, jsonb) IS 'felt-wsd: commit one finished hand (history, seats, public events, stacks, leaves, ledger) in one transaction; idempotent on (table, hand_number, seed).';

-- felt-wsd's own reads: the tables it runs and their players.
CREATE FUNCTION wsd_table_seats(p_table uuid)
RETURNS TABLE (seat_no integer, agent_id uuid, agent_name text, stack_chips bigint)
LANGUAGE sql STABLE AS $$
    SELECT s.seat_no, s.agent_id, a.name, s.stack_chips
      FROM seats s LEFT JOIN agents a ON a.id = s.agent_id
     WHERE s.table_id = p_table
     ORDER BY s.seat_no;
$$;
COMMENT ON FUNCTION wsd_table_seats(uuid) IS 'Every seat of a table with its agent''s name (NULL agent: empty seat).';

-- Functions are executable by PUBLIC unless revoked: the writers only by
-- felt_app, the helpers by nobody but their owner (through the writers).
REVOKE ALL ON FUNCTION wsd_lock_table(text, uuid), wsd_append_event(uuid, integer, text, jsonb),
                       wsd_clear_seat(uuid, integer, uuid, text, bigint, integer),
                       wsd_mark_done(uuid, bigint, text),
                       wsd_claim(text, integer, integer, integer, uuid),
                       wsd_release(text),
                       wsd_command_done(text, uuid, bigint, text),
                       wsd_table_start(text, uuid, boolean, bigint),
                       wsd_seat_leave(text, uuid, integer, uuid, text, bigint),
                       wsd_table_end(text, uuid, text, jsonb, bigint),
                       wsd_hand_commit(text, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wsd_live_instances(integer), wsd_table_seats(uuid),
                          wsd_claim(text, integer, integer, integer, uuid),
                          wsd_release(text),
                          wsd_command_done(text, uuid, bigint, text),
                          wsd_table_start(text, uuid, boolean, bigint),
                          wsd_seat_leave(text, uuid, integer, uuid, text, bigint),
                          wsd_table_end(text, uuid, text, jsonb, bigint),
                          wsd_hand_commit(text, uuid, jsonb) TO felt_app;
GRANT EXECUTE ON FUNCTION wsd_live_instances(integer), wsd_table_seats(uuid) TO felt_read;

-- felt-wsd writes a table's history only through the functions above, in one
-- transaction per hand: felt_app may not write it row by row.
REVOKE INSERT ON hands, hand_seats, table_events FROM felt_app;
