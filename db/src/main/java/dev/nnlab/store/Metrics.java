package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Learning curves and their summaries. Training loops write through {@link MetricWriter}. */
public final class Metrics {

    private final Database db;
    private final Clock clock;

    Metrics(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Writes observations synchronously in one transaction (tests, imports; a training loop uses MetricWriter). */
    public void append(List<? extends Observation> observations) {
        ObservationBatch batch = new ObservationBatch();
        observations.forEach(batch::add);
        db.write("append " + observations.size() + " observations", c -> {
            batch.write(c, db.dialect(), clock.millis());
            return null;
        });
    }

    /** One curve, by step. */
    public List<MetricPoint> series(long runId, String key) {
        return db.read("read metric " + key + " of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT step, epoch, wall_time, value FROM metric_points "
                    + "WHERE run_id = ? AND key = ? ORDER BY step")) {
                ps.setLong(1, runId);
                ps.setString(2, key);
                List<MetricPoint> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new MetricPoint(runId, key, rs.getLong(1), rs.getDouble(2), rs.getLong(3),
                                Rows.number(rs, "value")));
                    }
                }
                return out;
            }
        });
    }

    /**
     * One curve in columns, by step: the fast path for charts and exports. {@code expected} (the
     * summary's count, or 0) sizes the arrays up front.
     */
    public MetricSeries columns(long runId, String key, int expected) {
        return db.read("read metric " + key + " of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT step, epoch, wall_time, value FROM metric_points "
                    + "WHERE run_id = ? AND key = ? ORDER BY step")) {
                ps.setLong(1, runId);
                ps.setString(2, key);
                MetricSeries.Builder out = new MetricSeries.Builder(runId, key, expected);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getDouble(4);
                        // wasNull right after the value column: it answers for the last column read.
                        if (rs.wasNull()) v = Double.NaN;
                        out.add(rs.getLong(1), rs.getDouble(2), rs.getLong(3), v);
                    }
                }
                return out.build();
            }
        });
    }

    /**
     * The points of one curve with a step greater than {@code afterStep}, by step: what a live view
     * has not seen yet.
     */
    public List<MetricPoint> pointsAfter(long runId, String key, long afterStep) {
        return db.read("read new points of " + key + " in run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT step, epoch, wall_time, value FROM metric_points "
                    + "WHERE run_id = ? AND key = ? AND step > ? ORDER BY step")) {
                ps.setLong(1, runId);
                ps.setString(2, key);
                ps.setLong(3, afterStep);
                List<MetricPoint> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        double v = rs.getDouble(4);
                        if (rs.wasNull()) v = Double.NaN;
                        out.add(new MetricPoint(runId, key, rs.getLong(1), rs.getDouble(2), rs.getLong(3), v));
                    }
                }
                return out;
            }
        });
    }

    /** The summary of every metric of a run, by key. */
    public List<MetricSummary> summaries(long runId) {
        return summaries(List.of(runId)).getOrDefault(runId, List.of());
    }

    /** The summaries of several runs at once (a page of a run list), by run then key. */
    public Map<Long, List<MetricSummary>> summaries(Collection<Long> runIds) {
        Map<Long, List<MetricSummary>> out = new LinkedHashMap<>();
        if (runIds.isEmpty()) return out;
        return db.read("read metric summaries", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, key, last_value, last_step, min_value, "
                    + "max_value, count FROM metric_summaries WHERE run_id IN (" + Rows.parameterMarks(runIds.size())
                    + ") ORDER BY run_id, key")) {
                Rows.setArgs(ps, 1, List.copyOf(runIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        MetricSummary s = summary(rs);
                        out.computeIfAbsent(s.runId(), k -> new ArrayList<>()).add(s);
                    }
                }
                return out;
            }
        });
    }

    private static MetricSummary summary(ResultSet rs) throws SQLException {
        return new MetricSummary(rs.getLong("run_id"), rs.getString("key"), Rows.number(rs, "last_value"),
                rs.getLong("last_step"), Rows.number(rs, "min_value"), Rows.number(rs, "max_value"),
                rs.getLong("count"));
    }
}
