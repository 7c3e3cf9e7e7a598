package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

/** Diagnostics of runs, in the order they were recorded. */
public final class Events {

    private final Database db;

    Events(Database db) {
        this.db = db;
    }

    public List<RunEvent> list(long runId) {
        return db.read("read the events of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT step, level, code, message, hint, wall_time "
                    + "FROM events WHERE run_id = ? ORDER BY id")) {
                ps.setLong(1, runId);
                List<RunEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long step = rs.getLong("step");
                        if (rs.wasNull()) step = -1;
                        out.add(new RunEvent(runId, step, RunEvent.Level.valueOf(rs.getString("level")),
                                rs.getString("code"), rs.getString("message"), rs.getString("hint"),
                                rs.getLong("wall_time")));
                    }
                }
                return out;
            }
        });
    }
}
