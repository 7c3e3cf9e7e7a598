package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nnlab bench} on workloads that need no real data or peers: what it prints, records and refuses. */
class BenchCommandTest {

    @Test
    void a_workload_without_an_nnlab_family_prints_a_missing_line_a_summary_and_the_table(@TempDir Path dir) {
        Path db = dir.resolve("store.db");
        // A plugins folder without the cnn family (W3's): the nnlab side is missing, and so W3's costly peer is skipped.
        CliRun r = CliRun.of("bench", "W3", "--db", db.toString(), "--plugins", dir.toString(),
                "--data-dir", dir.toString(), "--quiet-wait", "0");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("{"));
        assertThat(r.out()).contains("\"status\":\"missing\"").contains("'cnn'").contains("\"bench\":\"summary\"")
                .contains("\"ratio\":null");
        assertThat(r.err()).contains("nnlab / peer").contains("W3").contains("missing");
        try (Store store = Store.open(db)) {
            assertThat(store.runs().list(RunQuery.all())).isEmpty(); // nothing was measured, so nothing is a run
        }
    }

    @Test
    void w1_without_mnist_exits_2_saying_where_it_looked_and_how_to_get_it_before_anything_runs(@TempDir Path dir) {
        CliRun r = CliRun.of("bench", "W1", "--data-dir", dir.toString(), "--db", dir.resolve("store.db").toString(),
                "--plugins", PluginJars.builtInPlugins().toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("W1: dataset 'mnist' is not available").contains(dir.resolve("mnist").toString())
                .contains("./nnlab data get mnist").doesNotContain("== bench");
    }

    @Test
    void peers_data_is_checked_too_and_names_are_case_insensitive(@TempDir Path dir) {
        CliRun r = CliRun.of("bench", "w6", "--peers", "--data-dir", dir.toString(), "--db", dir.resolve("store.db").toString(),
                "--plugins", PluginJars.builtInPlugins().toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("W6 (peers): " + dir.resolve("ptb/ptb.train.txt")).contains("wordsim353.tsv");
    }

    @Test
    void bad_options_and_unknown_names_are_refused_before_anything_runs(@TempDir Path dir) {
        String db = dir.resolve("store.db").toString();
        CliRun rounds = CliRun.of("bench", "W1", "--rounds", "0", "--db", db);
        assertThat(rounds.exitCode()).isEqualTo(2);
        assertThat(rounds.err()).contains("--rounds must be >= 1, got 0");
        CliRun name = CliRun.of("bench", "W9", "--db", db);
        assertThat(name.exitCode()).isEqualTo(2);
        assertThat(name.err()).contains("unknown benchmark 'W9'").contains("all").contains("W7").contains("logging");
        CliRun threads = CliRun.of("bench", "all", "--threads", "0", "--db", db);
        assertThat(threads.exitCode()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads must be >= 1, got 0");
    }
}
