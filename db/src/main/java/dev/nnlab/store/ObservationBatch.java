package dev.nnlab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Observations gathered for one transaction: JDBC batch inserts for points, layer statistics and
 * events, and one summary upsert per (run, metric) of the batch rather than one per point.
 * A point is keyed by (run, key, step): one already stored (a batch sent again) is skipped, and
 * only the points actually inserted count in the summaries, so a retried batch changes nothing.
 * Reused from batch to batch; not thread-safe.
 */
final class ObservationBatch {

    /*
     * The summary upsert merges a batch's digest into the stored one. CASE rather than MAX/MIN/
     * GREATEST: SQLite's scalar MAX(a, b) is PostgreSQL's GREATEST, and CASE is both. A NULL
     * min/max (every value NaN so far) gives way to any number.
     */
    private static final String UPSERT_SUMMARY = """
            INSERT INTO metric_summaries (run_id, key, last_value, last_step, min_value, max_value, count)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (run_id, key) DO UPDATE SET
              last_value = CASE WHEN excluded.last_step >= metric_summaries.last_step
                                THEN excluded.last_value ELSE metric_summaries.last_value END,
              last_step  = CASE WHEN excluded.last_step >= metric_summaries.last_step
                                THEN excluded.last_step ELSE metric_summaries.last_step END,
              min_value  = CASE WHEN metric_summaries.min_value IS NULL OR excluded.min_value < metric_summaries.min_value
                                THEN excluded.min_value ELSE metric_summaries.min_value END,
              max_value  = CASE WHEN metric_summaries.max_value IS NULL OR excluded.max_value > metric_summaries.max_value
                                THEN excluded.max_value ELSE metric_summaries.max_value END,
              count      = metric_summaries.count + excluded.count""";

    private record SeriesKey(long runId, String key) {
    }

    /** The digest of one series within the batch. */
    private static final class Digest {
        long lastStep = Long.MIN_VALUE;
        double last = Double.NaN;
        double min = Double.NaN;
        double max = Double.NaN;
        long count;

        void add(long step, double v) {
            count++;
            if (step >= lastStep) {
                lastStep = step;
                last = v;
            }
            if (!Double.isNaN(v)) {
                if (Double.isNaN(min) || v < min) min = v;
                if (Double.isNaN(max) || v > max) max = v;
            }
        }
    }

    private final List<MetricPoint> points = new ArrayList<>();
    private final List<LayerStat> stats = new ArrayList<>();
    private final List<RunEvent> events = new ArrayList<>();
    private final Map<SeriesKey, Digest> digests = new LinkedHashMap<>();
    private final Set<Long> runs = new LinkedHashSet<>();
    private final List<Observation> items = new ArrayList<>();

    void add(Observation o) {
        items.add(o);
        runs.add(o.runId());
        switch (o) {
            case MetricPoint p -> points.add(p);
            case LayerStat s -> stats.add(s);
            case RunEvent e -> events.add(e);
        }
    }

    int size() {
        return items.size();
    }

    /** Everything added, in order. */
    List<Observation> items() {
        return items;
    }

    Set<Long> runIds() {
        return runs;
    }

    /** A batch of the same items, less those of {@code runIds}. */
    ObservationBatch without(Set<Long> runIds) {
        ObservationBatch out = new ObservationBatch();
        for (Observation o : items) if (!runIds.contains(o.runId())) out.add(o);
        return out;
    }

    void clear() {
        points.clear();
        stats.clear();
        events.clear();
        digests.clear();
        runs.clear();
        items.clear();
    }

    /** Writes everything on {@code c}; the caller owns the transaction. */
    void write(Connection c, Dialect dialect, long now) throws SQLException {
        if (!points.isEmpty()) {
            writePoints(c, dialect);
            if (!digests.isEmpty()) writeDigests(c);
        }
        if (!stats.isEmpty()) writeStats(c);
        if (!events.isEmpty()) writeEvents(c);
        // A run that reports is alive: this keeps its heartbeat fresh for crash recovery.
        try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET heartbeat = ? WHERE id = ? AND status = ?")) {
            for (long run : runs) {
                ps.setLong(1, now);
                ps.setLong(2, run);
                ps.setString(3, RunStatus.RUNNING.name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Inserts the points not stored yet and digests exactly those. */
    private void writePoints(Connection c, Dialect dialect) throws SQLException {
        digests.clear();
        boolean[] inserted = new boolean[points.size()];
        if (!dialect.insertPoints(c, points, inserted)) insertEach(c, inserted);
        for (int i = 0; i < inserted.length; i++) {
            if (inserted[i]) {
                MetricPoint p = points.get(i);
                digests.computeIfAbsent(new SeriesKey(p.runId(), p.key()), k -> new Digest()).add(p.step(), p.value());
            }
        }
    }

    /** The portable way: a JDBC batch, one keyed INSERT per point, whose counts say which were new. */
    private void insertEach(Connection c, boolean[] inserted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_points "
                + "(run_id, key, step, epoch, wall_time, value) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (run_id, key, step) DO NOTHING")) {
            for (MetricPoint p : points) {
                ps.setLong(1, p.runId());
                ps.setString(2, p.key());
                ps.setLong(3, p.step());
                ps.setDouble(4, p.epoch());
                ps.setLong(5, p.wallTime());
                Rows.setNumber(ps, 6, p.value());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                // 0: the key was stored already. SUCCESS_NO_INFO would hide that; both drivers
                // report counts for unrewritten batches, and a driver that did not is refused.
                if (counts[i] == Statement.SUCCESS_NO_INFO) {
                    throw new SQLException("the JDBC driver did not say which metric points it inserted");
                }
                inserted[i] = counts[i] > 0;
            }
        }
    }

    private void writeDigests(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_SUMMARY)) {
            for (Map.Entry<SeriesKey, Digest> e : digests.entrySet()) {
                Digest d = e.getValue();
                ps.setLong(1, e.getKey().runId());
                ps.setString(2, e.getKey().key());
                Rows.setNumber(ps, 3, d.last);
                ps.setLong(4, d.lastStep);
                Rows.setNumber(ps, 5, d.min);
                Rows.setNumber(ps, 6, d.max);
                ps.setLong(7, d.count);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeStats(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO layer_stats (run_id, step, layer, stat, value) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (run_id, layer, stat, step) DO NOTHING")) {
            for (LayerStat s : stats) {
                ps.setLong(1, s.runId());
                ps.setLong(2, s.step());
                ps.setString(3, s.layer());
                ps.setString(4, s.stat());
                Rows.setNumber(ps, 5, s.value());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** What identifies an event (V10): an event about no step is at step -1. */
    static final String EVENT_KEY = "run_id, code, step, wall_time, message";

    private void writeEvents(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO events "
                + "(run_id, step, level, code, message, hint, wall_time) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (" + EVENT_KEY + ") DO NOTHING")) {
            for (RunEvent e : events) {
                ps.setLong(1, e.runId());
                ps.setLong(2, Math.max(-1, e.step()));
                ps.setString(3, e.level().name());
                ps.setString(4, e.code());
                ps.setString(5, e.message());
                ps.setString(6, e.hint());
                ps.setLong(7, e.wallTime());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
