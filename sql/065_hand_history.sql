-- 065_hand_history: an agent's hands, newest first, read from an index
-- (GET /api/me/hand-history).
--
-- hand_seats is the agent's side of a hand, but its only index for an agent
-- is (agent_id, hand_id), and hand ids are random: a page of the newest hands
-- would have to read every hand the agent ever played and sort them.  Each
-- row now carries its hand's ended_at, copied by a trigger when the row is
-- written (whoever writes it: felt-wsd's wsd_hand_commit, a test, a restore),
-- so (agent_id, ended_at DESC, hand_id DESC) gives any page with an index
-- scan of offset + limit entries.

ALTER TABLE hand_seats ADD COLUMN ended_at timestamptz;
UPDATE hand_seats hs SET ended_at = h.ended_at FROM hands h WHERE h.id = hs.hand_id;
ALTER TABLE hand_seats ALTER COLUMN ended_at SET NOT NULL;

COMMENT ON COLUMN hand_seats.ended_at IS 'When the hand ended: a copy of hands.ended_at, set by trigger on insert, so that an agent''s hands are listed newest first from an index.';

-- Always the hand's own time, whatever the writer put there: the copy
-- cannot disagree with hands.ended_at.
CREATE FUNCTION hand_seats_copy_ended_at()
RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    SELECT h.ended_at INTO NEW.ended_at FROM hands h WHERE h.id = NEW.hand_id;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION hand_seats_copy_ended_at() IS 'Trigger: a new hand_seats row gets its hand''s ended_at.';
REVOKE ALL ON FUNCTION hand_seats_copy_ended_at() FROM PUBLIC;

CREATE TRIGGER hand_seats_copy_ended_at
    BEFORE INSERT OR UPDATE OF hand_id, ended_at ON hand_seats
    FOR EACH ROW EXECUTE FUNCTION hand_seats_copy_ended_at();

CREATE INDEX hand_seats_agent_recent_idx ON hand_seats (agent_id, ended_at DESC, hand_id DESC);
