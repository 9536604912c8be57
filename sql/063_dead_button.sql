-- 063_dead_button: where a cash table's button and blinds stand, read back
-- from its committed hands so that a felt-wsd that reloads the table (a
-- restart after kill -9, a takeover) moves the big blind on from where it
-- was (TDA dead button, DESIGN §3, lib/poker/button.h).
--
-- Nothing new is written: every cash hand's first event (hands.events->0,
-- lib/poker/handlog.h) already holds the button and the seats the runtime
-- placed the blinds on (sb_seat -1: a dead small blind), and hand_seats who
-- was dealt in.  felt-wsd needs of the last committed hand its positions
-- (struct button_pos):
--   button  the button's seat (hands.button_seat; maybe an empty seat);
--   sb      the small blind's seat: sb_seat, or when the small blind was
--           dead, the seat that had the big blind the hand before (the dead
--           small blind sits where the last big blind was);
--   bb      the big blind's seat;
-- and which seated players have been dealt in since they sat down (they play
-- every hand; the others wait for the big blind).

CREATE FUNCTION wsd_button_pos(p_table uuid)
RETURNS TABLE (button integer, sb integer, bb integer, playing text)
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    WITH last AS (
        SELECT h.hand_number, h.button_seat, h.events->0 AS s
          FROM hands h
         WHERE h.table_id = p_table
         ORDER BY h.hand_number DESC
         LIMIT 1)
    SELECT l.button_seat,
           CASE WHEN (l.s->>'sb_seat')::integer >= 0 THEN (l.s->>'sb_seat')::integer
                ELSE (SELECT (p.events->0->>'bb_seat')::integer FROM hands p
                       WHERE p.table_id = p_table AND p.hand_number = l.hand_number - 1)
           END,
           (l.s->>'bb_seat')::integer,
           (SELECT string_agg(st.agent_id::text, ',' ORDER BY st.seat_no)
              FROM seats st
             WHERE st.table_id = p_table AND st.agent_id IS NOT NULL
               AND EXISTS (SELECT 1 FROM hand_seats hs JOIN hands h ON h.id = hs.hand_id
                            WHERE hs.agent_id = st.agent_id AND hs.seat_no = st.seat_no
                              AND h.ended_at >= st.joined_at AND h.table_id = p_table))
      FROM last l;
$$;
COMMENT ON FUNCTION wsd_button_pos(uuid) IS 'Cash tables (TDA dead button): the button, small blind and big blind seats of the last committed hand (NULL when unknown: no hand yet, or hands dealt without placed blinds), and the seated agents (comma-separated ids) dealt in since they sat down; no row before the first hand.';

REVOKE ALL ON FUNCTION wsd_button_pos(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION wsd_button_pos(uuid) TO felt_app, felt_read;
