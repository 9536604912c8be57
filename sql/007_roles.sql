-- 007_roles: who may do what in felt's database (DESIGN §2).
--
-- Three roles:
--   the owner (the role running the migrations, `felt` in the scripts) owns
--     every object; only `feltctl migrate` connects as it;
--   felt_app  what felt-api, felt-wsd and felt-payd connect as: owns nothing,
--     reads and writes rows through the grants below and later migrations;
--   felt_read read-only, for DBAs and reports.
-- Roles are cluster-wide and creating them needs a superuser, so they are made
-- before the first migration (script/lib.sh does it; the README shows how);
-- this migration only checks that they exist and grants.  Every later
-- migration that creates an object grants on it explicitly, so `\dp` in psql
-- shows the whole policy.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'felt_app')
       OR NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'felt_read') THEN
        RAISE EXCEPTION 'roles felt_app and felt_read do not exist'
              USING HINT = 'as a superuser: CREATE ROLE felt_app LOGIN; CREATE ROLE felt_read LOGIN;';
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO felt_app, felt_read', current_schema());
END $$;

-- What the programs do today.
GRANT SELECT, INSERT, UPDATE ON agents TO felt_app;
GRANT SELECT ON accounts, ledger_txns, ledger_entries TO felt_app;
GRANT SELECT, INSERT, UPDATE ON heartbeats TO felt_app;
GRANT SELECT ON agent_balances, platform_accounts, accounting_invariant, heartbeat_status,
                schema_migrations TO felt_app;
GRANT EXECUTE ON FUNCTION ledger_post(text, jsonb, bigint[], bigint[]),
                          ledger_agent_accounts(uuid),
                          heartbeat_touch(text, text, integer, jsonb) TO felt_app;

-- DBAs and reports read everything.
GRANT SELECT ON agents, accounts, ledger_txns, ledger_entries, heartbeats,
                agent_balances, platform_accounts, accounting_invariant, heartbeat_status,
                schema_migrations TO felt_read;
