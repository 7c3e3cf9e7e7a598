package dev.nnlab.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchemaMigrationTest {

    @TempDir
    Path dir;

    @Test
    void opening_a_missing_file_creates_its_directories_and_every_table() throws SQLException {
        Path file = dir.resolve("nested/data/nnlab.db");
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(SchemaMigrator.MIGRATIONS.size());
        }
        assertThat(tables(file)).contains("schema_version", "experiments", "runs", "params", "metric_points",
                "metric_summaries", "layer_stats", "events", "tags", "notes", "artifacts", "lesson_verdicts");
        assertThat(queryLongs(file, "SELECT version FROM schema_version ORDER BY version")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void reopening_applies_nothing_again_and_keeps_the_data() throws SQLException {
        Path file = dir.resolve("nnlab.db");
        long runId;
        try (Store store = Store.open(file)) {
            runId = StoreFixture.run(store, "first", Map.of("lr", 0.1)).id();
        }
        try (Store store = Store.open(file)) {
            assertThat(store.runs().get(runId)).isPresent();
            assertThat(store.runs().params(runId)).hasSize(1);
        }
        assertThat(queryLongs(file, "SELECT COUNT(*) FROM schema_version")).containsExactly((long) SchemaMigrator.MIGRATIONS.size());
    }

    @Test
    void the_database_runs_in_wal_mode_with_foreign_keys() throws SQLException {
        Path file = dir.resolve("nnlab.db");
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isPositive();
        }
        // journal_mode=WAL is stored in the file itself, so a plain connection sees it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
        }
        try (Connection c = new SqliteDialect(file).connect();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA foreign_keys")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void a_schema_newer_than_the_code_is_refused_with_both_versions() throws SQLException {
        Path file = dir.resolve("nnlab.db");
        Store.open(file).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, description, applied) VALUES (99, 'future', 0)");
        }
        assertThatThrownBy(() -> Store.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("99")
                .hasMessageContaining("up to " + SchemaMigrator.MIGRATIONS.size());
    }

    @Test
    void a_store_of_an_earlier_release_keeps_one_point_per_step_the_last_recorded_and_true_summaries() throws SQLException {
        Path file = dir.resolve("v8.db");
        SqliteDialect dialect = new SqliteDialect(file);
        try (Connection c = dialect.connect(); Statement s = c.createStatement()) {
            SchemaMigrator.migrate(c, dialect, 8);
            s.execute("INSERT INTO experiments (name, created) VALUES ('e', 0)");
            s.execute("INSERT INTO runs (experiment_id, name, status, created) VALUES (1, 'r', 'FINISHED', 0)");
            // Version 8 let a step be reported twice: step 2 holds 0.5 (at t=20) and then 0.3 (t=21).
            s.execute("INSERT INTO metric_points (run_id, key, step, epoch, wall_time, value) VALUES "
                    + "(1, 'loss', 1, 0, 10, 0.9), (1, 'loss', 2, 0, 20, 0.5), (1, 'loss', 2, 0, 21, 0.3)");
            s.execute("INSERT INTO metric_summaries (run_id, key, last_value, last_step, min_value, max_value, count) "
                    + "VALUES (1, 'loss', 0.3, 2, 0.3, 0.9, 3)");
        }
        try (Store store = Store.open(file)) {
            assertThat(store.schemaVersion()).isEqualTo(SchemaMigrator.MIGRATIONS.size());
            assertThat(store.metrics().series(1, "loss")).extracting(MetricPoint::value).containsExactly(0.9, 0.3);
            assertThat(store.metrics().summaries(1)).containsExactly(new MetricSummary(1, "loss", 0.3, 2, 0.3, 0.9, 2));
        }
    }

    @Test
    void a_version_9_store_keeps_one_layer_statistic_and_one_event_of_each_key() throws SQLException {
        Path file = dir.resolve("v9.db");
        SqliteDialect dialect = new SqliteDialect(file);
        try (Connection c = dialect.connect(); Statement s = c.createStatement()) {
            SchemaMigrator.migrate(c, dialect, 9);
            s.execute("INSERT INTO experiments (name, created) VALUES ('e', 0)");
            s.execute("INSERT INTO runs (experiment_id, name, status, created) VALUES (1, 'r', 'FINISHED', 0)");
            // Version 9 stored a retried batch's statistics and events twice.
            s.execute("INSERT INTO layer_stats (run_id, step, layer, stat, value) VALUES "
                    + "(1, 10, 'fc0', 'grad_norm', 0.5), (1, 10, 'fc0', 'grad_norm', 0.5), (1, 20, 'fc0', 'grad_norm', 0.4)");
            s.execute("INSERT INTO events (run_id, step, level, code, message, hint, wall_time) VALUES "
                    + "(1, 10, 'WARNING', 'dead_relu', 'm', NULL, 5), (1, 10, 'WARNING', 'dead_relu', 'm', NULL, 5), "
                    + "(1, NULL, 'INFO', 'note', 'whole run', NULL, 6), (1, NULL, 'INFO', 'note', 'whole run', NULL, 6)");
        }
        try (Store store = Store.open(file)) {
            assertThat(store.layerStats().all(1)).extracting(LayerStat::step).containsExactly(10L, 20L);
            assertThat(store.events().list(1)).extracting(RunEvent::step).containsExactly(10L, -1L);
            // And from now on the keys hold: the same rows again insert nothing.
            store.metrics().append(java.util.List.of(new LayerStat(1, 10, "fc0", "grad_norm", 0.5),
                    new RunEvent(1, -1, RunEvent.Level.INFO, "note", "whole run", null, 6)));
            assertThat(store.layerStats().all(1)).hasSize(2);
            assertThat(store.events().list(1)).hasSize(2);
        }
    }

    @Test
    void type_variables_take_the_dialect_types_and_unknown_ones_fail() {
        String ddl = SchemaMigrator.substitute("CREATE TABLE t (id ${identity}, b ${bytes})",
                new SqliteDialect(dir.resolve("x.db")).ddlTypes(), "V9__t.sql");
        assertThat(ddl).isEqualTo("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB)");
        assertThatThrownBy(() -> SchemaMigrator.substitute("x ${json}", Map.of(), "V9__t.sql"))
                .hasMessageContaining("V9__t.sql").hasMessageContaining("${json}");
    }

    @Test
    void statements_are_split_on_semicolons_without_comments() {
        assertThat(SchemaMigrator.statements("-- a table; really\nCREATE TABLE a (x INT); -- done\n\nCREATE INDEX i ON a (x);\n"))
                .containsExactly("CREATE TABLE a (x INT)", "CREATE INDEX i ON a (x)");
    }

    private static List<String> tables(Path file) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            List<String> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getString(1));
            return out;
        }
    }

    static List<Long> queryLongs(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<Long> out = new ArrayList<>();
            while (rs.next()) out.add(rs.getLong(1));
            return out;
        }
    }
}
