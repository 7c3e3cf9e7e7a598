-- Learning curves. A NULL value is a NaN (SQLite cannot store NaN): a diverged loss.

CREATE TABLE metric_points (
    run_id    BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key       TEXT   NOT NULL,
    step      BIGINT NOT NULL,
    epoch     DOUBLE PRECISION,
    wall_time BIGINT NOT NULL,
    value     DOUBLE PRECISION
);

CREATE INDEX metric_points_series ON metric_points (run_id, key, step);

-- Kept up to date in the same transaction as the points (like MLflow's latest_metrics), so run
-- lists, filters and sorts never scan raw points. last_* is the point with the greatest step.
CREATE TABLE metric_summaries (
    run_id     BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key        TEXT   NOT NULL,
    last_value DOUBLE PRECISION,
    last_step  BIGINT NOT NULL,
    min_value  DOUBLE PRECISION,
    max_value  DOUBLE PRECISION,
    count      BIGINT NOT NULL,
    PRIMARY KEY (run_id, key)
);
