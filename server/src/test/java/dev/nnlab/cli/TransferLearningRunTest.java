package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.RunConfig;
import dev.nnlab.store.Artifact;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** initFrom end to end: the planner resolves the run to its checkpoint's SHA-256, or refuses with exit 2 and nothing recorded. */
class TransferLearningRunTest {
    private static final String STACK = "conv3x3x4p1,relu,maxpool2,fc16,relu,fc10";

    private static CliRun run(Path dir, String name, String params) throws Exception {
        Path spec = Files.writeString(dir.resolve(name + ".json"), "{\"name\":\"" + name + "\",\"family\":\"cnn\",\"dataset\":\"mnist-10k\","
                + "\"params\":{\"trainSamples\":100,\"epochs\":1,\"batchSize\":50," + params + "}}");
        return CliRun.of("run", spec.toString(), "--db", dir.resolve("store.db").toString(), "--plugins",
                PluginJars.builtInPlugins().toString(), "--data-dir", dir.resolve("no-data").toString());
    }

    @Test
    void a_run_starts_from_a_finished_runs_weights_and_records_the_run_and_their_sha256(@TempDir Path dir) throws Exception {
        CliRun source = run(dir, "source", "\"layers\":\"" + STACK + "\"");
        assertThat(source.exitCode()).as(source.err()).isZero();

        CliRun tuned = run(dir, "tuned", "\"layers\":\"" + STACK + "\",\"initFrom\":1,\"trainLast\":1");
        assertThat(tuned.exitCode()).as(tuned.err()).isZero();
        try (Store store = Store.open(dir.resolve("store.db"))) {
            Artifact weights = store.artifacts().get(1, "final_weights.ckpt").orElseThrow();
            var run = store.runs().get(2).orElseThrow();
            assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
            RunConfig config = RunConfig.fromJson(run.config());
            assertThat(config.initFrom().run()).isEqualTo(1);
            assertThat(config.initFrom().sha256()).isEqualTo(weights.sha256());
            assertThat(config.params()).containsEntry("initFrom", 1).containsEntry("trainLast", 1);
        }

        // Refusals: exit 2 at $.params.initFrom, nothing recorded.
        String[][] bad = {
                {"\"layers\":\"" + STACK + "\",\"initFrom\":99", "99 is not a run of this store"},
                {"\"layers\":\"conv3x3x8p1,relu,maxpool2,fc16,relu,fc10\",\"initFrom\":1",
                        "conv0.weight is [4, 1, 3, 3] in its weights but [8, 1, 3, 3] in this network"},
                {"\"layers\":\"" + STACK + "\",\"initFrom\":3", "has no final_weights.ckpt"}};
        try (Store store = Store.open(dir.resolve("store.db"))) {
            // Run 3: recorded but never trained, so it has no weights.
            long e = store.experiments().getOrCreate("queued", JsonNodeFactory.instance.objectNode()).id();
            JsonNode config = new RunConfig("cnn", "mnist-10k", null, Map.of(), null).toJson();
            assertThat(store.runs().create(new NewRun(e, "queued", "cnn", Provenance.UNKNOWN, config, Map.of())).id()).isEqualTo(3);
        }
        for (String[] b : bad) {
            CliRun r = run(dir, "bad", b[0]);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("$.params.initFrom").contains(b[1]).doesNotContain("\tat ");
        }
        try (Store store = Store.open(dir.resolve("store.db"))) {
            assertThat(store.runs().list(RunQuery.all())).hasSize(3);
        }
    }
}
