-- 030_least_privilege: felt_app owns nothing, reads the ledger and moves
-- money only through functions (DESIGN §2; issue 7 item 1).  Finishes what
-- 007_roles started.
--
-- The rule for this and every later migration (HACKING.md, "Privileges"):
--   * The owner role (`feltctl migrate`, never a superuser) creates and owns
--     every object and GRANTs on it explicitly; nothing is granted to PUBLIC.
--   * Functions are not executable by PUBLIC (default privileges below):
--     each one a program calls is granted, GRANT EXECUTE ... TO felt_app.
--   * A function that writes what felt_app may not write itself is
--     SECURITY DEFINER SET search_path FROM CURRENT.  The migration runner
--     sets the path to "<schema>, pg_temp" while a migration runs, so FROM
--     CURRENT pins it with pg_temp last: a temporary table of the caller's
--     can never stand in for one of felt's.
--   * Never GRANT INSERT, UPDATE, DELETE or TRUNCATE on accounts,
--     ledger_txns, ledger_entries or the seal tables to felt_app: money
--     moves through ledger_post, which writes a whole balanced txn at once.
-- t/integration/privileges.test.js lists every privilege felt_app and
-- felt_read hold and fails on any that t/integration/privileges.allow does
-- not list, so a migration cannot widen them silently.

DO $$
BEGIN
    IF current_user IN ('felt_app', 'felt_read') THEN
        RAISE EXCEPTION 'migrations must run as felt''s owner role, not as %', current_user
              USING HINT = 'feltctl migrate connects with FELT_DB_OWNER (or --db)';
    END IF;
    -- Nobody but the owner creates objects in felt's schema, and nobody but
    -- the owner makes temporary tables in felt's database (a temporary table
    -- is the usual way to shadow a table or hide a trigger).
    EXECUTE format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC', current_schema());
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    -- Every function so far (trigger functions included: triggers fire
    -- whatever the caller's EXECUTE rights) ...
    EXECUTE format('REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA %I FROM PUBLIC', current_schema());
END $$;
-- ... and every function the owner creates from now on.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Opening an agent's accounts is part of registering (felt_app inserts into
-- agents), but felt_app may not insert accounts itself.
ALTER FUNCTION agents_open_accounts() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION ledger_agent_accounts(uuid) SECURITY DEFINER SET search_path FROM CURRENT;
-- Posting (sql/031 replaces the body and keeps these).
ALTER FUNCTION ledger_post(text, jsonb, bigint[], bigint[])
    SECURITY DEFINER SET search_path FROM CURRENT;
-- The commit-time balance checks fire at COMMIT, outside ledger_post, in
-- the caller's session: they too run as the owner, on the owner's path.
ALTER FUNCTION ledger_entries_check_balanced() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION ledger_txns_check_balanced() SECURITY DEFINER SET search_path FROM CURRENT;
ALTER FUNCTION ledger_assert_balanced(bigint) SET search_path FROM CURRENT;

-- 007 let felt_app rewrite any column of agents; the programs change only
-- these (PATCH /api/me, key rotation, feltctl platform-key).
REVOKE UPDATE ON agents FROM felt_app;
GRANT UPDATE (name, wallet_address, avatar_url, api_key_hash, api_key_prefix,
              key_rotated_at, metadata) ON agents TO felt_app;

-- Restated, so that this file alone shows the ledger's policy: read, and
-- post through the two functions.
REVOKE ALL ON accounts, ledger_txns, ledger_entries FROM felt_app;
GRANT SELECT ON accounts, ledger_txns, ledger_entries TO felt_app;
GRANT EXECUTE ON FUNCTION ledger_post(text, jsonb, bigint[], bigint[]),
                          ledger_agent_accounts(uuid),
                          heartbeat_touch(text, text, integer, jsonb) TO felt_app;
