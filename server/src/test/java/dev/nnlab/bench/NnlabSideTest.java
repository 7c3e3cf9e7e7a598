package dev.nnlab.bench;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** nnlab's side: which workloads it can run, and a real child JVM on the shipped mnist-10k. */
class NnlabSideTest {
    @TempDir
    Path dir;

    @Test
    void a_workload_whose_family_is_not_loaded_is_missing_naming_the_family_and_what_is_loaded() {
        String why = NnlabSide.missingReason(Workload.W3, Set.of("softmax", "mlp"));
        assertThat(why).contains("'cnn'").contains("loaded: mlp, softmax");
        assertThat(NnlabSide.missingReason(Workload.W1, Set.of("mlp"))).contains("'softmax'");
    }

    @Test
    void every_workload_has_an_nnlab_runner_once_its_family_is_loaded() {
        for (Workload w : Workload.ALL) {
            java.util.Set<String> loaded = w.nnlabFamily().equals("kernel") ? Set.of() : Set.of(w.nnlabFamily());
            assertThat(NnlabSide.missingReason(w, loaded)).as(w.id()).isNull();
        }
    }

    @Test
    void w1_and_w2_warm_up_as_many_steps_on_the_peer_as_on_nnlab() {
        // nnlab's timed run starts after WARMUP_STEPS steps of a throw-away model (C2 compiles the kernels then);
        // the PyTorch script gets the same count, so neither side times set-up the other leaves out.
        for (Workload w : List.of(Workload.W1, Workload.W2)) {
            String args = String.join(" ", w.peerArgs());
            assertThat(args).as(w.id()).contains("--warmup-steps " + NnlabWorkloadMain.WARMUP_STEPS);
        }
        // Whole epochs of batches from the first 60,000 samples.
        assertThat(NnlabWorkloadMain.WARMUP_STEPS % NnlabWorkloadMain.WARMUP_EPOCHS).isZero();
        assertThat(NnlabWorkloadMain.WARMUP_STEPS / NnlabWorkloadMain.WARMUP_EPOCHS * 64).isLessThanOrEqualTo(60_000);
    }

    @Test
    void the_child_jvm_gets_the_threads_the_data_and_the_plugins() {
        BenchSettings s = new BenchSettings(dir.resolve("data"), dir.resolve("plugins"), 3, 1, false, 1, 0, "mnist-10k");
        List<String> cmd = NnlabSide.command(Workload.W1, s);
        assertThat(cmd).contains(NnlabWorkloadMain.class.getName()).anySatisfy(a -> assertThat(a).contains("jdk.incubator.vector"));
        assertThat(String.join(" ", cmd)).contains("--workload W1").contains("--threads 3").contains("--epochs 1")
                .contains("--dataset mnist-10k").contains("--plugins " + dir.resolve("plugins"));
    }

    @Test
    void the_image_workloads_run_in_the_heap_the_planner_would_give_them_and_the_others_in_the_default() {
        dev.nnlab.host.PluginRegistry plugins = dev.nnlab.host.PluginRegistry.load(PluginJars.builtInPlugins());
        NnlabSide side = new NnlabSide(plugins);
        dev.nnlab.spi.ModelFamily resnet = plugins.family("resnet").family();
        long estimate = resnet.estimateMemory(resnet.params().resolve(new java.util.HashMap<>(ImageWorkload.W4.params()), "$"),
                new int[] {1, 32, 32}, 10).total();
        long heap = ImageWorkload.W4.plannedHeapBytes(resnet);
        // 70,000 padded images as floats (287 MB), the 60,000 training images as pixel codes (61 MB), the estimate
        // within MemoryBudget's share, the slack
        assertThat(heap).isEqualTo(70_000L * 32 * 32 * 4 + 60_000L * 32 * 32 + (long) Math.ceil(estimate / dev.nnlab.runs.MemoryBudget.SHARE)
                + ImageWorkload.SLACK_BYTES);
        assertThat(heap).as("W4: ResNet-20 at batch 128 needs more than a GiB, far less than a quarter of this machine")
                .isBetween(1L << 30, 3L << 30);
        String w4 = side.heapOption(Workload.W4);
        assertThat(w4).isEqualTo("-Xmx" + ((heap + (1 << 20) - 1) >> 20) + "m");
        BenchSettings s = new BenchSettings(dir.resolve("data"), dir.resolve("plugins"), 2, 1, false, null, 0, null);
        List<String> cmd = NnlabSide.command(Workload.W4, s, w4);
        assertThat(cmd).contains(w4).filteredOn(a -> a.startsWith("-Xmx")).containsExactly(w4);
        assertThat(side.heapOption(Workload.W1)).isNull();
        assertThat(new NnlabSide(null).heapOption(Workload.W4)).isNull();
    }

    @Test
    void the_kernels_and_the_job_of_the_nnlab_side_use_exactly_the_threads_asked_for() {
        for (int threads : new int[] {1, 2}) {
            BenchSettings s = new BenchSettings(dir.resolve("no-data"), PluginJars.builtInPlugins(), threads, 1, false, 1, 0,
                    "mnist-10k");
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            Measurement m = new NnlabSide(null).measure(Workload.W1, s, 1, new PrintStream(log, true));
            assertThat(m.status()).as(m.reason() + "\n" + log).isEqualTo(Measurement.Status.OK);
            assertThat(m.extra()).containsEntry("kernel_threads", threads).containsEntry("job_threads", threads)
                    .containsEntry("epochs", 1);
            assertThat(m.throughput()).isPositive();
            assertThat(m.quality()).isBetween(0.5, 1.0); // one epoch of softmax on 9,000 digits
            assertThat(m.peakRssKib()).isPositive();
            assertThat(m.usage().selfCpuSeconds()).isPositive();
        }
    }

    @Test
    void a_child_that_fails_is_a_failed_measurement_with_its_reason() {
        BenchSettings s = new BenchSettings(dir.resolve("no-data"), PluginJars.builtInPlugins(), 1, 1, false, 1, 0, null);
        Measurement m = new NnlabSide(null).measure(Workload.W1, s, 1, new PrintStream(new ByteArrayOutputStream(), true));
        assertThat(m.status()).isEqualTo(Measurement.Status.FAILED);
        assertThat(m.reason()).contains("mnist");
    }
}
