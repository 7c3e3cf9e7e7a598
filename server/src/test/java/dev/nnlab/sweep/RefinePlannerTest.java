package dev.nnlab.sweep;

import dev.nnlab.spi.CommonParams;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RefinePlannerTest {

    private static final String COARSE = """
            {"name":"coarse","family":"softmax","dataset":"spirals","epochs":2,
             "params":{"optimizer":"sgd"},
             "grid":{"batchSize":[16,64]},
             "random":{"trials":8,"seed":3,"params":{"lr":{"logUniform":[1e-4,1.0]},"momentum":{"uniform":[0.0,0.9]}}},
             "lesson":{"claim":"x","source":"y","checks":[]}}""";

    @Test
    void the_finer_search_spans_the_best_runs_in_log_space_and_keeps_the_rest_of_the_spec() {
        ExperimentSpec coarse = ExperimentSpec.parse("coarse", COARSE);
        List<RefinePlanner.Scored> runs = new ArrayList<>();
        double[] lrs = {1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1, 1.0};
        double[] acc = {0.50, 0.55, 0.60, 0.70, 0.90, 0.92, 0.91, 0.40};
        for (int i = 0; i < lrs.length; i++) {
            runs.add(new RefinePlanner.Scored(i + 1, Map.of("lr", lrs[i], "momentum", 0.1 * i, "batchSize", i % 2 == 0 ? 16 : 64,
                    "optimizer", "sgd"), acc[i]));
        }
        RefinePlanner r = RefinePlanner.plan(coarse, CommonParams.SCHEMA, runs, "val_acc", false, 6, "coarse-refined");

        var doc = r.document();
        assertThat(doc.get("name").asText()).isEqualTo("coarse-refined");
        assertThat(doc.has("lesson")).isFalse();
        assertThat(doc.has("grid")).isFalse();
        assertThat(doc.get("random").get("trials").asInt()).isEqualTo(6);
        // Best three by val_acc: lr 1e-2, 3e-2, 1e-1: log10 span [-2, -1] widened by 0.25 each side.
        var lr = doc.get("random").get("params").get("lr").get("logUniform");
        assertThat(Math.log10(lr.get(0).asDouble())).isCloseTo(-2.25, within(1e-9));
        assertThat(Math.log10(lr.get(1).asDouble())).isCloseTo(-0.75, within(1e-9));
        // momentum 0.4, 0.5, 0.6 on a linear scale: [0.35, 0.65].
        var m = doc.get("random").get("params").get("momentum").get("uniform");
        assertThat(m.get(0).asDouble()).isCloseTo(0.35, within(1e-9));
        assertThat(m.get(1).asDouble()).isCloseTo(0.65, within(1e-9));
        // The best runs used both batch sizes: a choice of those.
        assertThat(doc.get("random").get("params").get("batchSize").get("choice").toString()).as("best run first").isEqualTo("[64,16]");
        assertThat(r.explanation().getFirst()).contains("best 3 of 8 finished runs by val_acc (highest): #6 0.9200, #7 0.9100, #5 0.9000");
        assertThat(String.join("\n", r.explanation())).contains("lr: logUniform").contains("log scale");
        // The refined spec plans.
        List<Trial> trials = SweepPlanner.plan("refined", ExperimentSpec.parse("refined", doc.toString()), CommonParams.SCHEMA);
        assertThat(trials).hasSize(6).allSatisfy(t -> assertThat(((Number) t.params().get("lr")).doubleValue()).isBetween(0.0056, 0.18));
    }

    @Test
    void a_best_value_at_the_edge_of_the_coarse_range_widens_past_it() {
        ExperimentSpec coarse = ExperimentSpec.parse("coarse", COARSE);
        List<RefinePlanner.Scored> runs = new ArrayList<>();
        double[] lrs = {1e-4, 3e-4, 1e-3, 1e-2, 1e-1, 1.0};
        for (int i = 0; i < lrs.length; i++) runs.add(new RefinePlanner.Scored(i + 1, Map.of("lr", lrs[i], "momentum", 0.5, "batchSize", 16), lrs[i]));
        // Lower is better here: the three smallest lrs are best, and 1e-4 is the coarse range's lower edge.
        RefinePlanner r = RefinePlanner.plan(coarse, CommonParams.SCHEMA, runs, "val_loss", true, 4, "x");
        var lr = r.document().get("random").get("params").get("lr").get("logUniform");
        assertThat(Math.log10(lr.get(0).asDouble())).isCloseTo(-4.25, within(1e-9));
        assertThat(Math.log10(lr.get(1).asDouble())).isCloseTo(-2.75, within(1e-9));
        // One value among the best: half its size on each side (a quarter of the coarse range would be less).
        var m = r.document().get("random").get("params").get("momentum").get("uniform");
        assertThat(m.get(0).asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(m.get(1).asDouble()).isCloseTo(0.75, within(1e-9));
    }

    @Test
    void too_few_runs_are_refused() {
        ExperimentSpec coarse = ExperimentSpec.parse("coarse", COARSE);
        assertThatThrownBy(() -> RefinePlanner.plan(coarse, CommonParams.SCHEMA,
                List.of(new RefinePlanner.Scored(1, Map.of("lr", 0.1), 0.5)), "val_acc", false, 4, "x"))
                .hasMessageContaining("has 1 finished run(s) with val_acc; refining needs at least 3");
    }
}
