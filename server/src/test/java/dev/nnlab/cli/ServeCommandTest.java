package dev.nnlab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve} refuses bad options with exit 2 and one message, before it starts anything. */
class ServeCommandTest {

    @Test
    void a_concurrency_of_zero_is_refused(@TempDir Path dir) {
        CliRun r = CliRun.of("serve", "--port", "0", "--concurrency", "0", "--db", dir.resolve("n.db").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("concurrency 0 is not allowed");
    }

    @Test
    void a_port_out_of_range_is_refused(@TempDir Path dir) {
        CliRun r = CliRun.of("serve", "--port", "70000", "--db", dir.resolve("n.db").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("port 70000");
    }
}
