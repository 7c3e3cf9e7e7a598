-- A point is identified by (run, key, step): a metric batch sent again (a worker retrying after a
-- lost acknowledgement, a re-queued trial) inserts nothing twice. The writer inserts with
-- ON CONFLICT DO NOTHING and counts only what it inserted into the summaries.
-- Stores written before this version may hold two points at one step; the one recorded last (by
-- wall time) is kept, as the summary's last value already was, and the summaries are recomputed
-- from the points that remain.

CREATE TABLE metric_points_keyed (
    run_id    BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    key       TEXT   NOT NULL,
    step      BIGINT NOT NULL,
    epoch     DOUBLE PRECISION,
    wall_time BIGINT NOT NULL,
    value     DOUBLE PRECISION,
    ${points_key}
)${points_table_options};

INSERT INTO metric_points_keyed (run_id, key, step, epoch, wall_time, value)
SELECT run_id, key, step, epoch, wall_time, value FROM metric_points WHERE 1 = 1
ORDER BY run_id, key, step, wall_time DESC
ON CONFLICT (run_id, key, step) DO NOTHING;

DROP TABLE metric_points;

ALTER TABLE metric_points_keyed RENAME TO metric_points;

UPDATE metric_summaries SET
    count     = (SELECT COUNT(*) FROM metric_points p
                 WHERE p.run_id = metric_summaries.run_id AND p.key = metric_summaries.key),
    min_value = (SELECT MIN(p.value) FROM metric_points p
                 WHERE p.run_id = metric_summaries.run_id AND p.key = metric_summaries.key),
    max_value = (SELECT MAX(p.value) FROM metric_points p
                 WHERE p.run_id = metric_summaries.run_id AND p.key = metric_summaries.key);
