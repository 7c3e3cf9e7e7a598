package dev.nnlab.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Brings a database to the newest schema by applying {@code migrations/V<n>__<what>.sql} in order,
 * each in its own transaction together with its row in {@code schema_version}. A migration is
 * never edited once released; a change of schema is a new file appended to {@link #MIGRATIONS}.
 */
final class SchemaMigrator {

    /** In order; the number in each name is its version. */
    static final List<String> MIGRATIONS = List.of(
            "V1__runs.sql",
            "V2__metrics.sql",
            "V3__diagnostics.sql",
            "V4__annotations.sql",
            "V5__curve_index.sql",
            "V6__artifact_files.sql",
            "V7__stop_requests.sql",
            "V8__lesson_verdicts.sql",
            "V9__metric_point_key.sql",
            "V10__layer_stat_and_event_keys.sql");

    private static final Pattern NAME = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final Pattern TYPE_VARIABLE = Pattern.compile("\\$\\{(\\w+)}");

    private SchemaMigrator() {
    }

    /** Applies the missing migrations; returns how many were applied. */
    static int migrate(Connection c, Dialect dialect) throws SQLException {
        return migrate(c, dialect, MIGRATIONS.size());
    }

    /** Applies the missing migrations up to version {@code upTo} (tests build stores of earlier releases). */
    static int migrate(Connection c, Dialect dialect, int upTo) throws SQLException {
        int known = MIGRATIONS.size();
        int found = Database.inTransaction(c, tx -> {
            dialect.serialiseWrite(tx);
            createVersionTable(tx);
            return currentVersion(tx);
        });
        if (found > known) {
            throw new IllegalStateException("the run store has schema version " + found
                    + " but this nnlab knows versions up to " + known + ": use a newer nnlab");
        }
        int applied = 0;
        for (String file : MIGRATIONS) {
            Matcher m = NAME.matcher(file);
            if (!m.matches()) throw new IllegalStateException("bad migration name " + file);
            int version = Integer.parseInt(m.group(1));
            if (version > upTo) break;
            String description = m.group(2);
            String sql = substitute(load(file), dialect.ddlTypes(), file);
            // The check runs inside the (IMMEDIATE, or on PostgreSQL advisory-locked) transaction,
            // so two processes opening a new database at once cannot both apply the same migration.
            boolean done = Database.inTransaction(c, tx -> {
                dialect.serialiseWrite(tx);
                createVersionTable(tx);
                if (currentVersion(tx) >= version) return false;
                try (Statement s = tx.createStatement()) {
                    for (String statement : statements(sql)) s.execute(statement);
                }
                try (PreparedStatement ps = tx.prepareStatement(
                        "INSERT INTO schema_version (version, description, applied) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, description);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                return true;
            });
            if (done) applied++;
        }
        return applied;
    }

    /** The newest applied version, 0 for an empty database. */
    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void createVersionTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + "version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied BIGINT NOT NULL)");
        }
    }

    static String substitute(String sql, Map<String, String> values, String file) {
        Matcher m = TYPE_VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) throw new IllegalStateException(file + ": unknown type variable " + m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Splits a migration into statements: drops {@code --} comments, splits on {@code ;}. */
    static List<String> statements(String sql) {
        StringBuilder code = new StringBuilder();
        for (String line : sql.split("\n")) {
            int comment = line.indexOf("--");
            code.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> out = new ArrayList<>();
        for (String part : code.toString().split(";")) {
            if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    private static String load(String file) {
        String path = "migrations/" + file;
        try (InputStream in = SchemaMigrator.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException("missing migration resource " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + path, e);
        }
    }
}
