package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Convolutional networks too large for the heap are refused at planning, with the estimate, and nothing is recorded. */
class ConvMemoryRefusalTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"family\":\"cnn\",\"params\":{\"layers\":\"conv3x3x1024p1,relu,conv3x3x1024p1,relu,fc10\",\"batchSize\":65536}}",
            "{\"family\":\"resnet\",\"params\":{\"depth\":110,\"batchSize\":65536}}"})
    void an_oversized_conv_net_exits_2_with_the_estimate_and_records_nothing(String spec, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("huge.json"), "{\"name\":\"huge\",\"dataset\":\"mnist-10k\",\"epochs\":1," + spec.substring(1));
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", file.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("data").toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("huge.json").contains("$.params:").contains("needs an estimated").contains("activations")
                .contains("more than the limit of");
        if (Files.exists(db)) {
            try (Store store = Store.open(db)) {
                assertThat(store.runs().list(RunQuery.all())).isEmpty();
            }
        }
    }
}
