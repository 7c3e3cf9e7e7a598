package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nnlab.lessons.Verdict.Outcome;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.SpecException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Each derived statistic, best-of groups and relative_to on stored runs whose numbers are written here by hand. */
class DerivedStatisticTest {
    @TempDir
    Path dir;
    Store store;
    Experiment experiment;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("store.db"));
        experiment = store.experiments().getOrCreate("derived", null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private long run(Map<String, ?> params, RunStatus status, List<Observation> observations) {
        Provenance p = new Provenance("mlp", "0.1.0", "test", "abc", 1L, "mnist-10k", "sha256:00");
        long id = store.runs().create(new NewRun(experiment.id(), params.toString(), "mlp", p, JsonNodeFactory.instance.objectNode(), params)).id();
        List<Observation> obs = new ArrayList<>();
        for (Observation o : observations) {
            obs.add(switch (o) {
                case MetricPoint m -> new MetricPoint(id, m.key(), m.step(), m.epoch(), 1L, m.value());
                case LayerStat s -> new LayerStat(id, s.step(), s.layer(), s.stat(), s.value());
                default -> o;
            });
        }
        if (!obs.isEmpty()) store.metrics().append(obs);
        store.runs().markRunning(id);
        store.runs().finish(id, status, status == RunStatus.FINISHED ? null : "loss became NaN");
        return id;
    }

    private static MetricPoint m(String key, long step, double epoch, double value) {
        return new MetricPoint(0, key, step, epoch, 1L, value);
    }

    private static LayerStat s(long step, String layer, String stat, double value) {
        return new LayerStat(0, step, layer, stat, value);
    }

    private Verdict.CheckResult judge(String check, List<Long> ids) {
        try {
            Lesson l = Lesson.parse("test", new ObjectMapper().readTree("{\"claim\":\"c\",\"source\":\"s\",\"checks\":[" + check + "]}"));
            return new LessonEvaluator(store).evaluate(l, ids).checks().getFirst();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double mean(Verdict.CheckResult r) {
        return r.group().mean();
    }

    @Test
    void the_step_to_step_variance_is_half_the_mean_squared_successive_difference_of_the_logged_losses() {
        // logEvery 2: steps 2, 4, 6, 8 are logged windows; the epoch end at step 5 is a shorter window and is left out
        long id = run(Map.of("logEvery", 2), RunStatus.FINISHED, List.of(
                m("train_loss", 2, 0.4, 1), m("train_loss", 4, 0.8, 3), m("train_loss", 5, 1, 100),
                m("train_loss", 6, 1.2, 2), m("train_loss", 8, 1.6, 4)));
        // differences 2, -1, 2: (4 + 1 + 4) / (2 * 3) = 1.5
        assertThat(mean(judge("{\"statistic\":\"train_loss_step_var\",\"compare\":\">\",\"value\":1.4}", List.of(id)))).isCloseTo(1.5, within(1e-12));
        assertThat(DerivedStatistic.stepVariance(List.of(5.0, 5.0, 5.0))).isZero();
    }

    @Test
    void the_train_val_gaps_pair_the_two_series_epoch_by_epoch() {
        long id = run(Map.of(), RunStatus.FINISHED, List.of(
                m("train_eval_acc", 10, 1, 0.80), m("val_acc", 10, 1, 0.75), m("train_eval_acc", 20, 2, 0.99), m("val_acc", 20, 2, 0.85),
                m("train_eval_loss", 10, 1, 0.5), m("val_loss", 10, 1, 0.6), m("train_eval_loss", 20, 2, 0.05), m("val_loss", 20, 2, 0.45)));
        assertThat(mean(judge("{\"statistic\":\"train_val_acc_gap\",\"compare\":\">\",\"value\":0}", List.of(id)))).isCloseTo(0.14, within(1e-12));
        assertThat(mean(judge("{\"statistic\":\"train_val_acc_gap\",\"at\":{\"epoch\":1},\"compare\":\">\",\"value\":0}", List.of(id)))).isCloseTo(0.05, within(1e-12));
        assertThat(mean(judge("{\"statistic\":\"train_val_loss_gap\",\"compare\":\">\",\"value\":0}", List.of(id)))).isCloseTo(0.40, within(1e-12));
        assertThat(mean(judge("{\"statistic\":\"train_val_loss_gap\",\"at\":\"min\",\"compare\":\">\",\"value\":0}", List.of(id)))).isCloseTo(0.10, within(1e-12));
    }

    @Test
    void the_grad_ratio_divides_the_first_parameterised_layers_norm_by_the_last_ones_at_the_same_step() {
        long id = run(Map.of(), RunStatus.FINISHED, List.of(
                s(0, "dense0", "grad_norm", 0.01), s(0, "sigmoid1", "act_std", 0.3), s(0, "dense2", "grad_norm", 0.1), s(0, "dense4", "grad_norm", 2.0),
                s(5, "dense0", "grad_norm", 0.03), s(5, "dense2", "grad_norm", 0.2), s(5, "dense4", "grad_norm", 1.5),
                // a container's inner layer does not count as the last one
                s(5, "res5.dense0", "grad_norm", 9.0)));
        assertThat(mean(judge("{\"statistic\":\"first_last_grad_ratio\",\"at\":\"first\",\"compare\":\"<\",\"value\":1}", List.of(id)))).isCloseTo(0.005, within(1e-12));
        assertThat(mean(judge("{\"statistic\":\"first_last_grad_ratio\",\"compare\":\"<\",\"value\":1}", List.of(id)))).isCloseTo(0.02, within(1e-12));
        // relative_to: the last value over the first, 0.02 / 0.005
        assertThat(mean(judge("{\"statistic\":\"first_last_grad_ratio\",\"relative_to\":\"first\",\"compare\":\">\",\"value\":1}", List.of(id)))).isCloseTo(4, within(1e-9));
    }

    @Test
    void argmin_stop_and_kept_epochs_come_from_the_validation_curve_and_the_recorded_kept_epoch() {
        long stopped = run(Map.of(), RunStatus.FINISHED, List.of(
                m("val_loss", 10, 1, 0.9), m("val_loss", 20, 2, 0.5), m("val_loss", 30, 3, 0.6), m("val_loss", 40, 4, 0.7),
                m("train_acc", 10, 1, 0.5), m("train_acc", 20, 2, 0.6), m("train_acc", 30, 3, 0.7), m("train_acc", 40, 4, 0.8),
                m("kept_epoch", 40, 2, 2)));
        long toTheEnd = run(Map.of(), RunStatus.FINISHED, List.of(
                m("val_loss", 10, 1, 0.9), m("val_loss", 20, 2, 0.5), m("val_loss", 30, 3, 0.5), m("val_loss", 40, 4, 0.7),
                m("train_acc", 40, 4, 0.8), m("kept_epoch", 40, 4, 4)));
        assertThat(mean(judge("{\"statistic\":\"val_loss_argmin_epoch\",\"compare\":\"<\",\"value\":4}", List.of(stopped)))).isEqualTo(2);
        // the first of two equal minima
        assertThat(mean(judge("{\"statistic\":\"val_loss_argmin_epoch\",\"compare\":\"<\",\"value\":4}", List.of(toTheEnd)))).isEqualTo(2);
        assertThat(mean(judge("{\"statistic\":\"stop_epoch\",\"compare\":\"<=\",\"value\":4}", List.of(stopped)))).isEqualTo(4);
        assertThat(judge("{\"statistic\":\"kept_epoch_after_val_min\",\"compare\":\"within\",\"value\":[-0.5,0.5]}", List.of(stopped)).outcome()).isEqualTo(Outcome.HELD);
        Verdict.CheckResult late = judge("{\"statistic\":\"kept_epoch_after_val_min\",\"compare\":\"within\",\"value\":[-0.5,0.5]}", List.of(toTheEnd));
        assertThat(late.outcome()).isEqualTo(Outcome.NOT_HELD);
        assertThat(mean(late)).isEqualTo(2);
        assertThat(mean(judge("{\"statistic\":\"kept_epoch\",\"compare\":\">\",\"value\":0}", List.of(toTheEnd)))).isEqualTo(4);
    }

    @Test
    void a_diverged_run_counts_as_diverged_or_stalled_a_flat_loss_as_stalled_and_a_falling_one_as_neither() {
        long diverged = run(Map.of("batchNorm", false), RunStatus.DIVERGED, List.of(m("initial_loss", 0, 0, 2.3)));
        long stalled = run(Map.of("batchNorm", false), RunStatus.FINISHED, List.of(m("initial_loss", 0, 0, 2.30), m("train_loss", 10, 1, 2.10)));
        long learnt = run(Map.of("batchNorm", true), RunStatus.FINISHED, List.of(m("initial_loss", 0, 0, 2.30), m("train_loss", 10, 1, 2.0)));
        // 2.10 >= 0.9 * 2.30 = 2.07: stalled; 2.0 < 2.07: learnt
        Verdict.CheckResult plain = judge("{\"statistic\":\"diverged_or_stalled\",\"group\":{\"batchNorm\":false},\"compare\":\">\",\"value\":0.5}", List.of(diverged, stalled, learnt));
        assertThat(plain.outcome()).isEqualTo(Outcome.HELD);
        assertThat(plain.group().runs()).extracting(Verdict.RunValue::value).containsExactly(1.0, 1.0);
        assertThat(mean(judge("{\"statistic\":\"diverged_or_stalled\",\"group\":{\"batchNorm\":true},\"compare\":\"<\",\"value\":0.5}", List.of(learnt)))).isZero();
        // the runs without the effect: the claim put on the group that learnt does not hold
        assertThat(judge("{\"statistic\":\"diverged_or_stalled\",\"group\":{\"batchNorm\":true},\"compare\":\">\",\"value\":0.5}", List.of(learnt)).outcome())
                .isEqualTo(Outcome.NOT_HELD);
        // every other statistic still refuses a diverged run
        assertThat(judge("{\"statistic\":\"train_loss\",\"group\":{\"batchNorm\":false},\"compare\":\">\",\"value\":0.5}", List.of(diverged)).outcome())
                .isEqualTo(Outcome.NOT_MEASURABLE);
    }

    @Test
    void a_best_of_group_takes_the_best_of_its_first_n_runs_without_a_spread() {
        List<Long> ids = new ArrayList<>();
        double[] grid = {0.2, 0.6, 0.5}, random = {0.3, 0.7, 0.9};
        for (double v : grid) ids.add(run(Map.of("part", "grid"), RunStatus.FINISHED, List.of(m("val_acc", 10, 1, v))));
        for (double v : random) ids.add(run(Map.of("part", "random"), RunStatus.FINISHED, List.of(m("val_acc", 10, 1, v))));
        Verdict.CheckResult all = judge("{\"statistic\":\"val_acc\",\"aggregate\":\"max\",\"group\":{\"part\":\"random\"},\"compare\":\">\",\"other\":{\"part\":\"grid\"}}", ids);
        assertThat(all.outcome()).isEqualTo(Outcome.HELD);
        assertThat(mean(all)).isEqualTo(0.9);
        assertThat(all.other().mean()).isEqualTo(0.6);
        // after two trials each: 0.7 against 0.6
        Verdict.CheckResult two = judge("{\"statistic\":\"val_acc\",\"aggregate\":\"max\",\"trials\":2,\"group\":{\"part\":\"random\"},\"compare\":\">\",\"other\":{\"part\":\"grid\"}}", ids);
        assertThat(mean(two)).isEqualTo(0.7);
        // the worst of the random part (0.3) is not above 0.6
        assertThat(judge("{\"statistic\":\"val_acc\",\"aggregate\":\"min\",\"group\":{\"part\":\"random\"},\"compare\":\">\",\"value\":0.6}", ids).outcome())
                .isEqualTo(Outcome.NOT_HELD);
        // the runs without the effect: the grid's best does not beat the random part's
        assertThat(judge("{\"statistic\":\"val_acc\",\"aggregate\":\"max\",\"group\":{\"part\":\"grid\"},\"compare\":\">\",\"other\":{\"part\":\"random\"}}", ids).outcome())
                .isEqualTo(Outcome.NOT_HELD);
        assertThat(judge("{\"statistic\":\"val_acc\",\"aggregate\":\"max\",\"trials\":4,\"group\":{\"part\":\"grid\"},\"compare\":\">\",\"value\":0.5}", ids).outcome())
                .isEqualTo(Outcome.NOT_MEASURABLE);
    }

    @Test
    void a_layer_statistic_relative_to_an_epoch_reads_the_last_measurement_within_that_epoch() {
        long id = run(Map.of(), RunStatus.FINISHED, List.of(
                m("train_acc", 10, 1, 0.5), m("train_acc", 20, 2, 0.6), m("train_acc", 30, 3, 0.7),
                s(0, "dense2", "effective_lr", 1.0), s(5, "dense2", "effective_lr", 0.5), s(9, "dense2", "effective_lr", 0.4),
                s(15, "dense2", "effective_lr", 0.3), s(25, "dense2", "effective_lr", 0.2)));
        // last (0.2) over the last measurement of epoch 1 (step 9: 0.4)
        assertThat(mean(judge("{\"statistic\":\"effective_lr\",\"layer\":\"last:dense\",\"relative_to\":{\"epoch\":1},\"compare\":\"<\",\"value\":1}", List.of(id))))
                .isCloseTo(0.5, within(1e-12));
        assertThat(mean(judge("{\"statistic\":\"effective_lr\",\"layer\":\"dense2\",\"at\":{\"epoch\":2},\"compare\":\"<\",\"value\":1}", List.of(id))))
                .isCloseTo(0.3, within(1e-12));
    }

    @Test
    void misuse_of_the_new_fields_is_refused_at_the_json_path() {
        ObjectMapper json = new ObjectMapper();
        for (String[] bad : new String[][] {
                {"{\"statistic\":\"stop_epoch\",\"at\":\"last\",\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].at", "one value per run"},
                {"{\"statistic\":\"val_acc\",\"trials\":3,\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].trials", "aggregate"},
                {"{\"statistic\":\"val_acc\",\"aggregate\":\"median\",\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].aggregate", "mean, max, min"},
                {"{\"statistic\":\"val_acc\",\"aggregate\":\"max\",\"trials\":0,\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].trials", "from 1"},
                {"{\"statistic\":\"val_acc\",\"at\":\"last\",\"relative_to\":\"last\",\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].relative_to", "same position"},
                {"{\"statistic\":\"train_los_step_var\",\"compare\":\"<\",\"value\":3}", "$.lesson.checks[0].statistic", "train_loss_step_var"}}) {
            assertThatThrownBy(() -> Lesson.parse("spec.json", json.readTree("{\"claim\":\"c\",\"source\":\"s\",\"checks\":[" + bad[0] + "]}")))
                    .as(bad[0]).isInstanceOf(SpecException.class)
                    .satisfies(e -> assertThat(((SpecException) e).path()).isEqualTo(bad[1]))
                    .hasMessageContaining(bad[2]);
        }
    }
}
