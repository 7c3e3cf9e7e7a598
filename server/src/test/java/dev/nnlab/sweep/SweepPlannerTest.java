package dev.nnlab.sweep;

import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.spi.ParamSpec;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepPlannerTest {
    static final ParamSchema SCHEMA = CommonParams.SCHEMA.with(List.of(
            ParamSpec.ofFloat("dropout", 0.0, "drop probability").min(0, true).max(1, false),
            ParamSpec.ofIntList("hidden", List.of(100), "widths"),
            ParamSpec.ofChoice("init", "he", List.of("gaussian", "xavier", "he"), "init"),
            ParamSpec.ofFloat("initStd", 0.01, "std").min(0, true)));

    static List<Trial> plan(String json) {
        return SweepPlanner.plan("spec.json", ExperimentSpec.parse("spec.json", json), SCHEMA);
    }

    @Test
    void grid_times_random_times_seeds_gives_every_combination() {
        List<Trial> trials = plan("""
                {"name":"m","family":"softmax","dataset":"mnist-10k","epochs":5,
                 "params":{"optimizer":"momentum","lr":0.1,"batchSize":64},
                 "grid":{"momentum":[0.0,0.9],"batchSize":[16,64,256]},
                 "random":{"trials":4,"params":{"lr":{"logUniform":[1e-4,1.0]}}},
                 "seeds":[1,2,3]}""");
        assertThat(trials).hasSize(2 * 3 * 4 * 3);
        Set<String> combos = new HashSet<>();
        for (Trial t : trials) {
            assertThat(t.params().get("epochs")).isEqualTo(5);
            assertThat(t.params().get("optimizer")).isEqualTo("momentum");
            double lr = (Double) t.params().get("lr");
            assertThat(lr).isBetween(1e-4, 1.0);
            combos.add(t.params().get("momentum") + "/" + t.params().get("batchSize") + "/" + lr + "/" + t.seed());
        }
        assertThat(combos).hasSize(trials.size());
        assertThat(trials.get(0).params()).containsKeys("weightDecay", "schedule", "clipNorm", "dropout", "hidden");
    }

    @Test
    void random_search_is_reproducible_and_log_uniform_covers_the_decades() {
        String spec = """
                {"name":"r","family":"mlp","dataset":"spirals",
                 "random":{"trials":400,"seed":7,"params":{"lr":{"logUniform":[1e-4,1.0]}}}}""";
        List<Trial> a = plan(spec), b = plan(spec);
        assertThat(a).extracting(t -> t.params().get("lr")).isEqualTo(b.stream().map(t -> t.params().get("lr")).toList());
        long belowMilli = a.stream().filter(t -> (Double) t.params().get("lr") < 1e-3).count();
        // a quarter of the log range: about 100 of 400 draws; a linear draw would give ~0.4
        assertThat(belowMilli).isBetween(60L, 140L);
    }

    @Test
    void a_bad_grid_value_names_its_own_json_path() {
        assertThatThrownBy(() -> plan("""
                {"name":"x","family":"mlp","dataset":"spirals","grid":{"batchSize":[16,0]}}"""))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("spec.json")
                .hasMessageContaining("$.grid.batchSize[1]")
                .hasMessageContaining("0")
                .hasMessageContaining(">= 1");
    }

    @Test
    void out_of_range_values_are_refused_with_what_is_allowed() {
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"params\":{\"lr\":0}}"))
                .hasMessageContaining("$.params.lr").hasMessageContaining("> 0");
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"params\":{\"dropout\":1.0}}"))
                .hasMessageContaining("$.params.dropout").hasMessageContaining("< 1");
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"params\":{\"lr\":\"fast\"}}"))
                .hasMessageContaining("$.params.lr").hasMessageContaining("\"fast\"").hasMessageContaining("a number");
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"params\":{\"optimizer\":\"adamax\"}}"))
                .hasMessageContaining("$.params.optimizer").hasMessageContaining("sgd");
    }

    @Test
    void unknown_parameters_empty_grids_and_bad_ranges_are_refused() {
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"params\":{\"learningRate\":0.1}}"))
                .hasMessageContaining("$.params.learningRate").hasMessageContaining("unknown parameter");
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"grid\":{\"lr\":[]}}"))
                .hasMessageContaining("$.grid.lr").hasMessageContaining("empty");
        assertThatThrownBy(() -> plan("{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"grid\":{}}"))
                .hasMessageContaining("$.grid").hasMessageContaining("empty grid");
        assertThatThrownBy(() -> plan("""
                {"name":"x","family":"f","dataset":"d","random":{"trials":2,"params":{"lr":{"logUniform":[0,1]}}}}"""))
                .hasMessageContaining("$.random.params.lr.logUniform").hasMessageContaining("low > 0");
        assertThatThrownBy(() -> plan("""
                {"name":"x","family":"f","dataset":"d","random":{"trials":2,"params":{"batchSize":{"uniform":[0,8]}}}}"""))
                .hasMessageContaining("$.random.params.batchSize.uniform[0]");
    }

    @Test
    void malformed_json_names_line_and_column() {
        assertThatThrownBy(() -> ExperimentSpec.parse("bad.json", "{\"name\": \"x\",\n \"family\": }"))
                .isInstanceOf(SpecException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("malformed JSON").hasMessageContaining("line 2");
    }

    @Test
    void missing_required_fields_are_named() {
        assertThatThrownBy(() -> ExperimentSpec.parse("s.json", "{\"name\":\"x\",\"dataset\":\"d\"}"))
                .hasMessageContaining("$.family").hasMessageContaining("required");
        assertThatThrownBy(() -> ExperimentSpec.parse("s.json", "{\"name\":\"x\",\"family\":\"f\",\"dataset\":\"d\",\"grd\":{}}"))
                .hasMessageContaining("$.grd").hasMessageContaining("unknown field");
    }

    @Test
    void variants_pair_values_that_belong_together_and_multiply_with_the_grid() {
        List<Trial> trials = plan("""
                {"name":"init","family":"mlp","dataset":"spirals",
                 "grid":{"batchSize":[32,64]},
                 "variants":[{"init":"gaussian","initStd":0.01},{"init":"gaussian","initStd":1.0},{"init":"xavier"}]}""");
        assertThat(trials).hasSize(6);
        assertThat(trials).extracting(t -> t.params().get("init") + "/" + t.params().get("initStd") + "/" + t.params().get("batchSize"))
                .containsExactly("gaussian/0.01/32", "gaussian/1.0/32", "xavier/0.01/32", "gaussian/0.01/64", "gaussian/1.0/64", "xavier/0.01/64");
        assertThatThrownBy(() -> plan("""
                {"name":"x","family":"f","dataset":"d","variants":[{"init":"gaussian"},{"initStd":-1}]}"""))
                .hasMessageContaining("$.variants[1].initStd").hasMessageContaining(">= 0");
    }
}
