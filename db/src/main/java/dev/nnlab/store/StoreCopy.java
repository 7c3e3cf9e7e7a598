package dev.nnlab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies one store into another ({@code ./nnlab db migrate --from sqlite:PATH --to postgresql://...}):
 * every experiment, run, parameter, learning-curve point and summary, layer statistic, event, tag,
 * note, lesson verdict and artifact (row and file), keeping their ids so links and logs that name
 * run 42 still do.
 *
 * <p>Running it again copies only what is missing: rows are keyed (experiments, runs, events, notes
 * and verdicts by id; parameters and tags by run and key; points by run, key and step; artifacts by
 * run and name; layer statistics by run, layer, statistic and step). A target that holds a <em>different</em>
 * experiment or run under a copied id is refused before anything is written: the copy never merges
 * two stores' ids.
 */
public final class StoreCopy {

    /** How many rows of one table the source held and how many of them the target lacked. */
    public record Count(String table, long read, long inserted) {
        public long alreadyThere() {
            return read - inserted;
        }
    }

    /** Per table, in copy order; and the artifact files copied. */
    public record Report(List<Count> tables, long filesCopied, long filesPresent) {
        public Count table(String name) {
            return tables.stream().filter(c -> c.table.equals(name)).findFirst().orElseThrow();
        }
    }

    private static final int CHUNK = 5000;

    /** Tables in dependency order, each with what identifies a row. */
    private static final Map<String, String> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("experiments", "id");
        TABLES.put("runs", "id");
        TABLES.put("params", "run_id, key");
        TABLES.put("tags", "run_id, key");
        TABLES.put("notes", "id");
        TABLES.put("events", "id");
        TABLES.put("metric_points", "run_id, key, step");
        TABLES.put("metric_summaries", "run_id, key");
        TABLES.put("layer_stats", "run_id, layer, stat, step");
        TABLES.put("artifacts", "run_id, name");
        TABLES.put("lesson_verdicts", "id");
    }

    private StoreCopy() {
    }

    /**
     * Copies {@code from} into {@code to}, migrating both to the current schema first.
     *
     * @param progress told one line per table as it is done
     * @throws IllegalStateException when the target holds different rows under the source's ids
     */
    public static Report copy(StoreLocation from, StoreLocation to, Consumer<String> progress) {
        if (from.describe().equals(to.describe())) {
            throw new IllegalArgumentException("the source and the target are the same store: " + from.describe());
        }
        // Opening migrates each to the current schema, so both have the same tables and columns.
        Store.Options options = Store.Options.defaults();
        from.open(options).close();
        to.open(options).close();
        try (Connection src = from.dialect().connect(); Connection dst = to.dialect().connect()) {
            checkIdentities(src, dst, "experiments", "name");
            checkIdentities(src, dst, "runs", "experiment_id, name, created");
            List<Count> counts = new ArrayList<>();
            for (Map.Entry<String, String> t : TABLES.entrySet()) {
                Count c = copyTable(src, from.dialect(), dst, to.dialect(), t.getKey(), t.getValue());
                counts.add(c);
                progress.accept(String.format("%-17s %,12d rows, %,12d copied, %,12d already there",
                        c.table(), c.read(), c.inserted(), c.alreadyThere()));
            }
            long[] files = copyArtifactFiles(src, from.artifactDirectory(), to.artifactDirectory());
            progress.accept(String.format("%-17s %,12d files, %,12d copied, %,12d already there",
                    "artifact files", files[0] + files[1], files[0], files[1]));
            return new Report(List.copyOf(counts), files[0], files[1]);
        } catch (SQLException e) {
            throw new StoreException("cannot copy " + from.describe() + " to " + to.describe(), e);
        }
    }

    /**
     * Refuses a target holding another row under one of the source's ids (a store that was not
     * copied from this source), naming the first clash.
     */
    private static void checkIdentities(Connection src, Connection dst, String table, String identity) throws SQLException {
        Map<Long, List<Object>> target = identities(dst, table, identity);
        if (target.isEmpty()) return;
        Map<Long, List<Object>> source = identities(src, table, identity);
        for (Map.Entry<Long, List<Object>> e : source.entrySet()) {
            List<Object> there = target.get(e.getKey());
            if (there != null && !there.equals(e.getValue())) {
                throw new IllegalStateException("the target already holds a different " + table.substring(0, table.length() - 1)
                        + " with id " + e.getKey() + " (" + there + " there, " + e.getValue() + " here): "
                        + "copy into an empty store, or into one copied from this source before");
            }
        }
        if (table.equals("experiments")) {
            Map<Object, Long> byName = new HashMap<>();
            target.forEach((id, cols) -> byName.put(cols.getFirst(), id));
            for (Map.Entry<Long, List<Object>> e : source.entrySet()) {
                Long other = byName.get(e.getValue().getFirst());
                if (other != null && other.longValue() != e.getKey()) {
                    throw new IllegalStateException("the target already holds experiment " + e.getValue().getFirst()
                            + " under id " + other + " (id " + e.getKey() + " here): copy into an empty store");
                }
            }
        }
    }

    private static Map<Long, List<Object>> identities(Connection c, String table, String columns) throws SQLException {
        Map<Long, List<Object>> out = new HashMap<>();
        int n = columns.split(",").length;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, " + columns + " FROM " + table)) {
            while (rs.next()) {
                List<Object> values = new ArrayList<>(n);
                // As text: the two drivers give numbers as different boxed types.
                for (int i = 0; i < n; i++) values.add(Objects.toString(rs.getObject(2 + i), null));
                out.put(rs.getLong(1), values);
            }
        }
        return out;
    }

    private static Count copyTable(Connection src, Dialect source, Connection dst, Dialect target, String table, String key)
            throws SQLException {
        long read = 0;
        long inserted = 0;
        dst.setAutoCommit(false);
        try (Statement s = src.createStatement()) {
            s.setFetchSize(CHUNK);
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + key)) {
                ResultSetMetaData meta = rs.getMetaData();
                int n = meta.getColumnCount();
                List<String> columns = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) columns.add(meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                        + Rows.parameterMarks(n) + ") ON CONFLICT (" + key + ") DO " + onConflict(table, columns, key);
                try (PreparedStatement ps = dst.prepareStatement(sql)) {
                    int pending = 0;
                    while (rs.next()) {
                        bindRow(rs, ps, n);
                        ps.addBatch();
                        read++;
                        if (++pending == CHUNK) {
                            inserted += commit(ps, dst);
                            pending = 0;
                        }
                    }
                    if (pending > 0) inserted += commit(ps, dst);
                }
            }
            if (key.equals("id")) target.afterExplicitIds(dst, table, source.idHighWater(src, table));
            dst.commit();
        } catch (SQLException | RuntimeException e) {
            dst.rollback();
            throw e;
        } finally {
            dst.setAutoCommit(true);
        }
        return new Count(table, read, inserted);
    }

    /**
     * A summary is replaced by the source's when the source's curve holds more points (a copy cut
     * short, or a run that went on after the last copy); every other row stays as it is.
     */
    private static String onConflict(String table, List<String> columns, String key) {
        if (!table.equals("metric_summaries")) return "NOTHING";
        Set<String> keys = new HashSet<>(List.of(key.split(",\\s*")));
        List<String> sets = new ArrayList<>();
        for (String c : columns) if (!keys.contains(c)) sets.add(c + " = excluded." + c);
        return "UPDATE SET " + String.join(", ", sets) + " WHERE metric_summaries.count < excluded.count";
    }

    private static long commit(PreparedStatement ps, Connection dst) throws SQLException {
        long inserted = 0;
        for (int r : ps.executeBatch()) {
            if (r == Statement.SUCCESS_NO_INFO) throw new SQLException("the JDBC driver did not say which rows it inserted");
            inserted += r;
        }
        dst.commit();
        return inserted;
    }

    private static void bindRow(ResultSet rs, PreparedStatement ps, int n) throws SQLException {
        for (int i = 1; i <= n; i++) {
            Object v = rs.getObject(i);
            // Untyped: the target infers the column's type (PostgreSQL refuses a NULL typed as text for a number).
            if (v == null) ps.setNull(i, Types.NULL);
            else ps.setObject(i, v);
        }
    }

    /** Copies the content files the artifact rows name; returns {copied, already there}. */
    private static long[] copyArtifactFiles(Connection src, Path from, Path to) throws SQLException {
        ArtifactFiles source = new ArtifactFiles(from);
        ArtifactFiles target = new ArtifactFiles(to);
        long copied = 0;
        long present = 0;
        try (Statement s = src.createStatement(); ResultSet rs = s.executeQuery("SELECT DISTINCT sha256 FROM artifacts")) {
            while (rs.next()) {
                String sha = rs.getString(1);
                Path dst = target.path(sha);
                if (Files.exists(dst)) {
                    present++;
                    continue;
                }
                Path srcFile = source.path(sha);
                try {
                    Files.createDirectories(dst.getParent());
                    Path tmp = Files.createTempFile(dst.getParent(), "copy-", ".part");
                    Files.copy(srcFile, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy artifact file " + srcFile + " to " + dst, e);
                }
                copied++;
            }
        }
        return new long[]{copied, present};
    }
}
