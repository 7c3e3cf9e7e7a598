package dev.nnlab.cluster;

import dev.nnlab.cli.Main;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
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
 * The same trial in this JVM, warmed up, and on a worker that is a fresh child JVM records the same
 * metric values to the bit. The child trains its first steps in the interpreter and C1 while this JVM
 * runs C2's SIMD code: the kernels' results must not depend on the JIT tier (they did, through the
 * Vector API's reduceLanes(ADD) and lanewise(EXP); see LaneMath).
 */
class ColdWorkerSameValuesTest {

    private static final String SPEC = """
            {"name":"%s","family":"mlp","dataset":"mnist-10k","params":{"hidden":[32],"optimizer":"adam","epochs":2,
             "batchSize":64,"logEvery":5,"trainSamples":2000},"grid":{"lr":[0.003]}}""";

    @Test
    void a_sweep_on_a_cold_worker_jvm_records_the_same_values_as_in_process(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("shared.db");
        int port = ClusterSweepTest.freePort(), coordinator = ClusterSweepTest.freePort();
        // Both listed: the coordinator is up first, so the worker must know where to find it.
        List<String> members = List.of("127.0.0.1:" + port, "127.0.0.1:" + coordinator);
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "worker", "--cluster", "cold", "--members", String.join(",", members), "--port", String.valueOf(port),
                "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(), "--data-dir", dir.resolve("data").toString()));
        try (Workbench coord = Workbench.open(db, PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
             ClusterTrialExecutor cluster = ClusterTrialExecutor.join(new ClusterSettings("cold", members, "127.0.0.1",
                     coordinator, null, 0), coord.store(), Duration.ofSeconds(60))) {
            BatchService b = coord.batches();
            // The first run warms this JVM up; the second is the one compared.
            b.execute(b.record("spec", b.plan("spec", SPEC.formatted("warm-up"))), 1, TrialListener.NONE, new AtomicBoolean());
            BatchService.Batch local = b.record("spec", b.plan("spec", SPEC.formatted("in-process")));
            Map<Long, RunStatus> localEnd = b.execute(local, 1, TrialListener.NONE, new AtomicBoolean());
            assertThat(localEnd.values()).hasSize(1).containsOnly(RunStatus.FINISHED);

            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("worker.log").toFile()).start();
            try {
                assertThat(cluster.awaitWorkers(1, Duration.ofSeconds(90))).as("the child worker joined; log:%n%s", log(dir)).isTrue();
                BatchService.Batch remote = b.record("spec", b.plan("spec", SPEC.formatted("cold-worker")));
                Map<Long, RunStatus> remoteEnd = b.execute(remote, cluster, TrialListener.NONE, new AtomicBoolean());
                assertThat(remoteEnd.values()).as("log:%n%s", log(dir)).hasSize(1).containsOnly(RunStatus.FINISHED);
                long l = local.runIds().getFirst(), r = remote.runIds().getFirst();
                assertThat(coord.store().runs().get(r).orElseThrow().owner().pid()).as("trained by the child").isEqualTo(child.pid());
                List<String> lp = ClusterSweepTest.points(coord, l);
                assertThat(lp).as("the trial logged").hasSizeGreaterThan(10);
                assertThat(ClusterSweepTest.points(coord, r)).as("cold worker vs in-process").isEqualTo(lp);
            } finally {
                child.destroy();
                if (!child.waitFor(20, TimeUnit.SECONDS)) child.destroyForcibly();
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
