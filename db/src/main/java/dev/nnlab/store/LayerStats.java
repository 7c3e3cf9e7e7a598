package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Per-layer statistics over training (dead-ReLU fraction, weight and gradient norms...). */
public final class LayerStats {

    private final Database db;

    LayerStats(Database db) {
        this.db = db;
    }

    /** The most recent value of every (layer, stat) of a run, by layer then stat. */
    public List<LayerStat> latest(long runId) {
        return db.read("read the layer statistics of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.step, l.layer, l.stat, l.value FROM layer_stats l "
                    + "WHERE l.run_id = ? AND l.step = (SELECT MAX(m.step) FROM layer_stats m "
                    + "WHERE m.run_id = l.run_id AND m.layer = l.layer AND m.stat = l.stat) "
                    + "ORDER BY l.layer, l.stat")) {
                ps.setLong(1, runId);
                List<LayerStat> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LayerStat s = stat(runId, rs);
                        // Two values at the same last step: keep one, the later written.
                        if (!out.isEmpty() && out.getLast().layer().equals(s.layer()) && out.getLast().stat().equals(s.stat())) {
                            out.removeLast();
                        }
                        out.add(s);
                    }
                }
                return out;
            }
        });
    }

    /** One statistic of one layer, by step. */
    public List<LayerStat> series(long runId, String layer, String stat) {
        return db.read("read " + stat + " of " + layer + " in run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.step, l.layer, l.stat, l.value FROM layer_stats l "
                    + "WHERE l.run_id = ? AND l.layer = ? AND l.stat = ? ORDER BY l.step")) {
                ps.setLong(1, runId);
                ps.setString(2, layer);
                ps.setString(3, stat);
                List<LayerStat> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(stat(runId, rs));
                }
                return out;
            }
        });
    }

    /** Every statistic of every layer of a run, by stat, then layer, then step: the data of a layer chart. */
    public List<LayerStat> all(long runId) {
        return db.read("read the layer statistics of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT l.step, l.layer, l.stat, l.value FROM layer_stats l "
                    + "WHERE l.run_id = ? ORDER BY l.stat, l.layer, l.step")) {
                ps.setLong(1, runId);
                List<LayerStat> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(stat(runId, rs));
                }
                return out;
            }
        });
    }

    private static LayerStat stat(long runId, ResultSet rs) throws SQLException {
        return new LayerStat(runId, rs.getLong("step"), rs.getString("layer"), rs.getString("stat"),
                Rows.number(rs, "value"));
    }
}
