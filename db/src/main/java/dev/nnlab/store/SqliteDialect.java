package dev.nnlab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * SQLite through sqlite-jdbc: the one place that knows the store runs on SQLite.
 *
 * <p>Every connection gets WAL (readers never block the writer, so the UI can read a run while it
 * trains), {@code synchronous=NORMAL} (in WAL mode a commit survives a process crash; only an OS
 * crash can lose the last transactions, and never corrupts the file), enforced foreign keys (off by
 * default in SQLite, and the cascades rely on them) and a busy timeout so two processes sharing the
 * file wait for each other instead of failing. Transactions begin {@code IMMEDIATE}: a deferred
 * transaction that reads and then writes can get {@code SQLITE_BUSY} at once, without waiting,
 * when another process committed in between.
 */
public final class SqliteDialect implements Dialect {

    private final Path file;
    private final Duration busyTimeout;

    public SqliteDialect(Path file) {
        this(file, Duration.ofSeconds(10));
    }

    public SqliteDialect(Path file, Duration busyTimeout) {
        this.file = file.toAbsolutePath();
        this.busyTimeout = busyTimeout;
    }

    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String describe() {
        return file.toString();
    }

    @Override
    public Connection connect() throws SQLException {
        createParentDirectories();
        Properties props = new Properties();
        props.setProperty("transaction_mode", "IMMEDIATE");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=NORMAL");
            s.execute("PRAGMA foreign_keys=ON");
            s.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    @Override
    public Map<String, String> ddlTypes() {
        // AUTOINCREMENT: ids of deleted runs are never handed out again, so a stale link or a
        // log line naming run 42 can never point at a different run.
        return Map.of(
                "identity", "INTEGER PRIMARY KEY AUTOINCREMENT",
                "bytes", "BLOB",
                // WITHOUT ROWID: the table is one B-tree in key order, so reading a curve is one
                // range scan of the table itself, with no second index to keep up to date.
                "points_key", "PRIMARY KEY (run_id, key, step)",
                "points_table_options", " WITHOUT ROWID");
    }

    /** AUTOINCREMENT keeps the greatest id ever handed out in {@code sqlite_sequence}. */
    @Override
    public long idHighWater(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM sqlite_sequence WHERE name = ?")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public void afterExplicitIds(Connection c, String table, long highWater) throws SQLException {
        // Inserting an explicit id already raised seq to it; a deleted source row's id may be higher.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sqlite_sequence (name, seq) SELECT ?, 0 "
                + "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?)");
             PreparedStatement up = c.prepareStatement("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?")) {
            ps.setString(1, table);
            ps.setString(2, table);
            ps.executeUpdate();
            up.setLong(1, highWater);
            up.setString(2, table);
            up.executeUpdate();
        }
    }

    /** {@code SQLITE_BUSY} (5) and {@code SQLITE_LOCKED} (6), also when they come as an extended code. */
    @Override
    public boolean isBusy(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                int primary = s.getErrorCode() & 0xff;
                if (primary == 5 || primary == 6) return true;
                String m = s.getMessage();
                if (m != null && (m.contains("SQLITE_BUSY") || m.contains("SQLITE_LOCKED"))) return true;
            }
        }
        return false;
    }

    /**
     * {@code nnlab-data/nnlab.db} keeps its artifact files in {@code nnlab-data/nnlab-artifacts/}:
     * named after the database file, so two stores in one folder never share (and never delete)
     * each other's files.
     */
    @Override
    public Path artifactDirectory() {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return file.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-artifacts");
    }

    private void createParentDirectories() {
        Path parent = file.getParent();
        if (parent == null) return;
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the run store " + file, e);
        }
    }
}
