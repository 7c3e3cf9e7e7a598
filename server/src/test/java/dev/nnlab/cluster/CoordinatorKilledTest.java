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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other half of {@link KilledWorkerTest}: the process that launched a sweep ({@code ./nnlab run
 * --cluster}) is killed with SIGKILL while a worker trains one of its trials. Nothing of the sweep may
 * stay in limbo: the trial the worker holds is trained to the end (the worker owns that run and needs
 * nothing from the launcher), the trials never sent stay unsent and are marked INTERRUPTED as soon as
 * anyone looks for runs of dead processes (the server does every 15 s), and the worker serves the next
 * launcher as if nothing had happened.
 */
class CoordinatorKilledTest {

    @Test
    void a_killed_launcher_leaves_its_sent_trial_finished_and_its_unsent_trials_interrupted(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("shared.db");
        Path data = dir.resolve("data");
        int workerPort = ClusterSweepTest.freePort();
        List<String> members = List.of("127.0.0.1:" + workerPort);
        Path spec = dir.resolve("sweep.json");
        // Long enough that the launcher can be killed mid-trial even on a quiet machine (a few seconds a trial).
        Files.writeString(spec, """
                {"name":"orphaned","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","epochs":8000,"batchSize":16,"logEvery":50},
                 "grid":{"lr":[0.05,0.1]},"seeds":[1,2]}""");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "run", spec.toString(), "--cluster", "orphaned", "--members", String.join(",", members),
                "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(), "--data-dir", data.toString()));
        try (Workbench local = Workbench.open(db, PluginJars.builtInPlugins(), data, "test", null);
             WorkerNode worker = WorkerNode.start(new ClusterSettings("orphaned", members, "127.0.0.1", workerPort, null, 1), local)) {
            Process launcher = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("launcher.log").toFile()).start();
            long sent = -1;
            List<Long> sweep = List.of();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (sent < 0 && System.nanoTime() < deadline && launcher.isAlive()) {
                    sweep = local.store().runs().list(dev.nnlab.store.RunQuery.all()).stream().map(Run::id).toList();
                    for (long id : sweep) {
                        Run r = local.store().runs().get(id).orElseThrow();
                        if (r.status() == RunStatus.RUNNING && r.owner().pid() == ProcessHandle.current().pid()
                                && !local.store().metrics().series(id, "train_loss").isEmpty()) {
                            sent = id;
                        }
                    }
                    Thread.sleep(10);
                }
                assertThat(sent).as("the worker trains a trial of the launcher; log:%n%s", log(dir)).isPositive();
                launcher.destroyForcibly();
                assertThat(launcher.waitFor(20, TimeUnit.SECONDS)).isTrue();
            } finally {
                launcher.destroyForcibly();
            }
            assertThat(sweep).as("the launcher recorded the whole sweep before sending anything").hasSize(4);
            assertThat(local.store().runs().get(sent).orElseThrow().status())
                    .as("killed mid-trial, not after it").isEqualTo(RunStatus.RUNNING);

            long held = sent;
            RunStatus end = awaitEnd(local, held, Duration.ofSeconds(180));
            assertThat(end).as("the worker trains the trial it holds to the end").isEqualTo(RunStatus.FINISHED);
            assertThat(local.store().metrics().series(held, "test_acc")).hasSize(1);

            List<Long> unsent = sweep.stream().filter(id -> id != held).toList();
            for (long id : unsent) {
                assertThat(local.store().runs().get(id).orElseThrow().status()).as("run %d before recovery", id).isEqualTo(RunStatus.QUEUED);
            }
            assertThat(local.store().recoverInterruptedRuns()).as("the unsent trials belong to the dead launcher")
                    .containsExactlyInAnyOrderElementsOf(unsent);
            for (long id : unsent) {
                Run r = local.store().runs().get(id).orElseThrow();
                assertThat(r.status()).isEqualTo(RunStatus.INTERRUPTED);
                assertThat(r.error()).contains("ended while the run was unfinished");
                assertThat(local.store().metrics().series(id, "train_loss")).as("run %d was never sent", id).isEmpty();
            }

            // The worker is free and serves the next launcher.
            try (Workbench coord = Workbench.open(db, PluginJars.builtInPlugins(), data, "test", null);
                 ClusterTrialExecutor cluster = ClusterTrialExecutor.join(new ClusterSettings("orphaned", members, "127.0.0.1",
                         ClusterSweepTest.freePort(), null, 0), coord.store(), Duration.ofSeconds(30))) {
                assertThat(cluster.awaitWorkers(1, Duration.ofSeconds(60))).isTrue();
                BatchService b = coord.batches();
                BatchService.Batch next = b.record("spec", b.plan("spec", ClusterSweepTest.spec("after", 20)));
                Map<Long, RunStatus> statuses = b.execute(next, cluster, TrialListener.NONE, new AtomicBoolean());
                assertThat(statuses.values()).isNotEmpty().containsOnly(RunStatus.FINISHED);
                for (long id : next.runIds()) {
                    assertThat(coord.store().runs().get(id).orElseThrow().owner().pid()).isEqualTo(ProcessHandle.current().pid());
                }
            }
        }
    }

    private static RunStatus awaitEnd(Workbench wb, long runId, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        RunStatus s = wb.store().runs().get(runId).orElseThrow().status();
        while ((s == RunStatus.RUNNING || s == RunStatus.QUEUED) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = wb.store().runs().get(runId).orElseThrow().status();
        }
        return s;
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("launcher.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }
}
