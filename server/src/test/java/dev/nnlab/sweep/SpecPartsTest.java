package dev.nnlab.sweep;

import dev.nnlab.lessons.Lesson;
import dev.nnlab.lessons.LessonPlanCheck;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.sweep.SweepPlannerTest.SCHEMA;
import static dev.nnlab.sweep.SweepPlannerTest.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An experiment of several searches: each part planned from the shared params, trials in part order, each naming its part. */
class SpecPartsTest {
    private static final String GRID_AND_RANDOM = """
            {"name":"s","family":"mlp","dataset":"mnist-10k","epochs":2,"params":{"optimizer":"sgd","lr":0.1},"seeds":[1],
             "parts":[{"name":"grid","grid":{"lr":[0.01,0.1],"dropout":[0.0,0.5]}},
                      {"name":"random","params":{"batchSize":32},"random":{"trials":4,"seed":3,"params":{"lr":{"logUniform":[0.001,1.0]}}}}]%s}""";

    @Test
    void each_part_is_planned_from_the_shared_params_and_its_own_search_in_order() {
        List<Trial> trials = plan(GRID_AND_RANDOM.formatted(""));
        assertThat(trials).hasSize(8);
        assertThat(trials).extracting(Trial::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(trials.subList(0, 4)).allSatisfy(t -> {
            assertThat(t.varied().get(SpecParts.KEY)).isEqualTo("grid");
            assertThat(t.params().get("batchSize")).isEqualTo(64);
            assertThat(t.label()).startsWith("part=grid ");
        });
        assertThat(trials.subList(4, 8)).allSatisfy(t -> {
            assertThat(t.varied().get(SpecParts.KEY)).isEqualTo("random");
            assertThat(t.params().get("batchSize")).isEqualTo(32);
            assertThat((Double) t.params().get("lr")).isBetween(0.001, 1.0);
            assertThat(t.params().get("epochs")).isEqualTo(2);
            assertThat(t.params()).doesNotContainKey(SpecParts.KEY);   // the family never sees it
        });
        assertThat(trials.get(0).params().get("lr")).isEqualTo(0.01);
    }

    @Test
    void a_lesson_group_may_select_a_part_and_a_part_that_does_not_exist_is_refused_when_planned() throws Exception {
        ExperimentSpec spec = ExperimentSpec.parse("spec.json", GRID_AND_RANDOM.formatted(""));
        List<Trial> trials = SweepPlanner.plan("spec.json", spec, SCHEMA);
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        Lesson ok = Lesson.parse("spec.json", json.readTree("""
                {"claim":"c","source":"s","checks":[{"statistic":"val_acc","aggregate":"max","trials":4,"group":{"part":"random"},"compare":">","other":{"part":"grid"}}]}"""));
        LessonPlanCheck.validate("spec.json", ok, trials, SCHEMA);
        Lesson missing = Lesson.parse("spec.json", json.readTree("""
                {"claim":"c","source":"s","checks":[{"statistic":"val_acc","group":{"part":"fine"},"compare":">","value":0.5}]}"""));
        assertThatThrownBy(() -> LessonPlanCheck.validate("spec.json", missing, trials, SCHEMA))
                .isInstanceOf(SpecException.class).hasMessageContaining("$.lesson.checks[0].group").hasMessageContaining("part=fine")
                .hasMessageContaining("[grid, random]");
        Lesson tooMany = Lesson.parse("spec.json", json.readTree("""
                {"claim":"c","source":"s","checks":[{"statistic":"val_acc","aggregate":"max","trials":5,"group":{"part":"grid"},"compare":">","value":0.5}]}"""));
        assertThatThrownBy(() -> LessonPlanCheck.validate("spec.json", tooMany, trials, SCHEMA))
                .isInstanceOf(SpecException.class).hasMessageContaining("$.lesson.checks[0].trials").hasMessageContaining("4 planned trial(s)");
    }

    @Test
    void bad_parts_are_refused_at_their_json_path() {
        String[][] cases = {
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"grid\":{\"lr\":[0.1]},\"parts\":[{\"name\":\"a\"}]}", "$.grid", "beside \"parts\""},
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"parts\":[]}", "$.parts", "non-empty list"},
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"parts\":[{\"name\":\"a\"},{\"name\":\"a\"}]}", "$.parts[1].name", "earlier part"},
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"parts\":[{\"name\":\"a b\"}]}", "$.parts[0].name", "letters"},
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"parts\":[{\"name\":\"a\",\"seeds\":[1]}]}", "$.parts[0].seeds", "unknown field"},
                {"{\"name\":\"s\",\"family\":\"mlp\",\"dataset\":\"d\",\"parts\":[{\"name\":\"a\",\"grid\":{\"lr\":[0.1,-1]}}]}", "$.parts[0].grid.lr[1]", "-1"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> plan(c[0])).as(c[0]).isInstanceOf(SpecException.class)
                    .satisfies(e -> assertThat(((SpecException) e).path()).isEqualTo(c[1])).hasMessageContaining(c[2]);
        }
    }
}
