package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.cli.Main;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The server and another process (a CLI batch) on one store: a killed batch, and a stop from the UI. */
class CrossProcessRunsTest {

    private static List<String> java(String mainClass, String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Test
    void a_run_of_a_batch_killed_while_the_server_runs_becomes_interrupted_without_a_restart(@TempDir Path dir) throws Exception {
        try (TestServer t = TestServer.start(dir, PluginJars.builtInPlugins(),
                TestServer.fastOptions().withRecoveryEvery(Duration.ofMillis(200)))) {
            Process child = new ProcessBuilder(java(RunHoldingProcess.class.getName(), dir.resolve("nnlab.db").toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long id;
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                id = Long.parseLong(out.readLine().strip());
                // Alive and heartbeating: the watch leaves it alone for several of its rounds.
                Thread.sleep(1000);
                assertThat(TestServer.json(t.get("/api/runs/" + id)).get("status").asText()).isEqualTo("RUNNING");
            } finally {
                child.destroyForcibly();   // kill -9: no shutdown hook, no last write
                child.waitFor(10, TimeUnit.SECONDS);
            }
            JsonNode run = t.awaitRun(id, TestServer.is(RunStatus.INTERRUPTED), 10);
            assertThat(run.get("error").asText()).contains(String.valueOf(child.pid()));
        }
    }

    @Test
    void a_run_of_a_cli_batch_is_stopped_from_the_api_through_the_store(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("long.json"), """
                {"name":"long","family":"mlp","dataset":"mnist-10k","epochs":50,
                 "params":{"hidden":[32],"logEvery":5,"batchSize":32}}""");
        try (TestServer t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions())) {
            Process batch = new ProcessBuilder(java(Main.class.getName(), "run", spec.toString(),
                    "--db", dir.resolve("nnlab.db").toString(), "--plugins", PluginJars.builtInPlugins().toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("batch.log").toFile()).start();
            try {
                long id = awaitFirstRun(t, 60, dir.resolve("batch.log"));
                t.awaitRun(id, TestServer.is(RunStatus.RUNNING), 60);

                var stop = t.post("/api/runs/" + id + "/stop", "");
                assertThat(stop.statusCode()).as(stop.body()).isEqualTo(202);
                assertThat(TestServer.json(stop).get("outcome").asText()).isEqualTo("STOPPING");

                t.awaitRun(id, TestServer.is(RunStatus.STOPPED), 30);
                assertThat(batch.waitFor(30, TimeUnit.SECONDS)).as("the batch ends once its only run stopped").isTrue();
                var again = t.post("/api/runs/" + id + "/stop", "");
                assertThat(again.statusCode()).as("a stopped run cannot be stopped again").isEqualTo(409);
            } finally {
                batch.destroyForcibly();
                batch.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static long awaitFirstRun(TestServer t, int seconds, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            JsonNode runs = TestServer.json(t.get("/api/runs")).get("runs");
            if (runs.size() > 0) return runs.get(0).get("id").asLong();
            Thread.sleep(100);
        }
        throw new AssertionError("the batch recorded no run in " + seconds + " s; its log:\n" + Files.readString(log));
    }
}
