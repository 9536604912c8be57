-- 060_cash: Open Poker cash tables (/ws lobby): buy-ins reserve money,
-- leaving returns it (DESIGN §2, §4).
--
-- Money of a cash table lives in each agent's agent_in_play account while it
-- sits there:
--   cash_join          balance -> in-play (buy_in txn), the seat taken;
--   wsd_hand_commit    in-play moves between agents and to the rake account
--                      (sql/020, lib/money/settle);
--   leaving            in-play -> balance (cash_out txn) for the seat's chips:
--                      between hands (wsd_seat_leave), after the hand for a
--                      mid-hand leave (wsd_hand_commit's leaves), and for
--                      every seat when the table ends (wsd_table_end).
-- So at every commit an agent's in-play equals the chips of its seat.
-- felt-wsd calls these as felt_app; they are SECURITY DEFINER and post
-- through ledger_post only.

-- ---------------------------------------------------------------------------
-- Helpers (not granted)

-- Return p_chips of p_agent's seat at p_table to its balance.
CREATE FUNCTION cash_return(p_table uuid, p_agent uuid, p_chips bigint, p_reason text)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    v_cu bigint;
    a record;
BEGIN
    SELECT chip_ucents INTO v_cu FROM tables WHERE id = p_table;
    IF coalesce(p_chips, 0) <= 0 OR coalesce(v_cu, 0) <= 0 THEN
        RETURN;
    END IF;
    a := ledger_agent_accounts(p_agent);
    PERFORM ledger_post('cash_out',
        jsonb_build_object('table', p_table, 'agent', p_agent, 'chips', p_chips,
                           'reason', p_reason),
        ARRAY[a.in_play_account, a.balance_account],
        ARRAY[-(p_chips * v_cu), p_chips * v_cu]);
END $$;

-- wsd_clear_seat (sql/020), money-aware: a cash table's seat returns its
-- chips to the balance before it is cleared.
CREATE OR REPLACE FUNCTION wsd_clear_seat(p_table uuid, p_seat integer, p_agent uuid,
                                          p_reason text, p_forfeit bigint, p_hand integer)
RETURNS void LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    v_stack bigint;
    v_cash boolean;
BEGIN
    SELECT t.kind = 'cash' INTO v_cash FROM tables t WHERE t.id = p_table;
    SELECT s.stack_chips INTO v_stack FROM seats s
     WHERE s.table_id = p_table AND s.seat_no = p_seat AND s.agent_id = p_agent;
    IF v_cash AND FOUND THEN
        PERFORM cash_return(p_table, p_agent, v_stack, p_reason);
    END IF;
    UPDATE seats SET agent_id = NULL, stack_chips = 0, joined_at = NULL
     WHERE table_id = p_table AND seat_no = p_seat AND agent_id = p_agent;
    UPDATE sessions SET revoked_at = now()
     WHERE table_id = p_table AND agent_id = p_agent AND revoked_at IS NULL;
    PERFORM wsd_append_event(p_table, p_hand, 'PLAYER_LEFT',
        jsonb_build_object('seatId', p_seat, 'agentId', p_agent, 'reason', p_reason,
                           'forfeitedChips', CASE WHEN v_cash THEN 0
                                                  ELSE coalesce(p_forfeit, 0) END));
END $$;

-- ---------------------------------------------------------------------------
-- wsd_hand_commit and wsd_table_end keep their interface (felt-wsd calls
-- them for every table); for cash tables they are wrapped:
--   hand commit: a mid-hand leaver's chips after the hand become its seat's
--     stack, the hand (and its ledger legs) commits, and only then is the
--     seat cleared and those chips returned: in-play never goes below zero.
--   table end: every seat's chips go back to the balance, the seats empty.
ALTER FUNCTION wsd_hand_commit(text, uuid, jsonb) RENAME TO wsd_hand_commit_core;
ALTER FUNCTION wsd_table_end(text, uuid, text, jsonb, bigint) RENAME TO wsd_table_end_core;
REVOKE ALL ON FUNCTION wsd_hand_commit_core(text, uuid, jsonb),
                       wsd_table_end_core(text, uuid, text, jsonb, bigint) FROM PUBLIC, felt_app;

CREATE FUNCTION wsd_hand_commit(p_instance text, p_table uuid, p_hand jsonb)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_res jsonb;
    v_leaves jsonb := coalesce(p_hand->'leaves', '[]');
    l jsonb;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM tables WHERE id = p_table AND kind = 'cash')
       OR jsonb_array_length(v_leaves) = 0 THEN
        RETURN wsd_hand_commit_core(p_instance, p_table, p_hand);
    END IF;
    v_res := wsd_hand_commit_core(p_instance, p_table, (p_hand - 'leaves') || jsonb_build_object(
        'stacks', coalesce(p_hand->'stacks', '[]') || coalesce((SELECT jsonb_agg(
            jsonb_build_object('seat', x->'seat', 'agent_id', x->'agent_id', 'stack', x->'forfeit'))
            FROM jsonb_array_elements(v_leaves) AS x), '[]')));
    IF (v_res->>'repeated')::boolean THEN
        RETURN v_res;
    END IF;
    FOR l IN SELECT x FROM jsonb_array_elements(v_leaves) AS x
    LOOP
        PERFORM wsd_clear_seat(p_table, (l->>'seat')::integer, (l->>'agent_id')::uuid,
                               l->>'reason', 0, (p_hand->>'hand_number')::integer);
        IF l ? 'command' AND jsonb_typeof(l->'command') = 'number' THEN
            PERFORM wsd_mark_done(p_table, (l->>'command')::bigint, 'ok');
        END IF;
    END LOOP;
    RETURN jsonb_set(v_res, '{events_seq}',
                     to_jsonb((SELECT max(seq) FROM table_events WHERE table_id = p_table)));
