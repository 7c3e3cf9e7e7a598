package dev.nnlab.cli;

import dev.nnlab.store.Store;
import dev.nnlab.store.StoreLocation;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nnlab db start-local / stop-local}: a PostgreSQL of one's own whose URL opens a store. */
class LocalPostgresCommandTest {

    @Test
    void start_prints_a_url_that_opens_a_store_a_second_start_only_says_so_and_stop_keeps_the_data() throws Exception {
        // A folder the postgres user can reach when the tests run as root (JUnit's @TempDir is closed to it).
        Path dir = Files.createTempDirectory("nnlab-local-pg-");
        int port = freePort();
        try {
            CliRun first = CliRun.of("db", "start-local", "--dir", dir.toString(), "--port", String.valueOf(port));
            assertThat(first.exitCode()).as(first.err()).isZero();
            String url = "postgresql://nnlab@127.0.0.1:" + port + "/nnlab";
            assertThat(first.out().strip()).isEqualTo(url);
            assertThat(first.err()).contains("created and started on 127.0.0.1:" + port).contains("db stop-local --dir " + dir);
            long runId;
            try (Store store = StoreLocation.parse(url + "?artifacts=" + dir.resolve("artifacts")).open()) {
                var e = store.experiments().getOrCreate("local", null);
                var provenance = new dev.nnlab.store.Provenance("softmax", "0.1.0", "0.1.0", "abc", 1L, "spirals", "none");
                runId = store.runs().create(new dev.nnlab.store.NewRun(e.id(), "r", "softmax", provenance,
                        com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), Map.of())).id();
            }

            CliRun again = CliRun.of("db", "start-local", "--dir", dir.toString());
            assertThat(again.exitCode()).as(again.err()).isZero();
            assertThat(again.out().strip()).isEqualTo(url);
            assertThat(again.err()).contains("already running");
            CliRun otherPort = CliRun.of("db", "start-local", "--dir", dir.toString(), "--port", String.valueOf(port + 1));
            assertThat(otherPort.exitCode()).isEqualTo(2);
            assertThat(otherPort.err()).contains("--port").contains("running on port " + port);

            CliRun stop = CliRun.of("db", "stop-local", "--dir", dir.toString());
            assertThat(stop.exitCode()).as(stop.err()).isZero();
            assertThat(stop.out()).contains("stopped");
            assertThat(listening(port)).as("nothing listens on %d after stop-local", port).isFalse();

            // Started again without --port: the same port, the same data.
            CliRun restart = CliRun.of("db", "start-local", "--dir", dir.toString());
            assertThat(restart.exitCode()).as(restart.err()).isZero();
            assertThat(restart.out().strip()).isEqualTo(url);
            assertThat(restart.err()).contains(" started on");
            try (Store store = StoreLocation.parse(url + "?artifacts=" + dir.resolve("artifacts")).open()) {
                assertThat(store.runs().get(runId)).isPresent();
            }
        } finally {
            CliRun.of("db", "stop-local", "--dir", dir.toString());
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void bad_folders_and_ports_are_refused_naming_the_option() throws Exception {
        Path file = Files.createTempFile("nnlab-not-a-dir", ".txt");
        try {
            CliRun notDir = CliRun.of("db", "start-local", "--dir", file.toString());
            assertThat(notDir.exitCode()).isEqualTo(2);
            assertThat(notDir.err()).contains("--dir").contains(file.toString()).contains("not a folder");
            Path empty = Files.createTempDirectory("nnlab-no-pg-");
            CliRun stopNothing = CliRun.of("db", "stop-local", "--dir", empty.toString());
            assertThat(stopNothing.exitCode()).isEqualTo(2);
            assertThat(stopNothing.err()).contains("--dir").contains("holds no PostgreSQL server");
            CliRun lowPort = CliRun.of("db", "start-local", "--dir", empty.resolve("pg").toString(), "--port", "80");
            assertThat(lowPort.exitCode()).isEqualTo(2);
            assertThat(lowPort.err()).contains("--port: 80 is not allowed; expected 1024 to 65535");
            try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                CliRun busy = CliRun.of("db", "start-local", "--dir", empty.resolve("pg").toString(), "--port",
                        String.valueOf(taken.getLocalPort()));
                assertThat(busy.exitCode()).isEqualTo(2);
                assertThat(busy.err()).contains("--port: " + taken.getLocalPort() + " is in use");
            }
            assertThat(empty.resolve("pg")).as("nothing created for a refused start").doesNotExist();
            Files.delete(empty);
        } finally {
            Files.delete(file);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
