package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad cluster options: exit 2 with the option, the value and what is allowed, before any member starts or run is recorded. */
class ClusterCommandBadInputTest {

    @Test
    void a_worker_off_loopback_without_a_secret_is_refused(@TempDir Path dir) {
        CliRun r = CliRun.of("worker", "--cluster", "lab", "--members", "192.0.2.7:5701", "--db", dir.resolve("s.db").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("--members: 192.0.2.7:5701 is not a loopback address").contains("--secret-file FILE or NNLAB_CLUSTER_SECRET");
        assertThat(dir.resolve("s.db")).doesNotExist();
    }

    @Test
    void a_worker_with_bad_slots_or_members_is_refused(@TempDir Path dir) {
        CliRun slots = CliRun.of("worker", "--cluster", "lab", "--members", "127.0.0.1:5701", "--slots", "0", "--db", dir.resolve("s.db").toString());
        assertThat(slots.exitCode()).isEqualTo(2);
        assertThat(slots.err()).startsWith("--slots: 0 is not allowed; expected 1 to 64");
        CliRun members = CliRun.of("worker", "--cluster", "lab", "--members", "127.0.0.1:x", "--db", dir.resolve("s.db").toString());
        assertThat(members.exitCode()).isEqualTo(2);
        assertThat(members.err()).startsWith("--members: \"127.0.0.1:x\" is not allowed; expected HOST:PORT");
    }

    @Test
    void a_run_with_bad_cluster_options_records_nothing(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("spec.json"), """
                {"name":"x","family":"softmax","dataset":"spirals","params":{"epochs":1}}""");
        Path db = dir.resolve("s.db");
        CliRun noName = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--members", "127.0.0.1:5701");
        assertThat(noName.exitCode()).isEqualTo(2);
        assertThat(noName.err()).startsWith("--members needs --cluster NAME");
        Path secret = Files.writeString(dir.resolve("secret"), "short");
        CliRun shortSecret = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--cluster", "lab", "--members", "127.0.0.1:5701", "--secret-file", secret.toString());
        assertThat(shortSecret.exitCode()).isEqualTo(2);
        assertThat(shortSecret.err()).startsWith("--secret-file: " + secret + ": the cluster secret has 5 byte(s); it needs at least 16");
        assertThat(db).doesNotExist();
    }
}
