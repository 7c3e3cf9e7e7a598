package dev.nnlab.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The databases the store suite runs against: every {@code @ParameterizedClass} store test runs
 * once on each, so the two dialects keep the same behaviour.
 */
public enum Backend {
    SQLITE,
    POSTGRESQL;

    /** A new, empty store; the same location opens the same store again. {@code dir} is the test's temp folder. */
    public StoreLocation newLocation(Path dir) {
        return switch (this) {
            case SQLITE -> StoreLocation.sqlite(dir.resolve("nnlab.db"));
            case POSTGRESQL -> TestPostgres.shared().newLocation(dir.resolve("nnlab-artifacts"));
        };
    }

    /** The first column of every row of {@code sql}, read on a plain connection of the store's database. */
    public static List<Long> queryLongs(StoreLocation location, String sql) throws SQLException {
        try (Connection c = location.dialect().connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Long> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getLong(1));
            return out;
        }
    }

    /** Runs one statement on a plain connection of the store's database. */
    public static void execute(StoreLocation location, String sql) throws SQLException {
        try (Connection c = location.dialect().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
