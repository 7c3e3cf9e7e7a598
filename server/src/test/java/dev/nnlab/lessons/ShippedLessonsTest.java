package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LessonVerdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped lessons (experiments/lessons/*.json) trained on smaller subsets than the files name,
 * so that all of them cost seconds: each verdict is what the lesson's README entry says, and the
 * same check on runs where the effect is absent (the groups swapped, the threshold put on the other
 * group) does not hold.
 */
class ShippedLessonsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static Workbench wb;

    @BeforeAll
    static void open() {
        wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
    }

    @AfterAll
    static void close() {
        wb.close();
    }

    /** Runs a shipped lesson with {@code trainSamples} (0: as shipped); returns the batch and its recorded verdict. */
    record Judged(BatchService.Batch batch, LessonVerdict verdict) {
        Verdict.Outcome check(int i) {
            return Verdict.Outcome.valueOf(verdict.checks().get(i).get("outcome").asText());
        }
    }

    private static Judged run(String file, int trainSamples) throws Exception {
        return run(file, trainSamples, 1);
    }

    /** As {@link #run(String, int)}, training {@code parallel} trials at once. */
    static Judged run(String file, int trainSamples, int parallel) throws Exception {
        return run(file, parallel, spec -> {
            if (trainSamples > 0) ((ObjectNode) spec.get("params")).put("trainSamples", trainSamples);
        });
    }

    /** Runs a shipped lesson after {@code edit} has shortened its spec. */
    static Judged run(String file, int parallel, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(PluginJars.checkoutRoot().resolve("experiments/lessons").resolve(file)));
        edit.accept(spec);
        BatchService.Batch batch = wb.batches().record(file, wb.batches().plan(file, spec.toString()));
        wb.batches().execute(batch, parallel, TrialListener.NONE, new AtomicBoolean());
        return new Judged(batch, wb.lessons().evaluate(batch.experiment().id(), batch.plan().lesson(), batch.runIds()));
    }

    /** The lesson of {@code judged} with check {@code i} replaced by {@code check}, evaluated on the same runs. */
    static Verdict.Outcome rejudge(Judged judged, String check) throws Exception {
        ObjectNode lesson = (ObjectNode) JSON.readTree("{\"claim\":\"c\",\"source\":\"s\",\"checks\":[" + check + "]}");
        return new LessonEvaluator(wb.store()).evaluate(Lesson.parse("test", lesson), judged.batch().runIds()).outcome();
    }

    @Test
    void momentum_lowers_the_training_loss_after_one_epoch_and_plain_sgd_does_not() throws Exception {
        Judged j = run("momentum.json", 1000);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(j.verdict().runIds()).hasSize(6);
        assertThat(rejudge(j, """
                {"statistic":"train_loss","at":{"epoch":1},"group":{"optimizer":"sgd"},"compare":"<","other":{"optimizer":"momentum"}}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void a_deep_tanh_net_collapses_at_gaussian_001_saturates_at_1_and_keeps_its_variance_with_xavier() throws Exception {
        Judged j = run("initialisation.json", 300);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        // the same thresholds on the other inits: Xavier does not collapse, does not saturate; Gaussian 0.01 is not within 0.1-1
        assertThat(rejudge(j, """
                {"statistic":"act_std","layer":"last:tanh","group":{"init":"xavier"},"compare":"<","value":0.01}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"saturation","layer":"last:tanh","at":"first","group":{"init":"xavier"},"compare":">","value":0.8}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"act_std","layer":"last:tanh","group":{"init":"gaussian","initStd":0.01},"compare":"within","value":[0.1,1.0]}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void the_initial_loss_is_near_ln_10_and_twenty_samples_are_learnt_by_heart_though_not_after_one_epoch() throws Exception {
        Judged j = run("sanity.json", 0);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(j.verdict().checks().get(0).get("group").get("mean").asDouble()).isCloseTo(Math.log(10), org.assertj.core.data.Offset.offset(0.1));
        // after only the first epoch the 20 samples are not memorised yet
        assertThat(rejudge(j, """
                {"statistic":"train_acc","at":{"epoch":1},"compare":">=","value":1.0}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"initial_loss","compare":"within","value":[0.0,2.0]}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void the_initial_objective_rises_with_the_l2_strength_and_the_data_loss_alone_does_not() throws Exception {
        Judged j = run("l2-sanity.json", 0);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        // the data loss of the first batch is the same from the same seed: the penalty makes the difference
        assertThat(rejudge(j, """
                {"statistic":"initial_loss","group":{"weightDecay":0.1},"compare":">","other":{"weightDecay":0.0001}}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"initial_objective","group":{"weightDecay":0.0001},"compare":">","other":{"weightDecay":0.1}}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void sgd_at_lr_3_kills_the_relus_of_the_last_layer_and_lr_001_does_not() throws Exception {
        Judged j = run("dead-relu.json", 2000);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"dead_fraction_probe","layer":"last:relu","group":{"lr":0.01},"compare":">","value":0.2}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"dead_fraction_probe","layer":"last:relu","group":{"lr":3.0},"compare":"<","value":0.05}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void small_batches_are_noisier_from_step_to_step_and_generalise_at_least_as_well() throws Exception {
        Judged j = run("batch-size.json", 1000, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"train_loss_step_var","group":{"batchSize":256},"compare":">","other":{"batchSize":8}}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"test_acc","group":{"batchSize":256},"compare":">=","other":{"batchSize":8}}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void a_deep_sigmoid_net_passes_back_a_far_smaller_share_of_the_gradient_than_a_relu_net() throws Exception {
        Judged j = run("vanishing-gradients.json", 300, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"first_last_grad_ratio","at":"first","group":{"activation":"relu"},"compare":"<","value":0.05}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void batch_norm_trains_at_a_learning_rate_where_the_plain_net_diverges_or_stalls() throws Exception {
        Judged j = run("batch-norm.json", 1000, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"diverged_or_stalled","group":{"batchNorm":true},"compare":">","value":0.5}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void adagrads_effective_learning_rate_decays_and_rmsprops_does_not() throws Exception {
        Judged j = run("adaptive-lr.json", 1000, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"effective_lr","layer":"last:dense","relative_to":{"epoch":1},"group":{"optimizer":"rmsprop"},"compare":"<","value":0.8}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"effective_lr","layer":"last:dense","relative_to":{"epoch":1},"group":{"optimizer":"adagrad"},"compare":">","value":0.9}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void cross_entropy_learns_faster_than_the_squared_error_of_a_softmax() throws Exception {
        Judged j = run("loss-functions.json", 1000, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"train_eval_acc","at":{"epoch":1},"group":{"loss":"softmax_mse"},"compare":">","other":{"loss":"cross_entropy"}}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void dropout_and_l2_narrow_the_gap_between_training_and_validation_loss() throws Exception {
        Judged j = run("regularisation.json", 2, spec -> {
            ((ObjectNode) spec.get("params")).put("trainSamples", 300).put("hidden", JSON.createArrayNode().add(256));
            spec.put("epochs", 8);
            spec.set("seeds", JSON.createArrayNode().add(1));
        });
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"train_val_loss_gap","group":{"dropout":0.0,"weightDecay":0.0},"compare":"<","other":{"dropout":0.5}}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void early_stopping_stops_after_the_validation_minimum_and_keeps_its_parameters() throws Exception {
        Judged j = run("early-stopping.json", 2, spec -> {
            ((ObjectNode) spec.get("params")).put("trainSamples", 300).put("hidden", JSON.createArrayNode().add(256));
            spec.set("seeds", JSON.createArrayNode().add(1));
        });
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        // the parameters kept are not those of the last epoch trained
        assertThat(rejudge(j, """
                {"statistic":"kept_epoch","compare":">=","value":30}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
        assertThat(rejudge(j, """
                {"statistic":"stop_epoch","compare":"<=","value":1}""")).isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void random_search_finds_a_better_learning_rate_than_a_grid_of_the_same_size() throws Exception {
        Judged j = run("search.json", 500, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"val_acc","at":"max","aggregate":"max","group":{"part":"grid"},"compare":">","other":{"part":"random"}}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void a_fine_search_around_the_coarse_best_beats_the_coarse_search() throws Exception {
        Judged j = run("coarse-to-fine.json", 500, 2);
        assertThat(j.verdict().verdict()).as(j.verdict().checks().toString()).isEqualTo("HELD");
        assertThat(rejudge(j, """
                {"statistic":"val_acc","at":"max","aggregate":"max","group":{"part":"coarse"},"compare":">","other":{"part":"fine"}}"""))
                .isEqualTo(Verdict.Outcome.NOT_HELD);
    }

    @Test
    void every_shipped_lesson_is_listed_with_its_last_verdict() throws Exception {
        List<LessonService.Shipped> shipped = wb.lessons().shipped(PluginJars.checkoutRoot().resolve("experiments/lessons"));
        assertThat(shipped).extracting(LessonService.Shipped::name)
                .contains("lesson-momentum", "lesson-initialisation", "lesson-sanity", "lesson-l2-sanity", "lesson-dead-relu",
                        "lesson-batch-size", "lesson-vanishing-gradients", "lesson-batch-norm", "lesson-regularisation", "lesson-adaptive-lr",
                        "lesson-early-stopping", "lesson-loss-functions", "lesson-search", "lesson-coarse-to-fine");
        assertThat(shipped).allSatisfy(s -> assertThat(s.lesson().claim()).isNotBlank());
    }
}
