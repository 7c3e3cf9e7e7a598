package dev.nnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Argument handling of {@code ./nnlab bench}; never runs a real workload. */
class BenchCommandTest {
    @TempDir
    Path emptyDataDir;

    @Test
    void w1_without_mnist_exits_2_saying_where_it_looked_and_how_to_get_it() {
        CliRun r = CliRun.of("bench", "W1", "--data-dir", emptyDataDir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("W1: dataset 'mnist' is not available")
                .contains(emptyDataDir.resolve("mnist") + ": no such directory")
                .contains("./nnlab data get mnist");
    }

    @Test
    void workload_names_are_case_insensitive() {
        CliRun r = CliRun.of("bench", "w2", "--data-dir", emptyDataDir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("== bench W2").contains("dataset 'mnist' is not available");
    }

    @Test
    void an_unknown_benchmark_exits_2_listing_the_known_ones() {
        CliRun r = CliRun.of("bench", "W9", "--data-dir", emptyDataDir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown benchmark 'W9'").contains("sgemm, W1, W2");
    }

    @Test
    void zero_threads_are_refused_before_anything_runs() {
        CliRun r = CliRun.of("bench", "W1", "--threads", "0", "--data-dir", emptyDataDir.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--threads must be >= 1").doesNotContain("== bench");
    }
}