END $$;
COMMENT ON FUNCTION wsd_hand_commit(text, uuid, jsonb) IS 'felt-wsd: commit one finished hand (see wsd_hand_commit_core); at cash tables mid-hand leavers are cashed out after the hand''s ledger legs.';

CREATE FUNCTION wsd_table_end(p_instance text, p_table uuid, p_reason text, p_final jsonb,
                              p_command bigint DEFAULT NULL)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    s record;
BEGIN
    PERFORM wsd_table_end_core(p_instance, p_table, p_reason, p_final, p_command);
    IF NOT EXISTS (SELECT 1 FROM tables WHERE id = p_table AND kind = 'cash') THEN
        RETURN;
    END IF;
    FOR s IN SELECT seat_no, agent_id, stack_chips FROM seats
              WHERE table_id = p_table AND agent_id IS NOT NULL ORDER BY seat_no
    LOOP
        PERFORM cash_return(p_table, s.agent_id, s.stack_chips, 'table_closed');
        UPDATE seats SET agent_id = NULL, stack_chips = 0, joined_at = NULL
         WHERE table_id = p_table AND seat_no = s.seat_no;
    END LOOP;
END $$;
COMMENT ON FUNCTION wsd_table_end(text, uuid, text, jsonb, bigint) IS 'felt-wsd: end a table (see wsd_table_end_core); a cash table''s seats are cashed out and emptied.';

-- ---------------------------------------------------------------------------
-- cash_join: the lobby.  Seats p_agent with p_buy_in chips at the oldest open
-- cash table of these blinds and chip value that has an empty seat (FIFO,
-- topping tables up), opening a new one when none has room; reserves the
-- buy-in (balance -> in-play) and files the "seat" command felt-wsd applies.
-- One table per agent.  Returns one row: result 'ok' (table_id, seat_no),
-- 'already_seated' (its table and seat) or 'insufficient_funds' (balance in
-- balance_ucents).  The buy-in range is the caller's to check.
CREATE FUNCTION cash_join(p_agent uuid, p_buy_in bigint, p_chip_ucents bigint,
                          p_sb bigint, p_bb bigint, p_max_seats integer,
                          p_min_buy_in bigint, p_max_buy_in bigint, p_timeout_ms integer,
                          p_rake_bp integer, p_rake_cap bigint)
