-- 061_cash_lobby: the lobby fills tables that have players; an emptied cash
-- table is never reused (DESIGN §4 "tables close when empty").
--
-- felt-wsd ends a cash table as soon as nobody sits at it (wsd/table_life.c
-- table_close_if_empty, reason 'closed'), and seats the players of its FIFO
-- lobby queue one at a time (wsd/lobby.c).  cash_join, as in sql/060, with
-- one change: the table it picks.  It fills the open table that has players
-- and room, a table with a lone player first (that player cannot play until
-- someone joins: reference/openpoker.md §9's "dead table"), then the oldest;
-- it opens a new table when none has room.  A table with no player, or a
-- running one with a single player, is being closed and is never picked.
CREATE OR REPLACE FUNCTION cash_join(p_agent uuid, p_buy_in bigint, p_chip_ucents bigint,
                                     p_sb bigint, p_bb bigint, p_max_seats integer,
                                     p_min_buy_in bigint, p_max_buy_in bigint,
                                     p_timeout_ms integer, p_rake_bp integer, p_rake_cap bigint)
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

    SELECT t.id INTO v_table
      FROM tables t
      JOIN LATERAL (SELECT count(s.agent_id) AS players,
                           count(*) - count(s.agent_id) AS free
                      FROM seats s WHERE s.table_id = t.id) n ON true
     WHERE t.kind = 'cash' AND t.status IN ('waiting', 'running')
       AND t.chip_ucents = p_chip_ucents AND t.small_blind_chips = p_sb
       AND t.big_blind_chips = p_bb
       AND n.free > 0
       -- A waiting table has its first player; a running one with fewer than
       -- two is closing (felt-wsd ends a cash table left with one player).
       AND n.players >= CASE WHEN t.status = 'running' THEN 2 ELSE 1 END
     ORDER BY (n.players = 1) DESC, t.created_at, t.id
     LIMIT 1;
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
COMMENT ON FUNCTION cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint) IS 'felt-wsd lobby: seat an agent at a cash table (a lone player''s first, then the oldest with players and room; a new one if none) and reserve its buy-in; result ok, already_seated or insufficient_funds.';

REVOKE ALL ON FUNCTION cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION cash_join(uuid, bigint, bigint, bigint, bigint, integer, bigint, bigint, integer, integer, bigint) TO felt_app;
