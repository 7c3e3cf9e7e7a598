package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A model that cannot fit in the heap is a bad spec: refused before anything is recorded. */
class RunCommandMemoryTest {

    @Test
    void an_mlp_too_large_for_the_heap_exits_2_with_the_estimate_and_the_limit_and_records_nothing(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("huge.json"), """
                {"name":"huge","family":"mlp","dataset":"mnist-10k","epochs":1,"params":{"hidden":[65536,65536]}}""");
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("huge.json").contains("$.params:").contains("needs an estimated")
                .contains("parameters 16.2 GiB").contains("more than the limit of").contains("-Xmx");
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.runs().list(RunQuery.all())).isEmpty();
                assertThat(store.experiments().list()).isEmpty();
            }
        }
    }

    @Test
    void a_normal_mlp_on_the_same_data_is_planned_and_trained(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("small.json"), """
                {"name":"small","family":"mlp","dataset":"mnist-10k","epochs":1,"params":{"hidden":[32],"valFraction":0.5}}""");
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (Store store = Store.open(db)) {
            assertThat(store.runs().list(RunQuery.all())).hasSize(1);
        }
    }
}
