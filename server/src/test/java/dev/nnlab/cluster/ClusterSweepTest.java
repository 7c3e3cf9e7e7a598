package dev.nnlab.cluster;

import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweeps on a real Hazelcast cluster in this JVM, on loopback: two workers (each with its own workbench on
 * one shared SQLite store, as separate processes would have) and the test as a lite-member coordinator.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSweepTest {
    @TempDir
    static Path dir;
    static Path db;
    static List<Workbench> benches = new ArrayList<>();
    static List<WorkerNode> workers = new ArrayList<>();
    static Workbench coordinatorBench;
    static ClusterTrialExecutor cluster;
    static List<String> members;

    @BeforeAll
    static void startCluster() throws Exception {
        db = dir.resolve("shared.db");
        int p1 = freePort(), p2 = freePort(), pc = freePort();
        members = List.of("127.0.0.1:" + p1, "127.0.0.1:" + p2);
        coordinatorBench = bench(PluginJars.builtInPlugins());
        workers.add(WorkerNode.start(settings("sweeps", p1, 1), bench(PluginJars.builtInPlugins())));
        workers.add(WorkerNode.start(settings("sweeps", p2, 1), bench(PluginJars.builtInPlugins())));
        cluster = ClusterTrialExecutor.join(settings("sweeps", pc, 0), coordinatorBench.store(), Duration.ofSeconds(20));
        assertThat(cluster.awaitWorkers(2, Duration.ofSeconds(30))).as("both workers joined").isTrue();
    }

    static ClusterSettings settings(String name, int port, int slots) {
        return new ClusterSettings(name, members, "127.0.0.1", port, null, slots);
    }

    static Workbench bench(Path plugins) {
        Workbench wb = Workbench.open(db, plugins, dir.resolve("data"), "test", null);
        benches.add(wb);
        return wb;
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
        for (WorkerNode w : workers) {
            try {
                w.close();
            } catch (RuntimeException alreadyGone) {
                // terminated by a test
            }
        }
        benches.forEach(Workbench::close);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String spec(String name, int epochs) {
        return """
                {"name":"%s","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","epochs":%d,"batchSize":16,"logEvery":5},
                 "grid":{"lr":[0.05,0.1,0.2]},"seeds":[1,2]}""".formatted(name, epochs);
    }

    /** Every point of the run, wall time aside: key, step, epoch and value. */
    static List<String> points(Workbench wb, long runId) {
        List<String> out = new ArrayList<>();
        for (String key : List.of("train_loss", "train_acc", "val_loss", "val_acc", "test_acc")) {
            for (MetricPoint p : wb.store().metrics().series(runId, key)) {
                out.add(key + "@" + p.step() + "/" + p.epoch() + "=" + p.value());
            }
        }
        return out;
    }

    @Test
    @Order(0)
    void successive_halving_on_the_cluster_promotes_the_same_trials_and_records_the_same_values_as_in_process() throws Exception {
        String halving = """
                {"name":"%s","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","batchSize":16,"logEvery":5},
                 "random":{"trials":4,"seed":3,"params":{"lr":{"logUniform":[1e-3,1.0]}}},"seeds":[1],
                 "halving":{"metric":"train_loss","keep":0.5,"epochs":[1,2]}}""";
        BatchService b = coordinatorBench.batches();
        BatchService.Batch local = b.record("spec", b.plan("spec", halving.formatted("halving-local")));
        Map<Long, RunStatus> localEnd = b.execute(local, 1, TrialListener.NONE, new AtomicBoolean());
        BatchService.Batch remote = b.record("spec", b.plan("spec", halving.formatted("halving-remote")));
        Map<Long, RunStatus> remoteEnd = b.execute(remote, cluster, TrialListener.NONE, new AtomicBoolean());

        // 4 trials in rung 0, the better 2 again in rung 1: each rung is submitted to the workers trial by trial.
        assertThat(localEnd).hasSize(6);
        assertThat(remoteEnd).hasSize(6);
        assertThat(remoteEnd.values()).containsOnly(RunStatus.FINISHED);
        List<Long> l = List.copyOf(localEnd.keySet()), r = List.copyOf(remoteEnd.keySet());
        for (int i = 0; i < 6; i++) {
            assertThat(cluster.placements().get(r.get(i))).as("run %d placed on a worker", r.get(i)).hasSize(1);
            var lc = coordinatorBench.store().runs().get(l.get(i)).orElseThrow().config();
            var rc = coordinatorBench.store().runs().get(r.get(i)).orElseThrow().config();
            assertThat(rc.get("sweep").get("rung")).as("run %d: rung", i).isEqualTo(lc.get("sweep").get("rung"));
            // Promoted from the same trials: the same positions in each sweep (run ids differ).
            List<Integer> lFrom = new ArrayList<>(), rFrom = new ArrayList<>();
            lc.get("sweep").path("promotedFrom").forEach(id -> lFrom.add(l.indexOf(id.asLong())));
            rc.get("sweep").path("promotedFrom").forEach(id -> rFrom.add(r.indexOf(id.asLong())));
            assertThat(rFrom).as("run %d: promoted from", i).isEqualTo(lFrom);
            assertThat(points(coordinatorBench, r.get(i))).as("run %d: cluster vs in-process", i)
                    .isEqualTo(points(coordinatorBench, l.get(i)));
        }
    }

    @Test
    @Order(1)
    void a_sweep_spreads_over_the_workers_and_gives_the_same_values_as_in_process() throws Exception {
        BatchService b = coordinatorBench.batches();
        BatchService.Batch local = b.record("spec", b.plan("spec", spec("local", 2)));
        Map<Long, RunStatus> localEnd = b.execute(local, 1, TrialListener.NONE, new AtomicBoolean());
        BatchService.Batch remote = b.record("spec", b.plan("spec", spec("remote", 2)));
        ForwardedPoints seen = new ForwardedPoints();
        Map<Long, RunStatus> remoteEnd = b.execute(remote, cluster, seen, new AtomicBoolean());

        assertThat(localEnd.values()).hasSize(6).containsOnly(RunStatus.FINISHED);
        assertThat(remoteEnd.values()).hasSize(6).containsOnly(RunStatus.FINISHED);
        Map<String, Integer> perWorker = new LinkedHashMap<>();
        for (long id : remote.runIds()) {
            List<String> placed = cluster.placements().get(id);
            assertThat(placed).as("run " + id).hasSize(1);
            perWorker.merge(placed.getFirst(), 1, Integer::sum);
        }
        assertThat(perWorker).as("trials per worker").hasSize(2);
        for (int i = 0; i < 6; i++) {
            long l = local.runIds().get(i), r = remote.runIds().get(i);
            Run run = coordinatorBench.store().runs().get(r).orElseThrow();
            assertThat(run.owner().pid()).isEqualTo(ProcessHandle.current().pid());
            List<String> lp = points(coordinatorBench, l);
            assertThat(lp).as("trial %d trained and logged", i).hasSizeGreaterThan(5);
            assertThat(points(coordinatorBench, r)).as("trial %d: cluster vs in-process", i).isEqualTo(lp);
            // The launching host's listener (its progress bars) saw every stored point once, before the trial's end.
            assertThat(seen.inPointsOrder(r)).as("trial %d: points forwarded to the coordinator's listener", i).isEqualTo(lp);
            assertThat(seen.finishedAfterPoints).as("trial %d: ended after its points", i).contains(r);
        }
    }

    /** What a coordinator's listener was told, per run and curve, in arrival order. */
    static final class ForwardedPoints implements TrialListener {
        final Map<Long, Map<String, List<String>>> byRun = new java.util.concurrent.ConcurrentHashMap<>();
        final java.util.Set<Long> finishedAfterPoints = java.util.concurrent.ConcurrentHashMap.newKeySet();

        @Override
        public void onMetric(long runId, String key, long step, double epoch, double value) {
            byRun.computeIfAbsent(runId, k -> new java.util.concurrent.ConcurrentHashMap<>())
                    .computeIfAbsent(key, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(key + "@" + step + "/" + epoch + "=" + value);
        }

        @Override
        public void onFinish(long runId, RunStatus status, String error) {
            if (byRun.containsKey(runId)) finishedAfterPoints.add(runId);
        }

        /** The forwarded points of the curves {@link #points} reads, in its order. */
        List<String> inPointsOrder(long runId) {
            List<String> out = new ArrayList<>();
            Map<String, List<String>> curves = byRun.getOrDefault(runId, Map.of());
            for (String key : List.of("train_loss", "train_acc", "val_loss", "val_acc", "test_acc")) {
                out.addAll(curves.getOrDefault(key, List.of()));
            }
            return out;
        }
    }

    @Test
    @Order(2)
    void a_worker_without_the_plugin_refuses_with_its_reason_and_another_trains_the_trial() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-plugins"));
        WorkerNode bare = WorkerNode.start(settings("sweeps", freePort(), 1), bench(empty));
        try {
            assertThat(cluster.awaitWorkers(3, Duration.ofSeconds(30))).isTrue();
            BatchService b = coordinatorBench.batches();
            BatchService.Batch batch = b.record("spec", b.plan("spec", spec("refusals", 1)));
            Map<Long, RunStatus> end = b.execute(batch, cluster, TrialListener.NONE, new AtomicBoolean());
            assertThat(end.values()).containsOnly(RunStatus.FINISHED);
            List<List<String>> refusedFirst = batch.runIds().stream().map(id -> cluster.placements().get(id))
                    .filter(p -> p.getFirst().equals(bare.name() + ": refused")).toList();
            assertThat(refusedFirst).as("the bare worker got trials (3 slots, 3 at once) and refused them").isNotEmpty()
                    .allSatisfy(p -> assertThat(p).hasSize(2).last().asString().endsWith(": FINISHED").doesNotStartWith(bare.name()));
        } finally {
            bare.close();
        }

        // Alone, it refuses everything: the run fails with its reason.
        Path db2 = dir.resolve("alone.db");
        int port = freePort();
        List<String> only = List.of("127.0.0.1:" + port);
        try (Workbench coord = Workbench.open(db2, PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
             Workbench bareBench = Workbench.open(db2, empty, dir.resolve("data"), "test", null);
             WorkerNode alone = WorkerNode.start(new ClusterSettings("alone", only, "127.0.0.1", port, null, 1), bareBench);
             ClusterTrialExecutor c = ClusterTrialExecutor.join(new ClusterSettings("alone", only, "127.0.0.1", freePort(), null, 0),
                     coord.store(), Duration.ofSeconds(20))) {
            assertThat(c.awaitWorkers(1, Duration.ofSeconds(30))).isTrue();
            BatchService.Batch batch = coord.batches().record("spec", coord.batches().plan("spec", spec("nowhere", 1).replace("[1,2]", "[1]").replace("0.05,0.1,0.2", "0.1")));
            Map<Long, RunStatus> end = coord.batches().execute(batch, c, TrialListener.NONE, new AtomicBoolean());
            assertThat(end.values()).containsExactly(RunStatus.FAILED);
            Run run = coord.store().runs().get(batch.runIds().getFirst()).orElseThrow();
            assertThat(run.error()).startsWith("no worker of cluster alone can train it: model family 'softmax' is not loaded on worker "
                    + alone.name());
        }
    }

    @Test
    @Order(3)
    void run_with_cluster_on_the_command_line_trains_on_the_workers() throws Exception {
        Path spec = Files.writeString(dir.resolve("cli-spec.json"), spec("from-cli", 1));
        int code = dev.nnlab.cli.Main.commandLine().execute("run", spec.toString(), "--db", db.toString(),
                "--plugins", PluginJars.builtInPlugins().toString(), "--data-dir", dir.resolve("data").toString(),
                "--cluster", "sweeps", "--members", String.join(",", members), "--cluster-port", String.valueOf(freePort()));
        assertThat(code).isZero();
        var experiment = coordinatorBench.store().experiments().list().stream().filter(e -> e.name().equals("from-cli")).findFirst().orElseThrow();
        var runs = coordinatorBench.store().runs().list(dev.nnlab.store.RunQuery.all()).stream()
                .filter(r -> r.experimentId() == experiment.id()).toList();
        assertThat(runs).hasSize(6).allSatisfy(r -> {
            assertThat(r.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(r.owner().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(coordinatorBench.store().metrics().series(r.id(), "train_loss")).isNotEmpty();
        });
    }

    @Test
    @Order(4)
    void the_server_queue_sends_runs_to_the_workers_and_a_stop_reaches_the_worker_training_the_run() throws Exception {
        ClusterTrialExecutor dispatch = ClusterTrialExecutor.join(settings("sweeps", freePort(), 0), coordinatorBench.store(), Duration.ofSeconds(20));
        assertThat(dispatch.awaitWorkers(2, Duration.ofSeconds(30))).isTrue();
        try (var server = dev.nnlab.http.ApiServer.start(coordinatorBench, dev.nnlab.http.ApiServer.Options.defaults().withPort(0)
                .withConcurrency(64), dispatch)) {
            var quick = server.queue().submit("api", spec("from-server", 1));
            var slow = server.queue().submit("api", """
                    {"name":"long","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","epochs":100000,"batchSize":16,"logEvery":5},
                     "grid":{"lr":[0.1,0.2]}}""");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long running = -1;
            while (running < 0 && System.nanoTime() < deadline) {
                for (long id : slow.runIds()) {
                    if (coordinatorBench.store().metrics().series(id, "train_loss").size() >= 2) running = id;
                }
                Thread.sleep(20);
            }
            assertThat(running).as("a long run trains on a worker").isPositive();
            for (long id : slow.runIds()) server.queue().stop(id);
            List<Long> all = new ArrayList<>(quick.runIds());
            all.addAll(slow.runIds());
            while (System.nanoTime() < deadline && all.stream().anyMatch(id -> !coordinatorBench.store().runs().get(id).orElseThrow().status().isTerminal())) {
                Thread.sleep(50);
            }
            for (long id : quick.runIds()) assertThat(coordinatorBench.store().runs().get(id).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
            for (long id : slow.runIds()) assertThat(coordinatorBench.store().runs().get(id).orElseThrow().status()).isEqualTo(RunStatus.STOPPED);
            assertThat(coordinatorBench.store().runs().get(running).orElseThrow().owner().pid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    @Order(5)
    void without_any_worker_the_runs_fail_naming_the_cluster_and_how_to_start_one() throws Exception {
        int nobody = freePort();
        try (ClusterTrialExecutor empty = ClusterTrialExecutor.join(new ClusterSettings("empty", List.of("127.0.0.1:" + nobody), "127.0.0.1",
                freePort(), null, 0), coordinatorBench.store(), Duration.ofSeconds(1))) {
            BatchService b = coordinatorBench.batches();
            BatchService.Batch batch = b.record("spec", b.plan("spec", spec("no-workers", 1).replace("0.05,0.1,0.2", "0.1")));
            Map<Long, RunStatus> end = b.execute(batch, empty, TrialListener.NONE, new AtomicBoolean());
            assertThat(end.values()).hasSize(2).containsOnly(RunStatus.FAILED);
            for (long id : batch.runIds()) {
                assertThat(coordinatorBench.store().runs().get(id).orElseThrow().error()).isEqualTo("no worker of cluster empty joined within 1 s "
                        + "(members 127.0.0.1:" + nobody + "); start one with ./nnlab worker --cluster empty");
            }
        }
    }

    @Test
    @Order(6)
    void a_worker_that_leaves_mid_trial_has_its_run_trained_again_elsewhere_without_duplicate_points() throws Exception {
        BatchService b = coordinatorBench.batches();
        BatchService.Batch batch = b.record("spec", b.plan("spec", spec("leaving", 2000).replace("[1,2]", "[1]")));
        List<String> notes = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Map<Long, RunStatus>> sweep = CompletableFuture.supplyAsync(() -> b.execute(batch, cluster, new TrialListener() {
            @Override public void onNote(String message) { notes.add(message); }
        }, new AtomicBoolean()));
        WorkerNode victim = workers.getFirst();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long victimRun = -1;
        while (System.nanoTime() < deadline) {
            for (long id : victim.training()) {
                // As soon as it trains (points are flushed in batches, and a warm JVM trains spirals fast).
                if (coordinatorBench.store().runs().get(id).orElseThrow().status() == RunStatus.RUNNING) victimRun = id;
            }
            if (victimRun >= 0) break;
            Thread.sleep(10);
        }
        assertThat(victimRun).as("the victim trains a run").isPositive();
        long lost = victimRun;
        victim.member().getLifecycleService().terminate();

        Map<Long, RunStatus> end = sweep.get(120, TimeUnit.SECONDS);
        assertThat(end).hasSize(3);
        assertThat(end.values()).containsOnly(RunStatus.FINISHED);
        assertThat(cluster.placements().get(lost)).hasSize(2).first().asString().endsWith(": left");
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("run " + lost + ": worker " + victim.name()).contains("training it again"));
        // The retried run has exactly the points of an undisturbed run of the same length: none lost, none twice.
        long other = batch.runIds().stream().filter(id -> id != lost).findFirst().orElseThrow();
        assertThat(points(coordinatorBench, lost)).hasSameSizeAs(points(coordinatorBench, other));
        List<String> steps = points(coordinatorBench, lost).stream().map(p -> p.substring(0, p.indexOf('/'))).toList();
        assertThat(steps).doesNotHaveDuplicates();
        for (long id : batch.runIds()) {
            assertThat(coordinatorBench.store().runs().get(id).orElseThrow().status()).isNotEqualTo(RunStatus.RUNNING);
        }
    }
}
