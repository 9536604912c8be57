-- 050_agent_name_key: agent names are unique by what they look like.
--
-- agents_name_key (001) makes names unique case-insensitively, which still let
-- 'ｂｏｂ' (fullwidth), 'bоb' (Cyrillic о) or 'b0b' pass for 'bob' on every
-- page and in every log.  name_key holds the name's confusable key
-- (lib/core/name.h: the UTS #39 skeleton of its NFKC form, case-folded, white
-- space collapsed), written by felt-api whenever an agent registers or renames
-- itself; the unique index makes the rule race-free (of two lookalike names
-- registered at once, one gets a unique violation and is answered accordingly).
--
-- The key needs ICU, which SQL does not have: rows from before this migration
-- get theirs from `feltctl migrate`, right after it applies the migrations.  A
-- NULL key (not yet computed) is never compared by the index.

ALTER TABLE agents ADD COLUMN name_key text;

CREATE UNIQUE INDEX agents_name_skeleton_key ON agents (name_key);

COMMENT ON COLUMN agents.name_key IS 'Confusable key of name (UTS #39 skeleton of NFKC(name), case-folded; lib/core/name.h), unique (index agents_name_skeleton_key): no two agents have names that look alike. Written by felt-api; filled in for older rows by feltctl migrate.';

-- Explicit, column by column: whatever the table-level grants on agents are,
-- the programs write the key with the name and DBAs can read it.
GRANT SELECT (name_key), INSERT (name_key), UPDATE (name_key) ON agents TO felt_app;
GRANT SELECT (name_key) ON agents TO felt_read;
