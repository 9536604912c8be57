-- 066_hand_id: a hand's id is the hand_id its players saw on the wire.
--
-- felt-wsd names a hand on /ws (Open Poker frames' hand_id) before it is
-- committed, from its deck commitment (wsd/openpoker_state.c op_hand_id):
-- the first 16 bytes of the SHA-256 commitment, shaped as a version-4 UUID
-- (character 13 set to '4', character 17 to one of 8, 9, a, b).  The hands
-- row used to get a random id, so a hand_id from a frame could not be found
-- in GET /api/hands/{id}.phh or /api/me/hand-history.  Now a hands row
-- inserted without an id gets that same UUID.  Deck commitments of dealt
-- hands are unique (each hashes a fresh random 32-byte seed); a row whose
-- commitment is already some hand's id (only hand-made rows repeat a
-- commitment) gets a random id as before.  An id given explicitly is kept
-- (restores, tests), and rows written before this migration keep theirs.

CREATE FUNCTION hand_id_of(p_commitment text)
RETURNS uuid LANGUAGE sql IMMUTABLE STRICT SET search_path FROM CURRENT AS $$
    SELECT overlay(overlay(substr(p_commitment, 1, 32) PLACING '4' FROM 13)
                   PLACING substr('89ab', (('x' || substr(p_commitment, 17, 1))::bit(4)::integer & 3) + 1, 1)
                   FROM 17)::uuid;
$$;
COMMENT ON FUNCTION hand_id_of(text) IS 'The hand_id felt-wsd shows for a hand with this deck commitment (64 hex): its first 32 hex digits as a version-4 UUID.';

CREATE FUNCTION hands_default_id()
RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF NEW.id IS NULL THEN
        NEW.id := hand_id_of(NEW.deck_commitment);
        IF EXISTS (SELECT 1 FROM hands WHERE id = NEW.id) THEN
            NEW.id := gen_random_uuid();
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION hands_default_id() IS 'Trigger: a hand inserted without an id gets hand_id_of(its deck commitment), the hand_id of its frames.';

-- The id has no column default any more: the trigger is the default.
ALTER TABLE hands ALTER COLUMN id DROP DEFAULT;
COMMENT ON COLUMN hands.id IS 'Hand id (uuid), the hand_id of the protocols: hand_id_of(deck_commitment) unless given.';

CREATE TRIGGER hands_default_id BEFORE INSERT ON hands
    FOR EACH ROW EXECUTE FUNCTION hands_default_id();

-- Only the trigger uses them, as the role inserting the hand (felt, through
-- wsd_hand_commit).
REVOKE ALL ON FUNCTION hands_default_id(), hand_id_of(text) FROM PUBLIC;
