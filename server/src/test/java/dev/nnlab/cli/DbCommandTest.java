package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.store.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --db} on every store command, and {@code ./nnlab db migrate} into a shared PostgreSQL. */
class DbCommandTest {

    @TempDir
    Path dir;

    @Test
    void a_bad_store_value_is_refused_naming_the_option_the_value_and_the_forms_allowed() {
        for (String bad : new String[]{"mysql://me@db/nnlab", "postgresql://me@db", "postgresql://me@db:99999/nnlab",
                "jdbc:oracle:thin:@x", ""}) {
            CliRun r = CliRun.of("runs", "ls", "--db", bad);
            assertThat(r.exitCode()).as(bad).isEqualTo(2);
            assertThat(r.err()).as(bad).contains("--db").contains("'" + bad + "'")
                    .contains("sqlite:PATH").contains("postgresql://USER");
        }
        CliRun r = CliRun.of("db", "migrate", "--from", "sqlite:" + dir.resolve("a.db"), "--to", "postgres:/x");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--to");
    }

    @Test
    void migrate_copies_a_local_store_reports_counts_and_a_second_run_copies_nothing() throws Exception {
        SampleStore sample = SampleStore.fill(dir.resolve("runs.db"));
        String pg = TestPostgres.shared().newStore() + "&artifacts=" + dir.resolve("shared-artifacts");

        CliRun first = CliRun.of("db", "migrate", "--from", "sqlite:" + sample.db(), "--to", pg);
        assertThat(first.exitCode()).as(first.err()).isEqualTo(0);
        assertThat(first.out()).contains("copying " + sample.db().toAbsolutePath())
                .containsPattern("runs +4 rows, +4 copied, +0 already there")
                .contains("done: ");
        // The URL is shown without a password (there is none here) and the artifacts parameter is nnlab's own.
        assertThat(first.out()).doesNotContain("artifacts=");

        CliRun again = CliRun.of("db", "migrate", "--from", "sqlite:" + sample.db(), "--to", pg);
        assertThat(again.exitCode()).as(again.err()).isEqualTo(0);
        assertThat(again.out()).containsPattern("runs +4 rows, +0 copied, +4 already there")
                .containsPattern("metric_points +[0-9,]+ rows, +0 copied");

        // The same runs, read through --db from either store.
        JsonNode local = json(CliRun.of(sample.host("runs", "ls", "--format", "json")));
        CliRun shared = CliRun.of("runs", "ls", "--format", "json", "--db", pg, "--plugins", dir.resolve("no-plugins").toString());
        assertThat(json(shared)).isEqualTo(local);
    }

    private static JsonNode json(CliRun r) throws Exception {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(0);
        return new ObjectMapper().readTree(r.out());
    }
}
