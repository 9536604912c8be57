-- 004_heartbeats: liveness of the long-running components.
--
-- felt-api, felt-wsd and felt-payd each upsert their row every few seconds
-- (heartbeat_touch); felt-api's GET /health reads them to tell whether the
-- game daemon and the payments worker are alive.

CREATE TABLE heartbeats (
    component     text NOT NULL,
    instance      text NOT NULL,
    pid           integer NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    stats         jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (component, instance),
    CONSTRAINT heartbeats_component_check CHECK (component IN ('api', 'wsd', 'payd')),
    CONSTRAINT heartbeats_stats_object CHECK (jsonb_typeof(stats) = 'object')
);

COMMENT ON TABLE heartbeats IS 'One row per running felt process instance, refreshed every few seconds. A row whose last_seen_at is old belongs to a process that died or hangs.';
COMMENT ON COLUMN heartbeats.component IS 'Which program: api (felt-api), wsd (felt-wsd), payd (felt-payd).';
COMMENT ON COLUMN heartbeats.instance IS 'Instance name within the component (host:port, or an operator-chosen name), stable across restarts.';
COMMENT ON COLUMN heartbeats.pid IS 'Process id of the instance when it last reported.';
COMMENT ON COLUMN heartbeats.started_at IS 'When the current process (pid) started reporting.';
COMMENT ON COLUMN heartbeats.last_seen_at IS 'Last heartbeat; compare with now() for liveness.';
COMMENT ON COLUMN heartbeats.stats IS 'Component figures at the last heartbeat (tables, connections, queue lengths...), a JSON object.';

-- heartbeat_touch: upsert the caller's row.  started_at restarts when the
-- pid changes, so "up since" is the current process, not the first one.
CREATE FUNCTION heartbeat_touch(p_component text, p_instance text, p_pid integer,
                                p_stats jsonb DEFAULT '{}')
RETURNS void LANGUAGE sql AS $$
    INSERT INTO heartbeats AS h (component, instance, pid, stats)
    VALUES (p_component, p_instance, p_pid, coalesce(p_stats, '{}'))
    ON CONFLICT (component, instance) DO UPDATE
       SET pid = EXCLUDED.pid,
           stats = EXCLUDED.stats,
           last_seen_at = now(),
           started_at = CASE WHEN h.pid = EXCLUDED.pid THEN h.started_at ELSE now() END;
$$;
COMMENT ON FUNCTION heartbeat_touch(text, text, integer, jsonb) IS 'Record a heartbeat for (component, instance); called periodically by each felt process.';

CREATE VIEW heartbeat_status AS
SELECT component, instance, pid, started_at, last_seen_at,
       round(extract(epoch FROM now() - last_seen_at)::numeric, 1) AS age_s,
       stats
  FROM heartbeats
 ORDER BY component, instance;
COMMENT ON VIEW heartbeat_status IS 'Heartbeats with their age in seconds, for a quick look with psql.';
COMMENT ON COLUMN heartbeat_status.component IS 'api, wsd or payd.';
COMMENT ON COLUMN heartbeat_status.instance IS 'Instance name within the component.';
COMMENT ON COLUMN heartbeat_status.pid IS 'Process id at the last heartbeat.';
COMMENT ON COLUMN heartbeat_status.started_at IS 'When the current process started reporting.';
COMMENT ON COLUMN heartbeat_status.last_seen_at IS 'Last heartbeat.';
COMMENT ON COLUMN heartbeat_status.age_s IS 'Seconds since the last heartbeat.';
COMMENT ON COLUMN heartbeat_status.stats IS 'Component figures at the last heartbeat.';
