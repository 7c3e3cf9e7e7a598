package dev.nnlab.cluster;

import dev.nnlab.cli.Main;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker process killed with SIGKILL mid-trial (no chance to stop its trial or say goodbye): its run,
 * left RUNNING, is trained again on the other worker, and the sweep ends with every point once.
 */
class KilledWorkerTest {

    @Test
    void a_killed_worker_process_has_its_run_trained_again_on_another_worker(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("shared.db");
        int p1 = ClusterSweepTest.freePort(), p2 = ClusterSweepTest.freePort();
        List<String> members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "worker", "--cluster", "killed", "--members", String.join(",", members), "--port", String.valueOf(p2),
                "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(), "--data-dir", dir.resolve("data").toString()));
        try (Workbench coord = Workbench.open(db, PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
             Workbench local = Workbench.open(db, PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
             WorkerNode survivor = WorkerNode.start(new ClusterSettings("killed", members, "127.0.0.1", p1, null, 1), local);
             ClusterTrialExecutor cluster = ClusterTrialExecutor.join(new ClusterSettings("killed", members, "127.0.0.1",
                     ClusterSweepTest.freePort(), null, 0), coord.store(), Duration.ofSeconds(30))) {
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
            try {
                assertThat(cluster.awaitWorkers(2, Duration.ofSeconds(90))).as("the child worker joined; log:%n%s", log(dir)).isTrue();
                BatchService b = coord.batches();
                BatchService.Batch batch = b.record("spec", b.plan("spec", """
                        {"name":"killed","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","epochs":600,"batchSize":16,"logEvery":5},
                         "grid":{"lr":[0.05,0.1]},"seeds":[1,2]}"""));
                List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
                CompletableFuture<Map<Long, RunStatus>> sweep = CompletableFuture.supplyAsync(() -> b.execute(batch, cluster, new TrialListener() {
                    @Override public void onNote(String message) { notes.add(message); }
                }, new AtomicBoolean()));
                long victim = -1;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (victim < 0 && System.nanoTime() < deadline) {
                    for (long id : batch.runIds()) {
                        Run r = coord.store().runs().get(id).orElseThrow();
                        var losses = coord.store().metrics().series(id, "train_loss");
                        if (r.status() == RunStatus.RUNNING && r.owner().pid() == child.pid() && losses.size() >= 3
                                && losses.getLast().epoch() < 200) {
                            victim = id;
                        }
                    }
                    Thread.sleep(20);
                }
                assertThat(victim).as("the child trains a run that has logged points; log:%n%s", log(dir)).isPositive();
                child.destroyForcibly();
                child.waitFor(20, TimeUnit.SECONDS);

                Map<Long, RunStatus> end = sweep.get(180, TimeUnit.SECONDS);
                assertThat(end.values()).hasSize(4).containsOnly(RunStatus.FINISHED);
                long lost = victim;
                assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("run " + lost + ": worker ").contains("left the cluster while training it"));
                Run again = coord.store().runs().get(lost).orElseThrow();
                assertThat(again.owner().pid()).as("trained again in this JVM's worker").isEqualTo(ProcessHandle.current().pid());
                long other = batch.runIds().stream().filter(id -> id != lost).findFirst().orElseThrow();
                assertThat(ClusterSweepTest.points(coord, lost)).hasSameSizeAs(ClusterSweepTest.points(coord, other));
                assertThat(ClusterSweepTest.points(coord, lost).stream().map(p -> p.substring(0, p.indexOf('/'))).toList()).doesNotHaveDuplicates();
            } finally {
                child.destroyForcibly();
                child.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("worker.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
