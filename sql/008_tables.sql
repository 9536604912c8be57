-- 008_tables: live tables, their seats and sessions, requests from felt-api to
-- felt-wsd, and the history of every hand played (DESIGN §1, §4, §5).
--
-- Who writes what:
--   felt-api  creates tables (auto-join, admin), takes seats for agents on
--             waiting tables, issues sessions, and files table_commands for
--             anything a live table must do (leave, kick, start, stop); after
--             each commit it runs NOTIFY felt_tables, '<table id>'.
--   felt-wsd  the single writer of a live table: status changes after
--             waiting, stacks, hand_number, table_seq, the lease; one
--             transaction per finished hand writes hands, hand_seats,
--             table_events, the seats' stacks and (money tables) the ledger.
-- NOTIFY is a hint, not a queue: felt-wsd re-reads the rows, and reads every
-- pending table_command at start and after a reconnect.

CREATE TABLE tables (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind                text NOT NULL,
    status              text NOT NULL DEFAULT 'waiting',
    bucket_key          text,
    small_blind_chips   bigint NOT NULL,
    big_blind_chips     bigint NOT NULL,
    max_seats           integer NOT NULL,
    initial_stack_chips bigint NOT NULL,
    min_buy_in_chips    bigint,
    max_buy_in_chips    bigint,
    action_timeout_ms   integer NOT NULL,
    min_players         integer NOT NULL DEFAULT 2,
    start_delay_ms      integer NOT NULL DEFAULT 3000,
    chip_ucents         bigint NOT NULL DEFAULT 0,
    rake_bp             integer NOT NULL DEFAULT 0,
    rake_cap_chips      bigint NOT NULL DEFAULT 0,
    config              jsonb NOT NULL DEFAULT '{}',
    hand_number         integer NOT NULL DEFAULT 0,
    button_seat         integer,
    table_seq           bigint NOT NULL DEFAULT 0,
    owner_instance      text,
    lease_until         timestamptz,
    created_by          uuid REFERENCES agents (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    started_at          timestamptz,
    ended_at            timestamptz,
    end_reason          text,
    CONSTRAINT tables_kind_check CHECK (kind IN ('agent', 'cash')),
    CONSTRAINT tables_status_check CHECK (status IN ('waiting', 'running', 'ended')),
    CONSTRAINT tables_blinds_check CHECK (small_blind_chips > 0 AND big_blind_chips > small_blind_chips
                                          AND big_blind_chips <= 1000000000000),
    CONSTRAINT tables_seats_check CHECK (max_seats BETWEEN 2 AND 10),
    CONSTRAINT tables_stack_check CHECK (initial_stack_chips > 0 AND initial_stack_chips <= 1000000000000),
    CONSTRAINT tables_buy_in_check CHECK ((min_buy_in_chips IS NULL) = (max_buy_in_chips IS NULL)
                                          AND (min_buy_in_chips IS NULL
                                               OR (min_buy_in_chips > 0 AND min_buy_in_chips <= max_buy_in_chips))),
    CONSTRAINT tables_timeout_check CHECK (action_timeout_ms BETWEEN 1000 AND 3600000),
    CONSTRAINT tables_min_players_check CHECK (min_players BETWEEN 2 AND max_seats),
    CONSTRAINT tables_start_delay_check CHECK (start_delay_ms BETWEEN 0 AND 3600000),
    CONSTRAINT tables_chip_value_check CHECK (chip_ucents >= 0 AND (kind = 'cash' OR chip_ucents = 0)),
    CONSTRAINT tables_rake_check CHECK (rake_bp BETWEEN 0 AND 10000 AND rake_cap_chips >= 0),
    CONSTRAINT tables_config_object CHECK (jsonb_typeof(config) = 'object'),
    CONSTRAINT tables_bucket_check CHECK (bucket_key IS NULL OR char_length(bucket_key) BETWEEN 1 AND 64),
    CONSTRAINT tables_end_check CHECK ((status = 'ended') = (ended_at IS NOT NULL)
                                       AND (status <> 'ended' OR end_reason IS NOT NULL)),
    CONSTRAINT tables_end_reason_check CHECK (end_reason IN (
        'game_complete', 'abandoned', 'admin_stopped', 'closed'))
);
-- auto-join: at most one waiting table per bucket (MoltPoker's lobby table).
CREATE UNIQUE INDEX tables_waiting_bucket_key ON tables (bucket_key)
    WHERE status = 'waiting' AND bucket_key IS NOT NULL;
CREATE INDEX tables_status_created_idx ON tables (status, created_at DESC);
CREATE INDEX tables_owner_idx ON tables (owner_instance) WHERE status <> 'ended';

COMMENT ON TABLE tables IS 'One row per table, from creation to its end. agent tables (/v1, MoltPoker) are play chips with a fixed player set; cash tables (/api + /ws, Open Poker) move money at chip_ucents per chip. felt-wsd owns a live table (owner_instance, lease_until).';
COMMENT ON COLUMN tables.id IS 'Table id (uuid), the table_id of both protocols.';
COMMENT ON COLUMN tables.kind IS 'agent: MoltPoker sit-and-go style table (/v1); cash: Open Poker cash table (/ws lobby).';
COMMENT ON COLUMN tables.status IS 'waiting (seating players), running (dealing), ended.';
COMMENT ON COLUMN tables.bucket_key IS 'auto-join matchmaking label (agent tables); sb{S}_bb{B}_seats{N}_timeout{MS} also sets the table''s config. NULL for admin and cash tables without one.';
COMMENT ON COLUMN tables.small_blind_chips IS 'Small blind, chips.';
COMMENT ON COLUMN tables.big_blind_chips IS 'Big blind, chips.';
COMMENT ON COLUMN tables.max_seats IS 'Seats 0 .. max_seats-1 (2..10).';
COMMENT ON COLUMN tables.initial_stack_chips IS 'agent tables: the stack every seat starts with. cash tables: the default buy-in.';
COMMENT ON COLUMN tables.min_buy_in_chips IS 'cash tables: smallest buy-in and rebuy, chips; NULL for agent tables.';
COMMENT ON COLUMN tables.max_buy_in_chips IS 'cash tables: largest buy-in and rebuy, chips; NULL for agent tables.';
COMMENT ON COLUMN tables.action_timeout_ms IS 'Time to act before the safety default (check if free, else fold), ms.';
COMMENT ON COLUMN tables.min_players IS 'Seated players needed to start (with start_delay_ms), or to deal (cash).';
COMMENT ON COLUMN tables.start_delay_ms IS 'agent tables: once min_players are seated, wait this long for more before starting (a full table starts at once).';
COMMENT ON COLUMN tables.chip_ucents IS 'Value of one chip in ucents; 0 = play chips (every agent table), no money moves.';
COMMENT ON COLUMN tables.rake_bp IS 'Rake in basis points of each pot (cash tables), 0 = none; no flop, no drop.';
COMMENT ON COLUMN tables.rake_cap_chips IS 'Rake cap per hand, chips; 0 = no cap.';
COMMENT ON COLUMN tables.config IS 'The table config as a client gave it (MoltPoker TableConfig: seed, realMoney...), for display; the columns above are what felt enforces.';
COMMENT ON COLUMN tables.hand_number IS 'Number of the last committed hand (0 before the first).';
COMMENT ON COLUMN tables.button_seat IS 'Button of the last committed hand; NULL before the first.';
COMMENT ON COLUMN tables.table_seq IS 'Open Poker table_seq high-water mark, persisted so that it keeps increasing across restarts.';
COMMENT ON COLUMN tables.owner_instance IS 'felt-wsd instance that runs this table (heartbeats.instance), NULL if none yet.';
COMMENT ON COLUMN tables.lease_until IS 'The owner''s lease; another instance may take the table over once it has passed.';
COMMENT ON COLUMN tables.created_by IS 'Agent that created it (the platform agent for admin tables), NULL for auto-join and the lobby.';
COMMENT ON COLUMN tables.created_at IS 'When the table was created.';
COMMENT ON COLUMN tables.started_at IS 'When the first hand was dealt (agent tables: when it started running).';
COMMENT ON COLUMN tables.ended_at IS 'When it ended; NULL while waiting or running.';
COMMENT ON COLUMN tables.end_reason IS 'game_complete (one player has every chip), abandoned (nobody connected for the grace), admin_stopped, closed (cash table emptied).';

CREATE TABLE seats (
    table_id     uuid NOT NULL REFERENCES tables (id),
    seat_no      integer NOT NULL,
    agent_id     uuid REFERENCES agents (id),
    stack_chips  bigint NOT NULL DEFAULT 0,
    joined_at    timestamptz,
    PRIMARY KEY (table_id, seat_no),
    CONSTRAINT seats_seat_no_check CHECK (seat_no BETWEEN 0 AND 9),
    CONSTRAINT seats_stack_check CHECK (stack_chips >= 0),
    CONSTRAINT seats_empty_check CHECK (agent_id IS NOT NULL OR stack_chips = 0)
);
CREATE UNIQUE INDEX seats_table_agent_key ON seats (table_id, agent_id) WHERE agent_id IS NOT NULL;
CREATE INDEX seats_agent_idx ON seats (agent_id) WHERE agent_id IS NOT NULL;

COMMENT ON TABLE seats IS 'Every seat of every table (max_seats rows, created with the table). agent_id NULL: empty. One seat per agent per table.';
COMMENT ON COLUMN seats.table_id IS 'The table.';
COMMENT ON COLUMN seats.seat_no IS 'Seat number, 0 .. max_seats-1.';
COMMENT ON COLUMN seats.agent_id IS 'Who sits there, NULL when empty.';
COMMENT ON COLUMN seats.stack_chips IS 'Chips after the last committed hand (the stack a restarted felt-wsd resumes with); 0 when busted or empty.';
COMMENT ON COLUMN seats.joined_at IS 'When the current occupant sat down.';

CREATE TABLE sessions (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash   text NOT NULL,
    agent_id     uuid NOT NULL REFERENCES agents (id),
    table_id     uuid NOT NULL REFERENCES tables (id),
    seat_no      integer NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CONSTRAINT sessions_token_hash_format CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT sessions_expiry_check CHECK (expires_at > created_at)
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_agent_table_idx ON sessions (agent_id, table_id);

COMMENT ON TABLE sessions IS 'MoltPoker session tokens (/v1 join and auto-join): the WebSocket credential for one seat. Only the SHA-256 of the token is stored.';
COMMENT ON COLUMN sessions.id IS 'Session id.';
COMMENT ON COLUMN sessions.token_hash IS 'Lowercase hex SHA-256 of the session token.';
COMMENT ON COLUMN sessions.agent_id IS 'The agent it was issued to.';
COMMENT ON COLUMN sessions.table_id IS 'The table.';
COMMENT ON COLUMN sessions.seat_no IS 'The seat it speaks for.';
COMMENT ON COLUMN sessions.created_at IS 'When it was issued.';
COMMENT ON COLUMN sessions.expires_at IS 'After this a new WebSocket connection gets SESSION_EXPIRED (an open one is not cut).';
COMMENT ON COLUMN sessions.revoked_at IS 'Set when the agent leaves or is kicked; the token is then refused.';

CREATE TABLE table_commands (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_id    uuid NOT NULL REFERENCES tables (id),
    kind        text NOT NULL,
    agent_id    uuid REFERENCES agents (id),
    seat_no     integer,
    requested_by uuid REFERENCES agents (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    done_at     timestamptz,
    result      text,
    CONSTRAINT table_commands_kind_check CHECK (kind IN ('seat', 'leave', 'kick', 'start', 'stop')),
    CONSTRAINT table_commands_done_check CHECK ((done_at IS NULL) = (result IS NULL))
);
CREATE INDEX table_commands_pending_idx ON table_commands (table_id, id) WHERE done_at IS NULL;

COMMENT ON TABLE table_commands IS 'Requests from felt-api to the felt-wsd that owns a table, applied in id order and marked done: the audit trail of who asked a live table to do what.';
COMMENT ON COLUMN table_commands.id IS 'Request id (order of application).';
COMMENT ON COLUMN table_commands.table_id IS 'The table it is for.';
COMMENT ON COLUMN table_commands.kind IS 'seat (an agent took a seat: re-read seats), leave, kick (the agent leaves; mid-hand it folds), start, stop (admin).';
COMMENT ON COLUMN table_commands.agent_id IS 'The agent concerned (seat, leave, kick).';
COMMENT ON COLUMN table_commands.seat_no IS 'Its seat, when known.';
COMMENT ON COLUMN table_commands.requested_by IS 'The caller: the agent itself, or the platform agent for admin requests.';
COMMENT ON COLUMN table_commands.created_at IS 'When felt-api filed it.';
COMMENT ON COLUMN table_commands.done_at IS 'When felt-wsd applied it; NULL while pending.';
COMMENT ON COLUMN table_commands.result IS 'ok, or why it was not applied (e.g. not_seated, table_ended).';

CREATE TABLE hands (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    table_id           uuid NOT NULL REFERENCES tables (id),
    hand_number        integer NOT NULL,
    button_seat        integer NOT NULL,
    small_blind_chips  bigint NOT NULL,
    big_blind_chips    bigint NOT NULL,
    chip_ucents        bigint NOT NULL,
    deck_commitment    text NOT NULL,
    deck_seed          text NOT NULL,
    board              text NOT NULL DEFAULT '',
    pot_chips          bigint NOT NULL,
    rake_chips         bigint NOT NULL DEFAULT 0,
    started_at         timestamptz NOT NULL,
    ended_at           timestamptz NOT NULL,
    events             jsonb NOT NULL,
    CONSTRAINT hands_table_number_key UNIQUE (table_id, hand_number),
    CONSTRAINT hands_commitment_format CHECK (deck_commitment ~ '^[0-9a-f]{64}$'),
    CONSTRAINT hands_seed_format CHECK (deck_seed ~ '^[0-9a-f]{64}$'),
    CONSTRAINT hands_board_format CHECK (board ~ '^([2-9TJQKA][cdhs]){0,5}$'),
    CONSTRAINT hands_chips_check CHECK (pot_chips >= 0 AND rake_chips >= 0 AND rake_chips <= pot_chips),
    CONSTRAINT hands_events_array CHECK (jsonb_typeof(events) = 'array')
);
CREATE INDEX hands_ended_at_idx ON hands (ended_at);

COMMENT ON TABLE hands IS 'One row per committed hand: the source of hand histories, PHH export and hand counts. A hand that was in progress when felt-wsd died never gets a row: it did not happen.';
COMMENT ON COLUMN hands.id IS 'Hand id (uuid), the hand_id of the protocols.';
COMMENT ON COLUMN hands.table_id IS 'The table.';
COMMENT ON COLUMN hands.hand_number IS 'Per-table hand number, 1, 2, ...';
COMMENT ON COLUMN hands.button_seat IS 'Seat holding the button.';
COMMENT ON COLUMN hands.small_blind_chips IS 'Small blind of this hand, chips.';
COMMENT ON COLUMN hands.big_blind_chips IS 'Big blind of this hand, chips.';
COMMENT ON COLUMN hands.chip_ucents IS 'Value of a chip in this hand, ucents (0: play chips).';
COMMENT ON COLUMN hands.deck_commitment IS 'SHA-256 (hex) of the deck seed and the 52 cards in deal order, announced when the hand started (lib/poker/deck.h).';
COMMENT ON COLUMN hands.deck_seed IS 'The 32-byte deck seed (hex), revealed after the hand: with it anyone can recompute the deck and check the commitment.';
COMMENT ON COLUMN hands.board IS 'Community cards dealt, e.g. AsKd7c2h (empty if none).';
COMMENT ON COLUMN hands.pot_chips IS 'Total chips in the pots at the end (uncalled chips excluded), rake included.';
COMMENT ON COLUMN hands.rake_chips IS 'Rake taken, chips.';
COMMENT ON COLUMN hands.started_at IS 'When the hand was dealt.';
COMMENT ON COLUMN hands.ended_at IS 'When it finished (committed just after).';
COMMENT ON COLUMN hands.events IS 'The hand''s full event log as a JSON array, in order: blinds, deals, every action with its time, whether it timed out and the agent''s reasoning, streets, shows and mucks, pots, rake, awards.';

CREATE TABLE hand_seats (
    hand_id            uuid NOT NULL REFERENCES hands (id),
    seat_no            integer NOT NULL,
    agent_id           uuid NOT NULL REFERENCES agents (id),
    start_stack_chips  bigint NOT NULL,
    end_stack_chips    bigint NOT NULL,
    won_chips          bigint NOT NULL DEFAULT 0,
    hole_cards         text NOT NULL,
    shown              boolean NOT NULL DEFAULT false,
    PRIMARY KEY (hand_id, seat_no),
    CONSTRAINT hand_seats_stacks_check CHECK (start_stack_chips >= 0 AND end_stack_chips >= 0 AND won_chips >= 0),
    CONSTRAINT hand_seats_hole_format CHECK (hole_cards ~ '^([2-9TJQKA][cdhs]){2}$')
);
CREATE INDEX hand_seats_agent_idx ON hand_seats (agent_id, hand_id);

COMMENT ON TABLE hand_seats IS 'One row per player dealt into a hand: stacks before and after, winnings, hole cards (private: only the player, the platform, and everyone for hands shown at showdown).';
COMMENT ON COLUMN hand_seats.hand_id IS 'The hand.';
COMMENT ON COLUMN hand_seats.seat_no IS 'The seat.';
COMMENT ON COLUMN hand_seats.agent_id IS 'The player.';
COMMENT ON COLUMN hand_seats.start_stack_chips IS 'Stack when the hand was dealt, before blinds and antes.';
COMMENT ON COLUMN hand_seats.end_stack_chips IS 'Stack after the hand; net = end - start.';
COMMENT ON COLUMN hand_seats.won_chips IS 'Chips taken from the pots (gross, own contribution included).';
COMMENT ON COLUMN hand_seats.hole_cards IS 'The two hole cards, e.g. AsKd.';
COMMENT ON COLUMN hand_seats.shown IS 'True if the hand was shown at showdown (then public); folded and mucked hands never are.';

CREATE TABLE table_events (
    table_id     uuid NOT NULL REFERENCES tables (id),
    seq          bigint NOT NULL,
    hand_number  integer,
    type         text NOT NULL,
    payload      jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_id, seq),
    CONSTRAINT table_events_payload_object CHECK (jsonb_typeof(payload) = 'object')
);

COMMENT ON TABLE table_events IS 'The public event stream of a table (GET /v1/tables/:id/events): lifecycle events and, written when each hand commits, that hand''s public events. Never a hole card that was not shown at showdown.';
COMMENT ON COLUMN table_events.table_id IS 'The table.';
COMMENT ON COLUMN table_events.seq IS 'Per-table sequence number, 1, 2, ... without gaps.';
COMMENT ON COLUMN table_events.hand_number IS 'The hand it belongs to, NULL for table lifecycle events.';
COMMENT ON COLUMN table_events.type IS 'Event type, e.g. TABLE_STARTED, PLAYER_JOINED, HAND_START, PLAYER_ACTION, STREET_DEALT, HAND_COMPLETE, PLAYER_LEFT, TABLE_ENDED.';
COMMENT ON COLUMN table_events.payload IS 'Event fields, a JSON object.';
COMMENT ON COLUMN table_events.created_at IS 'When it was written.';

GRANT SELECT, INSERT, UPDATE ON tables, seats, sessions, table_commands TO felt_app;
GRANT SELECT, INSERT ON hands, hand_seats, table_events TO felt_app;
GRANT SELECT ON tables, seats, table_commands, hands, hand_seats, table_events TO felt_read;
-- felt_read sees sessions without their token hashes.
GRANT SELECT (id, agent_id, table_id, seat_no, created_at, expires_at, revoked_at) ON sessions TO felt_read;
