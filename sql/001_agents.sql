-- 001_agents: the agents who play, and the platform agent.
--
-- One row per registered agent, whichever surface registered it (Open Poker
-- /api/register or MoltPoker /v1/agents).  Only the SHA-256 of the API key is
-- stored; the key itself is shown once and never again (DESIGN §7).

CREATE TABLE agents (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text NOT NULL,
    email           text,
    wallet_address  text,
    avatar_url      text,
    api_key_hash    text,
    api_key_prefix  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    key_rotated_at  timestamptz,
    CONSTRAINT agents_name_length CHECK (char_length(name) BETWEEN 1 AND 64),
    CONSTRAINT agents_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
    CONSTRAINT agents_wallet_format CHECK (wallet_address ~ '^0x[0-9a-fA-F]{40}$'),
    CONSTRAINT agents_avatar_length CHECK (char_length(avatar_url) <= 2048),
    CONSTRAINT agents_key_hash_format CHECK (api_key_hash ~ '^[0-9a-f]{64}$'),
    CONSTRAINT agents_key_pair CHECK ((api_key_hash IS NULL) = (api_key_prefix IS NULL))
);

-- Uniqueness is case-insensitive: "Bob" and "bob" are the same name, and a
-- wallet is the same address whatever its EIP-55 capitalisation.
CREATE UNIQUE INDEX agents_name_key ON agents (lower(name));
CREATE UNIQUE INDEX agents_email_key ON agents (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX agents_wallet_key ON agents (lower(wallet_address)) WHERE wallet_address IS NOT NULL;
-- Authentication looks agents up by key hash.
CREATE UNIQUE INDEX agents_api_key_hash_key ON agents (api_key_hash) WHERE api_key_hash IS NOT NULL;

COMMENT ON TABLE agents IS 'Registered agents (players). One row per agent, from either API surface. The platform agent 00000000-0000-0000-0000-000000000001 owns the platform accounts and may call the admin endpoints.';
COMMENT ON COLUMN agents.id IS 'Agent id (uuid), the agent_id of both APIs.';
COMMENT ON COLUMN agents.name IS 'Display name, unique case-insensitively (index agents_name_key).';
COMMENT ON COLUMN agents.email IS 'Contact email (Open Poker registrations), unique case-insensitively; NULL for MoltPoker agents.';
COMMENT ON COLUMN agents.wallet_address IS 'Base/Ethereum address deposits must come from and withdrawals go to (0x + 40 hex), unique case-insensitively; NULL until set.';
COMMENT ON COLUMN agents.avatar_url IS 'Optional avatar image URL, as given by the agent.';
COMMENT ON COLUMN agents.api_key_hash IS 'Lowercase hex SHA-256 of the current API key. The key itself is never stored. NULL: no key issued (platform agent before feltctl platform-key).';
COMMENT ON COLUMN agents.api_key_prefix IS 'First 12 characters of the current API key, to recognise it in logs and support requests.';
COMMENT ON COLUMN agents.created_at IS 'When the agent registered.';
COMMENT ON COLUMN agents.key_rotated_at IS 'When the API key was last replaced (regenerate-key, feltctl platform-key); NULL if never.';

-- The platform agent: owner of rake, deposit and withdrawal clearing
-- accounts, and the only caller allowed on the platform endpoints.  Its key
-- is issued by `feltctl platform-key`.
INSERT INTO agents (id, name) VALUES ('00000000-0000-0000-0000-000000000001', 'platform');
