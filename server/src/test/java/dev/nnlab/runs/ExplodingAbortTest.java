package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginJars;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.SqliteDialect;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** abortExploding: the notes' rule, a run whose loss exceeds 3x its start is stopped, with the reason. */
class ExplodingAbortTest {
    @TempDir
    Path dir;

    @Test
    void the_rule_fires_above_three_times_the_start_and_not_at_it() {
        RecordingSink inner = new RecordingSink();
        ExplodingLossAbort sink = new ExplodingLossAbort(inner);
        sink.metric("initial_loss", 0, 0, 2.0);
        sink.metric("train_loss", 5, 0.5, 6.0);
        assertThat(sink.stopRequested()).as("exactly 3x is not above 3x").isFalse();
        sink.metric("train_loss", 10, 1.0, 6.01);
        assertThat(sink.stopRequested()).isTrue();
        assertThat(sink.reason()).isEqualTo("aborted: train_loss 6.010 at step 10 (epoch 1.00) exceeds 3x its start 2.000");
        assertThat(inner.events()).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo("aborted_exploding"));
        assertThat(inner.metrics()).hasSize(3);

        ExplodingLossAbort withoutInitial = new ExplodingLossAbort(new RecordingSink());
        withoutInitial.metric("train_loss", 1, 0.1, 1.0);
        withoutInitial.metric("train_loss", 2, 0.2, Double.NaN);
        assertThat(withoutInitial.stopRequested()).as("the first train_loss is the start; NaN counts as exploded").isTrue();
    }

    @Test
    void a_run_whose_loss_explodes_is_stopped_and_a_sane_one_finishes() throws Exception {
        try (Store store = Store.open(new SqliteDialect(dir.resolve("abort.db")), Store.Options.defaults())) {
            BatchService b = new BatchService(store, PluginRegistry.load(PluginJars.builtInPlugins()),
                    new DataCache(new DatasetCatalog(dir.resolve("data"))), "test", null);
            // An MLP on spirals with plain SGD: lr 0.05 learns, lr 30 throws the loss far above its start.
            String spec = """
                    {"name":"abort","family":"mlp","dataset":"spirals","epochs":3,"abortExploding":true,
                     "params":{"optimizer":"sgd","hidden":[32],"batchSize":16,"logEvery":2,"seed":1},
                     "grid":{"lr":[0.05,30.0]}}""";
            BatchService.Batch batch = b.record("spec", b.plan("spec", spec));
            Map<Long, RunStatus> out = b.execute(batch, 1, TrialListener.NONE, new AtomicBoolean());

            Run sane = store.runs().get(batch.runIds().get(0)).orElseThrow();
            Run wild = store.runs().get(batch.runIds().get(1)).orElseThrow();
            assertThat(sane.status()).isEqualTo(RunStatus.FINISHED);
            assertThat(store.events().list(sane.id())).noneMatch(e -> e.code().equals("aborted_exploding"));
            assertThat(wild.status()).isEqualTo(RunStatus.STOPPED);
            assertThat(wild.error()).startsWith("aborted: train_loss").contains("exceeds 3x its start");
            assertThat(store.events().list(wild.id())).anyMatch(e -> e.code().equals("aborted_exploding"));
            assertThat(wild.config().get("sweep").get("abortExploding").asBoolean()).isTrue();
            assertThat(out.values()).containsExactly(RunStatus.FINISHED, RunStatus.STOPPED);
        }
    }
}
