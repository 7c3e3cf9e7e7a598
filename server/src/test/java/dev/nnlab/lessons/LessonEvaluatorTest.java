package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.lessons.Verdict.Outcome;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.LessonVerdict;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Verdicts measured on hand-built stored runs whose numbers are written here. */
class LessonEvaluatorTest {
    @TempDir
    Path dir;
    Store store;
    Experiment experiment;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("store.db"));
        experiment = store.experiments().getOrCreate("lesson", null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long run(Map<String, ?> params, RunStatus status, double... trainLossByEpoch) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        Provenance p = new Provenance("mlp", "0.1.0", "test", "abc", 1L, "mnist-10k", "sha256:00");
        long id = store.runs().create(new NewRun(experiment.id(), params.toString(), "mlp", p, config, params)).id();
        List<Observation> obs = new ArrayList<>();
        for (int e = 0; e < trainLossByEpoch.length; e++) {
            // a mid-epoch point, then the epoch's end: "at epoch E" must read the end of epoch E
            obs.add(new MetricPoint(id, "train_loss", 10L * e + 5, e + 0.5, 1L, trainLossByEpoch[e] + 1));
            obs.add(new MetricPoint(id, "train_loss", 10L * (e + 1), e + 1, 1L, trainLossByEpoch[e]));
        }
        if (!obs.isEmpty()) store.metrics().append(obs);
        store.runs().markRunning(id);
        store.runs().finish(id, status, status == RunStatus.FINISHED ? null : "loss became NaN");
        return id;
    }

    private static Lesson lesson(String checks) {
        try {
            return Lesson.parse("test", new ObjectMapper().readTree("{\"claim\":\"c\",\"source\":\"s\",\"checks\":[" + checks + "]}"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Verdict evaluate(String checks, List<Long> ids) {
        return new LessonEvaluator(store).evaluate(lesson(checks), ids);
    }

    private static final String MOMENTUM_BEATS_SGD = """
            {"statistic":"train_loss","at":{"epoch":1},"group":{"optimizer":"momentum"},"compare":"<","other":{"optimizer":"sgd"}}""";
    private static final String SGD_BEATS_MOMENTUM = """
            {"statistic":"train_loss","at":{"epoch":1},"group":{"optimizer":"sgd"},"compare":"<","other":{"optimizer":"momentum"}}""";

    @Test
    void a_comparison_holds_when_the_group_means_differ_by_more_than_their_pooled_standard_error() {
        List<Long> ids = List.of(
                run(Map.of("optimizer", "momentum", "seed", 1), RunStatus.FINISHED, 0.50, 0.40),
                run(Map.of("optimizer", "momentum", "seed", 2), RunStatus.FINISHED, 0.52, 0.41),
                run(Map.of("optimizer", "sgd", "seed", 1), RunStatus.FINISHED, 0.80, 0.60),
                run(Map.of("optimizer", "sgd", "seed", 2), RunStatus.FINISHED, 0.84, 0.62));
        Verdict v = evaluate(MOMENTUM_BEATS_SGD, ids);
        assertThat(v.outcome()).isEqualTo(Outcome.HELD);
        Verdict.CheckResult c = v.checks().getFirst();
        // the end of epoch 1, not the mid-epoch point and not epoch 2
        assertThat(c.group().mean()).isCloseTo(0.51, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.other().mean()).isCloseTo(0.82, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.group().sd()).isCloseTo(Math.sqrt(0.0002), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(c.reason()).contains("pooled standard error");

        assertThat(evaluate(SGD_BEATS_MOMENTUM, ids).outcome()).isEqualTo(Outcome.NOT_HELD);
    }

    @Test
    void seeds_whose_spread_covers_the_difference_make_the_check_not_measurable() {
        List<Long> ids = List.of(
                run(Map.of("optimizer", "momentum", "seed", 1), RunStatus.FINISHED, 0.50),
                run(Map.of("optimizer", "momentum", "seed", 2), RunStatus.FINISHED, 0.90),
                run(Map.of("optimizer", "sgd", "seed", 1), RunStatus.FINISHED, 0.60),
                run(Map.of("optimizer", "sgd", "seed", 2), RunStatus.FINISHED, 0.90));
        Verdict v = evaluate(MOMENTUM_BEATS_SGD, ids);
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_MEASURABLE);
        assertThat(v.checks().getFirst().reason()).startsWith("not measurable: seeds overlap");
    }

    @Test
    void one_seed_per_group_compares_the_values_themselves() {
        List<Long> ids = List.of(run(Map.of("optimizer", "momentum"), RunStatus.FINISHED, 0.7),
                run(Map.of("optimizer", "sgd"), RunStatus.FINISHED, 0.7));
        Verdict v = evaluate(MOMENTUM_BEATS_SGD, ids);
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_HELD);
        assertThat(v.checks().getFirst().reason()).contains("no spread");
    }

    @Test
    void a_diverged_run_in_a_group_makes_the_check_not_measurable_and_says_which_run() {
        long diverged = run(Map.of("optimizer", "momentum"), RunStatus.DIVERGED, 0.5);
        List<Long> ids = List.of(diverged, run(Map.of("optimizer", "sgd"), RunStatus.FINISHED, 0.8));
        Verdict v = evaluate(MOMENTUM_BEATS_SGD, ids);
        assertThat(v.outcome()).isEqualTo(Outcome.NOT_MEASURABLE);
        assertThat(v.checks().getFirst().reason()).contains("#" + diverged).contains("DIVERGED");

        // the status itself is measurable
        String allFinished = "{\"statistic\":\"status\",\"group\":{\"optimizer\":\"momentum\"},\"compare\":\"==\",\"value\":\"FINISHED\"}";
        assertThat(evaluate(allFinished, ids).outcome()).isEqualTo(Outcome.NOT_HELD);
        String sgdFinished = "{\"statistic\":\"status\",\"group\":{\"optimizer\":\"sgd\"},\"compare\":\"==\",\"value\":\"FINISHED\"}";
        assertThat(evaluate(sgdFinished, ids).outcome()).isEqualTo(Outcome.HELD);
    }

    @Test
    void a_layer_threshold_reads_the_deepest_layer_of_a_kind_and_fails_on_the_group_without_the_effect() {
        long small = run(Map.of("init", "gaussian", "initStd", 0.01), RunStatus.FINISHED, 2.3);
        long xavier = run(Map.of("init", "xavier", "initStd", 0.01), RunStatus.FINISHED, 1.0);
        store.metrics().append(List.of(
                new LayerStat(small, 0, "tanh1", "act_std", 0.2), new LayerStat(small, 0, "tanh17", "act_std", 1e-6),
                new LayerStat(small, 0, "tanh3", "act_std", 0.05),
                new LayerStat(xavier, 0, "tanh1", "act_std", 0.6), new LayerStat(xavier, 0, "tanh17", "act_std", 0.3),
                new LayerStat(xavier, 0, "tanh3", "act_std", 0.5)));
        List<Long> ids = List.of(small, xavier);
        String collapses = "{\"statistic\":\"act_std\",\"layer\":\"last:tanh\",\"group\":{\"init\":\"gaussian\",\"initStd\":0.01},\"compare\":\"<\",\"value\":0.01}";
        Verdict v = evaluate(collapses, ids);
        assertThat(v.outcome()).isEqualTo(Outcome.HELD);
        assertThat(v.checks().getFirst().group().runs()).extracting(Verdict.RunValue::runId).containsExactly(small);
        assertThat(v.checks().getFirst().group().mean()).isEqualTo(1e-6);

        String xavierCollapses = "{\"statistic\":\"act_std\",\"layer\":\"last:tanh\",\"group\":{\"init\":\"xavier\"},\"compare\":\"<\",\"value\":0.01}";
        assertThat(evaluate(xavierCollapses, ids).outcome()).isEqualTo(Outcome.NOT_HELD);
        String within = "{\"statistic\":\"act_std\",\"layer\":\"tanh3\",\"group\":{\"init\":\"xavier\"},\"compare\":\"within\",\"value\":[0.1,1.0]}";
        assertThat(evaluate(within, ids).outcome()).isEqualTo(Outcome.HELD);
        String missing = "{\"statistic\":\"act_std\",\"layer\":\"last:relu\",\"group\":{},\"compare\":\"<\",\"value\":1}";
        Verdict none = evaluate(missing, ids);
        assertThat(none.outcome()).isEqualTo(Outcome.NOT_MEASURABLE);
        assertThat(none.checks().getFirst().reason()).contains("has no layer last:relu");
    }

    @Test
    void one_check_not_held_makes_the_lesson_not_held_and_the_verdict_is_recorded_with_its_numbers() {
        List<Long> ids = List.of(run(Map.of("optimizer", "momentum"), RunStatus.FINISHED, 0.5),
                run(Map.of("optimizer", "sgd"), RunStatus.FINISHED, 0.8));
        Lesson l = lesson(MOMENTUM_BEATS_SGD + "," + SGD_BEATS_MOMENTUM);
        LessonVerdict recorded = new LessonService(store).evaluate(experiment.id(), l, ids);
        assertThat(recorded.verdict()).isEqualTo("NOT_HELD");
        assertThat(store.verdicts().latest(experiment.id()).orElseThrow().id()).isEqualTo(recorded.id());
        assertThat(recorded.runIds()).isEqualTo(ids);
        assertThat(recorded.lesson().get("claim").asText()).isEqualTo("c");
        assertThat(recorded.checks()).hasSize(2);
        assertThat(recorded.checks().get(0).get("outcome").asText()).isEqualTo("HELD");
        assertThat(recorded.checks().get(1).get("outcome").asText()).isEqualTo("NOT_HELD");
        assertThat(recorded.checks().get(0).get("group").get("mean").asDouble()).isEqualTo(0.5);
        // one run: no spread, stored as null rather than NaN
        assertThat(recorded.checks().get(0).get("group").get("sd").isNull()).isTrue();
        assertThat(recorded.checks().get(0).get("other").get("runs").get(0).get("value").asDouble()).isEqualTo(0.8);
    }
}
