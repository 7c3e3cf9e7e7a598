package dev.nnlab.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which runs a process may still write for. A run that was put back in the queue ({@link Runs#requeue})
 * after its process seemed lost, and then started by another process, now names that other process
 * as its owner; the first process, if it was only cut off and still trains, must not mix its points,
 * heartbeat or final status into the new attempt. Ownership is the fencing token: the owner columns
 * change with every start, so a write that first checks them in the same transaction cannot land in
 * an attempt that is not its own.
 */
final class Fencing {
    private Fencing() {
    }

    /**
     * The ones of {@code runIds} that are RUNNING and owned by {@code owner}, read in {@code c}'s
     * transaction; on PostgreSQL the rows stay share-locked until it ends, so a requeue waits for it.
     */
    static Set<Long> stillOwned(Connection c, Dialect dialect, Owner owner, Collection<Long> runIds) throws SQLException {
        Set<Long> out = new HashSet<>();
        if (runIds.isEmpty()) return out;
        List<Object> args = new ArrayList<>();
        args.add(RunStatus.RUNNING.name());
        args.add(owner.host());
        args.add(owner.pid());
        args.add(owner.startMillis());
        args.addAll(runIds);
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE status = ? AND owner_host = ? "
                + "AND owner_pid = ? AND owner_start = ? AND id IN (" + Rows.parameterMarks(runIds.size()) + ")"
                + dialect.lockRowsForShare())) {
            Rows.setArgs(ps, 1, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
