-- Reading a curve for a chart touches every point of one (run, key). With only (run_id, key, step)
-- indexed, each point costs an index entry plus a table row lookup; carrying epoch, wall_time and
-- value in the index makes the read one sequential index range scan (SQLite: "COVERING INDEX";
-- PostgreSQL: an index-only scan). Measured by ./nnlab bench ui-api: the 20-run comparison
-- (100 curves x 5,000 points). It replaces the narrower index, which it serves as a prefix.

CREATE INDEX metric_points_curve ON metric_points (run_id, key, step, epoch, wall_time, value);

DROP INDEX metric_points_series;
