package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A batch whose process is killed (kill -9) keeps what it wrote, and its run becomes INTERRUPTED on the next start. */
class KilledBatchTest {

    @Test
    void a_killed_batch_keeps_its_points_and_its_run_becomes_interrupted(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("long.json"), """
                {"name":"long","family":"mlp","dataset":"mnist-10k","epochs":50,
                 "params":{"hidden":[64],"logEvery":5,"batchSize":32}}""");
        Path db = dir.resolve("store.db");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("batch.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int points = 0;
            while (points < 10 && System.nanoTime() < deadline && p.isAlive()) {
                Thread.sleep(200);
                points = trainLossPoints(db);
            }
            assertThat(p.isAlive()).as("the batch should still be training; log:%n%s", log(dir)).isTrue();
            assertThat(points).as("points written before the kill").isGreaterThanOrEqualTo(10);
        } finally {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        int before = trainLossPoints(db);
        try (Store store = Store.open(db)) {
            Run run = store.runs().list(RunQuery.all()).getFirst();
            assertThat(run.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(store.recoveredRuns()).contains(run.id());
            assertThat(store.metrics().series(run.id(), "train_loss")).hasSize(before).hasSizeGreaterThanOrEqualTo(10);
        }
    }

    /** Reads through a separate connection, as a second process would; 0 until the run exists. */
    private static int trainLossPoints(Path db) {
        if (!Files.exists(db)) return 0;
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var ps = c.prepareStatement("SELECT COUNT(*) FROM metric_points WHERE key = 'train_loss'");
             var rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (java.sql.SQLException e) {
            return 0; // schema not created yet
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("batch.log"));
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
