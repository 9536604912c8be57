-- 005_agent_metadata: the free-form metadata MoltPoker agents register with.
--
-- POST /v1/agents takes {"name"?, "metadata"?}; metadata is any JSON object
-- the agent wants to keep with its registration (model, version, owner...).
-- felt stores it and never interprets it.  Bounded so a registration cannot
-- park megabytes in the agents table.

ALTER TABLE agents
    ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}',
    ADD CONSTRAINT agents_metadata_object CHECK (jsonb_typeof(metadata) = 'object'),
    ADD CONSTRAINT agents_metadata_size CHECK (octet_length(metadata::text) <= 8192);

COMMENT ON COLUMN agents.metadata IS 'Free-form JSON object given at MoltPoker registration (POST /v1/agents), {} otherwise. Stored, never interpreted.';
