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
    void the_child_jvm_gets_the_threads_the_data_and_the_plugins() {
        BenchSettings s = new BenchSettings(dir.resolve("data"), dir.resolve("plugins"), 3, 1, false, 1, 0, "mnist-10k");
        List<String> cmd = NnlabSide.command(Workload.W1, s);
        assertThat(cmd).contains(NnlabWorkloadMain.class.getName()).anySatisfy(a -> assertThat(a).contains("jdk.incubator.vector"));
        assertThat(String.join(" ", cmd)).contains("--workload W1").contains("--threads 3").contains("--epochs 1")
                .contains("--dataset mnist-10k").contains("--plugins " + dir.resolve("plugins"));
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
