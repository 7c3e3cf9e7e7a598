package dev.nnlab.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginJars;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.SqliteDialect;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.sweep.SweepOptions;
import dev.nnlab.sweep.Trial;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Successive halving end to end on generated data, and what its planning refuses. */
class SuccessiveHalvingTest {
    @TempDir
    static Path dir;
    static PluginRegistry plugins;

    @BeforeAll
    static void load() {
        plugins = PluginRegistry.load(PluginJars.builtInPlugins());
    }

    private static BatchService batches(Store store) {
        return new BatchService(store, plugins, new DataCache(new DatasetCatalog(dir.resolve("data"))), "test", null);
    }

    private static final String SPEC = """
            {"name":"halving","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","logEvery":5},
             "random":{"trials":4,"seed":1,"params":{"lr":{"logUniform":[1e-4,1.0]}}},
             "seeds":[1,2],
             "halving":{"metric":"train_loss","keep":0.5,"epochs":[1,2]}}""";

    @Test
    void every_trial_trains_briefly_and_the_better_half_trains_longer_from_its_seed() throws Exception {
        try (Store store = Store.open(new SqliteDialect(dir.resolve("halving.db")), Store.Options.defaults())) {
            BatchService b = batches(store);
            BatchService.Batch batch = b.record("spec", b.plan("spec", SPEC));
            assertThat(batch.runIds()).as("rung 0: 4 trials x 2 seeds").hasSize(8);
            List<String> notes = new ArrayList<>();
            Map<Long, RunStatus> out = b.execute(batch, 1, new TrialListener() {
                @Override public void onNote(String message) { notes.add(message); }
            }, new AtomicBoolean());

            assertThat(out).hasSize(12).allSatisfy((id, s) -> assertThat(s).isEqualTo(RunStatus.FINISHED));
            List<Long> rung1 = out.keySet().stream().filter(id -> !batch.runIds().contains(id)).toList();
            assertThat(rung1).hasSize(4);
            // The kept configurations: the two lrs with the lowest mean last train_loss over their two seeds.
            Map<Double, List<Double>> lossByLr = new LinkedHashMap<>();
            for (long id : batch.runIds()) {
                Run r = store.runs().get(id).orElseThrow();
                double lr = r.config().get("params").get("lr").asDouble();
                lossByLr.computeIfAbsent(lr, k -> new ArrayList<>()).add(last(store, id, "train_loss"));
                assertThat(r.config().get("sweep").get("rung").asInt()).isZero();
                assertThat(r.config().get("params").get("epochs").asInt()).isEqualTo(1);
            }
            List<Double> best = lossByLr.entrySet().stream()
                    .sorted(Comparator.comparingDouble(e -> e.getValue().stream().mapToDouble(Double::doubleValue).average().orElseThrow()))
                    .limit(2).map(Map.Entry::getKey).toList();
            for (long id : rung1) {
                Run r = store.runs().get(id).orElseThrow();
                JsonNode c = r.config();
                assertThat(c.get("sweep").get("rung").asInt()).isEqualTo(1);
                assertThat(c.get("sweep").get("promotedFrom")).hasSize(2);
                assertThat(c.get("params").get("epochs").asInt()).isEqualTo(2);
                assertThat(best).contains(c.get("params").get("lr").asDouble());
                assertThat(r.name()).endsWith("[rung 1]");
                assertThat(store.metrics().series(id, "train_acc")).as("trained 2 epochs").hasSize(2);
            }
            assertThat(notes).singleElement().asString().startsWith("rung 0 -> 1: kept 2 of 4 configuration(s) (keep 0.50) by lowest train_loss");

            SweepInsights.Rungs rungs = new SweepInsights(store, plugins).rungs(batch.experiment().id());
            assertThat(rungs.rungs()).hasSize(2);
            assertThat(rungs.rungs().get(0).runs().stream().filter(x -> Boolean.TRUE.equals(x.promoted())).count()).isEqualTo(4);
            assertThat(rungs.rungs().get(1).runs()).allSatisfy(x -> assertThat(x.promoted()).isNull());
        }
    }

    private static double last(Store store, long id, String key) {
        return store.metrics().summaries(id).stream().filter(m -> m.key().equals(key)).mapToDouble(MetricSummary::last).findFirst().orElseThrow();
    }

    @Test
    void a_configuration_whose_run_did_not_finish_is_not_promoted() {
        SweepOptions.Halving h = new SweepOptions.Halving("val_acc", 0.5, List.of(1, 3));
        List<Trial> trials = List.of(
                new Trial(0, "a", Map.of(), Map.of("lr", 0.1, "seed", 1, "epochs", 1)),
                new Trial(1, "b", Map.of(), Map.of("lr", 0.01, "seed", 1, "epochs", 1)),
                new Trial(2, "c", Map.of(), Map.of("lr", 0.001, "seed", 1, "epochs", 1)),
                new Trial(3, "d", Map.of(), Map.of("lr", 1.0, "seed", 1, "epochs", 1)));
        Map<Long, Double> score = Map.of(10L, 0.8, 11L, 0.9, 12L, 0.7, 13L, Double.NaN);
        RungPromotion p = RungPromotion.choose(h, 0, trials, List.of(10L, 11L, 12L, 13L), score);
        assertThat(p.promoted()).extracting(Trial::label).containsExactly("b", "a");
        assertThat(p.from()).containsExactly(List.of(11L), List.of(10L));
        assertThat(p.summary()).contains("kept 2 of 4").contains("best 0.9000, cut-off 0.8000").contains("1 not ranked");
    }

    @Test
    void planning_refuses_halving_it_cannot_run() {
        try (Store store = Store.open(new SqliteDialect(dir.resolve("refused.db")), Store.Options.defaults())) {
            BatchService b = batches(store);
            assertThatThrownBy(() -> b.plan("s", """
                    {"name":"x","family":"softmax","dataset":"spirals","halving":{"metric":"val_acc","epochs":[1,2]}}"""))
                    .isInstanceOf(SpecException.class).hasMessageContaining("$.halving: successive halving chooses among the trials of a random search");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"logEvery\":5", "\"logEvery\":5,\"epochs\":3")))
                    .hasMessageContaining("$.params.epochs: is set by $.halving.epochs");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("[1,2]", "[2,2]")))
                    .hasMessageContaining("$.halving.epochs[1]: 2 is not allowed; each rung trains longer than the one before (2)");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"keep\":0.5", "\"keep\":1.5")))
                    .hasMessageContaining("$.halving.keep: 1.5 is not allowed");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"train_loss\"", "\"test_acc\"")))
                    .hasMessageContaining("$.halving.metric: the string \"test_acc\" is not allowed; expected one of [val_acc, val_loss, train_acc, train_loss]");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"train_loss\"", "\"val_acc\"").replace("\"logEvery\":5", "\"logEvery\":5,\"valFraction\":0")))
                    .hasMessageContaining("$.halving.metric: \"val_acc\" needs a validation part, and valFraction is 0");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"trials\":4", "\"trials\":1")))
                    .hasMessageContaining("$.random.trials: 1 trial leaves nothing to choose");
            assertThatThrownBy(() -> b.plan("s", SPEC.replace("\"halving\":{", "\"abortExploding\":1,\"halving\":{")))
                    .hasMessageContaining("$.abortExploding: 1 is not allowed; expected true or false");
        }
    }
}