RETURNS TABLE (result text, table_id uuid, seat_no integer, balance_ucents bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    v_table uuid;
    v_seat integer;
    v_amount bigint := p_buy_in * p_chip_ucents;
    v_balance bigint;
    v_new boolean;
    a record;
BEGIN
    -- One lobby decision at a time: two joins never open two tables when
    -- one has room, nor seat one agent twice.
    PERFORM pg_advisory_xact_lock(hashtext('felt_cash_lobby'));
    SELECT s.table_id, s.seat_no INTO v_table, v_seat
      FROM seats s JOIN tables t ON t.id = s.table_id
     WHERE s.agent_id = p_agent AND t.kind = 'cash' AND t.status <> 'ended'
     LIMIT 1;
    IF FOUND THEN
        RETURN QUERY SELECT 'already_seated'::text, v_table, v_seat, NULL::bigint;
        RETURN;
    END IF;
    a := ledger_agent_accounts(p_agent);
    SELECT ac.balance_ucents INTO v_balance FROM accounts ac WHERE ac.id = a.balance_account;
    IF v_balance < v_amount THEN
        RETURN QUERY SELECT 'insufficient_funds'::text, NULL::uuid, NULL::integer, v_balance;
        RETURN;
    END IF;

    SELECT t.id INTO v_table FROM tables t
     WHERE t.kind = 'cash' AND t.status IN ('waiting', 'running')
       AND t.chip_ucents = p_chip_ucents AND t.small_blind_chips = p_sb
       AND t.big_blind_chips = p_bb
       AND EXISTS (SELECT 1 FROM seats s WHERE s.table_id = t.id AND s.agent_id IS NULL)
     ORDER BY t.created_at, t.id
     LIMIT 1
     FOR UPDATE;
    v_new := NOT FOUND;
    IF v_new THEN
        INSERT INTO tables (kind, status, small_blind_chips, big_blind_chips, max_seats,
                            initial_stack_chips, min_buy_in_chips, max_buy_in_chips,
                            action_timeout_ms, min_players, start_delay_ms, chip_ucents,
                            rake_bp, rake_cap_chips)
        VALUES ('cash', 'waiting', p_sb, p_bb, p_max_seats, p_buy_in, p_min_buy_in,
                p_max_buy_in, p_timeout_ms, 2, 0, p_chip_ucents, p_rake_bp, p_rake_cap)
        RETURNING id INTO v_table;
        INSERT INTO seats (table_id, seat_no)
        SELECT v_table, n FROM generate_series(0, p_max_seats - 1) AS n;
    END IF;
    SELECT min(s.seat_no) INTO v_seat FROM seats s
     WHERE s.table_id = v_table AND s.agent_id IS NULL;

    PERFORM ledger_post('buy_in',
        jsonb_build_object('table', v_table, 'agent', p_agent, 'chips', p_buy_in),
        ARRAY[a.balance_account, a.in_play_account], ARRAY[-v_amount, v_amount]);
    UPDATE seats s SET agent_id = p_agent, stack_chips = p_buy_in, joined_at = now()
     WHERE s.table_id = v_table AND s.seat_no = v_seat;
    INSERT INTO table_commands (table_id, kind, agent_id, seat_no, requested_by)
    VALUES (v_table, 'seat', p_agent, v_seat, p_agent);
    -- A new table is claimed by the felt-wsd that asked (it loads it with
    -- its seats); an open one hears of its new player.
    IF NOT v_new THEN
        PERFORM pg_notify('felt_tables', v_table::text);
    END IF;
    RETURN QUERY SELECT 'ok'::text, v_table, v_seat, v_balance - v_amount;
END $$;
COMMENT ON FUNCTION cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint) IS 'felt-wsd lobby: seat an agent at a cash table (FIFO, opening one if none has room) and reserve its buy-in; result ok, already_seated or insufficient_funds.';

-- cash_seat_of: the open cash table and seat of an agent (none: no row).
CREATE FUNCTION cash_seat_of(p_agent uuid)
RETURNS TABLE (table_id uuid, seat_no integer, owner_instance text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
    SELECT s.table_id, s.seat_no, t.owner_instance
      FROM seats s JOIN tables t ON t.id = s.table_id
     WHERE s.agent_id = p_agent AND t.kind = 'cash' AND t.status <> 'ended'
     LIMIT 1;
$$;
COMMENT ON FUNCTION cash_seat_of(uuid) IS 'The open cash table an agent sits at, its seat and the felt-wsd instance running it.';

REVOKE ALL ON FUNCTION cash_return(uuid, uuid, bigint, text),
                       wsd_hand_commit(text, uuid, jsonb),
                       wsd_table_end(text, uuid, text, jsonb, bigint),
                       cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint),
                       cash_seat_of(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wsd_hand_commit(text, uuid, jsonb),
                          wsd_table_end(text, uuid, text, jsonb, bigint),
                          cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint),
                          cash_seat_of(uuid) TO felt_app;
