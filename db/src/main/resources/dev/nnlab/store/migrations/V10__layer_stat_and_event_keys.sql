-- A layer statistic is identified by (run, layer, stat, step) and an event by (run, code, step, wall
-- time, message), as a metric point is by (run, key, step) since V9: a batch written again (a writer
-- retrying after a lost acknowledgement) inserts nothing twice. Writers insert them with
-- ON CONFLICT DO NOTHING. An event about no step is stored at step -1 rather than NULL, because NULLs
-- never collide in a key (in either database). Stores written before this version keep one row of
-- each key.

CREATE TABLE layer_stats_keyed (
    run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    step   BIGINT NOT NULL,
    layer  TEXT   NOT NULL,
    stat   TEXT   NOT NULL,
    value  DOUBLE PRECISION,
    PRIMARY KEY (run_id, layer, stat, step)
)${points_table_options};

INSERT INTO layer_stats_keyed (run_id, step, layer, stat, value)
SELECT run_id, step, layer, stat, value FROM layer_stats WHERE 1 = 1
ON CONFLICT (run_id, layer, stat, step) DO NOTHING;

DROP TABLE layer_stats;

ALTER TABLE layer_stats_keyed RENAME TO layer_stats;

UPDATE events SET step = -1 WHERE step IS NULL;

DELETE FROM events WHERE id NOT IN (SELECT MIN(id) FROM events GROUP BY run_id, code, step, wall_time, message);

CREATE UNIQUE INDEX events_once ON events (run_id, code, step, wall_time, message);
