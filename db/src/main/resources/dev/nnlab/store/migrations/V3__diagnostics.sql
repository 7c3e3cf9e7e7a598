-- Per-layer statistics (dead-ReLU fraction, gradient norms...) and diagnostic events.

CREATE TABLE layer_stats (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step   BIGINT NOT NULL,
    layer  TEXT   NOT NULL,
    stat   TEXT   NOT NULL,
    value  DOUBLE PRECISION
);

CREATE INDEX layer_stats_series ON layer_stats (run_id, layer, stat, step);

CREATE TABLE events (
    id      ${identity},
    run_id  BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step    BIGINT,
    level   TEXT   NOT NULL CHECK (level IN ('INFO', 'WARNING', 'ERROR')),
    code    TEXT   NOT NULL,
    message TEXT   NOT NULL,
    hint    TEXT,
    wall_time BIGINT NOT NULL
);

CREATE INDEX events_run ON events (run_id, id);
