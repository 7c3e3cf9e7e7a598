package dev.nnlab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds runs left QUEUED or RUNNING by a process that is gone, and marks them INTERRUPTED.
 * On this host the owner's pid (and start time) answers; a run of another host counts as gone
 * when its last sign of life (heartbeat, else start, else creation) is older than the limit.
 * A run whose owner is alive is never touched: a CLI batch and the server may share the file.
 */
final class CrashRecovery {

    private CrashRecovery() {
    }

    static List<Long> recover(Connection c, Owner self, Duration staleAfter, long now) throws SQLException {
        List<Long> gone = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, owner_host, owner_pid, owner_start, heartbeat, started, created "
                        + "FROM runs WHERE status IN (?, ?)")) {
            ps.setString(1, RunStatus.QUEUED.name());
            ps.setString(2, RunStatus.RUNNING.name());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Owner owner = new Owner(rs.getString(2), rs.getLong(3), rs.getLong(4));
                    long lastSign = firstPresent(rs, 5, 6, 7);
                    String reason = deathOf(owner, lastSign, self, staleAfter, now);
                    if (reason != null) {
                        gone.add(rs.getLong(1));
                        reasons.add(reason);
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE runs SET status = ?, ended = ?, error = ? WHERE id = ? AND status IN (?, ?)")) {
            for (int i = 0; i < gone.size(); i++) {
                ps.setString(1, RunStatus.INTERRUPTED.name());
                ps.setLong(2, now);
                ps.setString(3, reasons.get(i));
                ps.setLong(4, gone.get(i));
                ps.setString(5, RunStatus.QUEUED.name());
                ps.setString(6, RunStatus.RUNNING.name());
                ps.addBatch();
            }
            if (!gone.isEmpty()) ps.executeBatch();
        }
        return List.copyOf(gone);
    }

    /**
     * Why the owner is considered gone, or null if it may still be alive. On this host the process
     * table answers; when it cannot (a start time is unknown, so a running pid may be a later
     * process), the heartbeat decides, as for a run of another host.
     */
    static String deathOf(Owner owner, long lastSign, Owner self, Duration staleAfter, long now) {
        if (owner.host() != null && owner.host().equals(self.host())) {
            if (owner.pid() == self.pid() && Owner.sameProcess(owner.startMillis(), self.startMillis())) return null;
            switch (owner.liveness()) {
                case ALIVE -> {
                    return null;
                }
                case GONE -> {
                    return "its process " + owner.pid() + " on " + owner.host() + " ended while the run was unfinished";
                }
                case UNKNOWN -> {
                    if (now - lastSign <= staleAfter.toMillis()) return null;
                    return "no heartbeat from process " + owner.pid() + " (whose start time is unknown) for more than "
                            + staleAfter.toSeconds() + " s";
                }
            }
        }
        if (now - lastSign <= staleAfter.toMillis()) return null;
        return "no heartbeat from " + (owner.host() == null ? "its owner" : owner.host())
                + " for more than " + staleAfter.toSeconds() + " s";
    }

    private static long firstPresent(ResultSet rs, int... columns) throws SQLException {
        for (int column : columns) {
            long v = rs.getLong(column);
            if (!rs.wasNull()) return v;
        }
        return 0;
    }
}
