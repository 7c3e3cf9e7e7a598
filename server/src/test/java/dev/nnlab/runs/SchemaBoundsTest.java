package dev.nnlab.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginJars;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.spi.DataKind;
import dev.nnlab.spi.ParamSpec;
import dev.nnlab.spi.ParamType;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value the planner accepts never fails when the run starts: for every family loaded from
 * {@code plugins/} (so a new family is covered the day its JAR lands there), every parameter is set
 * to each end of its declared range (just inside an open end), every choice and both booleans, and
 * each such trial must plan, start and train one step through the real host path (spec -> planner
 * -> store -> trial runner -> plugin) without FAILED or DIVERGED.
 *
 * <p>A bound rarely fails alone; it fails beside another setting ({@code batchSize = 1} with batch
 * norm, {@code lrDecay = 1} with a plateau schedule). So each numeric sample is trained K times, K
 * the largest number of values of any choice or boolean parameter, with every choice parameter
 * rotating through its values: each bound meets every value of every other choice at least once.
 */
class SchemaBoundsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void every_value_at_the_bounds_of_every_family_schema_trains_one_step(@TempDir Path dir) throws Exception {
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            assertThat(wb.plugins().families()).as("the built-in families are loaded").containsKeys("softmax", "mlp");
            List<String> failures = new ArrayList<>();
            int trained = 0;
            for (LoadedFamily family : wb.plugins().families().values()) {
                // The bounds train on data of each kind the family takes: spirals (labelled vectors), the shipped digits
                // (images: cnn, resnet; 20 of them, 4 to a batch, unless the trial varies those), word groups (text
                // corpora), markov-text (token streams), the adding task (sequences).
                Set<DataKind> kinds = family.family().dataKinds();
                boolean vectors = kinds.contains(DataKind.VECTOR);
                boolean images = !vectors && kinds.contains(DataKind.IMAGE);
                List<String> datasets = new ArrayList<>();
                if (vectors) datasets.add("spirals");
                else if (images) datasets.add("mnist-10k");
                else if (kinds.contains(DataKind.TEXT_CORPUS)) datasets.add("word-groups");
                if (kinds.contains(DataKind.TOKEN_STREAM)) datasets.add("markov-text");
                if (kinds.contains(DataKind.SEQUENCES)) datasets.add("adding");
                boolean labelled = vectors || images;
                for (String dataset : datasets) {
                    // A family of several kinds trains every bound on its first kind; on each further kind only the
                    // bounds of that kind's own preparation (taskLength, taskSamples), which the first never reads.
                    List<ParamSpec> specs = dataset.equals(datasets.getFirst()) ? family.family().params().specs()
                            : onlyPreparationOf(family.family().params().specs(), dataset.equals("adding") ? DataKind.SEQUENCES : DataKind.TOKEN_STREAM);
                    // Image families cost a convolution step per trial: each bound trains once and each choice value once
                    // (not every bound against every choice value). A batch of 65,536 images and ResNet-110 (about 12 GiB at
                    // the 512-row evaluation chunk) are refused at planning by the memory estimate (ConvMemoryRefusalTest),
                    // so their high ends are left out here.
                    List<Map<String, Object>> variants = images ? eachOnce(specs) : variants(specs);
                    if (images) variants.removeIf(v -> Integer.valueOf(65536).equals(v.get("batchSize")) || Integer.valueOf(110).equals(v.get("depth")));
                    Map<String, Object> spec = new LinkedHashMap<>();
                    spec.put("name", "bounds-" + family.id() + "-" + dataset);
                    spec.put("family", family.id());
                    spec.put("dataset", dataset);
                    if (images) spec.put("params", Map.of("trainSamples", 20, "batchSize", 4));
                    spec.put("variants", variants);
                    BatchService.Batch batch = wb.batches().record("bounds.json",
                            wb.batches().plan("bounds.json", JSON.writeValueAsString(spec)));
                    assertThat(batch.runIds()).hasSize(variants.size());
                    AtomicBoolean stop = new AtomicBoolean();
                    Map<Long, RunStatus> statuses = wb.batches().execute(batch, 1, new OneStepEach(stop), stop);
                    for (int i = 0; i < batch.runIds().size(); i++) {
                        long id = batch.runIds().get(i);
                        RunStatus status = statuses.get(id);
                        // A family without layers (word2vec) shows its step by a metric.
                        boolean stepped = !wb.store().layerStats().all(id).isEmpty() || (!labelled && !wb.store().metrics().summaries(id).isEmpty());
                        if (status == RunStatus.FAILED || status == RunStatus.DIVERGED || !stepped) {
                            Run run = wb.store().runs().get(id).orElseThrow();
                            failures.add(family.id() + " on " + dataset + " " + variants.get(i) + " -> " + status + (stepped ? "" : " (no step)")
                                    + ": " + run.error());
                        } else {
                            trained++;
                        }
                    }
                }
            }
            assertThat(failures).as("trials that failed at a value the schema allows").isEmpty();
            assertThat(trained).as("trials trained").isGreaterThan(300);
        }
    }

    /** The choices of {@code specs} and the numbers among {@code kind}'s preparation parameters. */
    private static List<ParamSpec> onlyPreparationOf(List<ParamSpec> specs, DataKind kind) {
        List<String> names = kind.preparationParams().stream().map(ParamSpec::name).toList();
        return specs.stream().filter(s -> s.type() == ParamType.CHOICE || s.type() == ParamType.BOOL || names.contains(s.name())).toList();
    }

    /** Lets each trial start, then asks it to stop: the loop checks after its first step. */
    private record OneStepEach(AtomicBoolean stop) implements TrialListener {

        @Override
        public void onStart(long runId, String label, int epochs) {
            stop.set(true);
        }

        @Override
        public void onFinish(long runId, RunStatus status, String error) {
            stop.set(false);
        }
    }

    /** One bundle of parameter values per trial: every bound of every number, rotated through every choice. */
    static List<Map<String, Object>> variants(List<ParamSpec> specs) {
        List<ParamSpec> choices = specs.stream().filter(s -> s.type() == ParamType.CHOICE || s.type() == ParamType.BOOL).toList();
        int rounds = choices.stream().mapToInt(s -> values(s).size()).max().orElse(1);
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParamSpec s : specs) {
            if (s.type() == ParamType.CHOICE || s.type() == ParamType.BOOL) continue;
            for (Object bound : values(s)) {
                for (int r = 0; r < rounds; r++) {
                    Map<String, Object> v = new LinkedHashMap<>();
                    for (ParamSpec c : choices) {
                        List<Object> cv = values(c);
                        v.put(c.name(), cv.get(r % cv.size()));
                    }
                    v.put(s.name(), bound);
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Every bound of every number once (choices at their first values), then every choice value once. */
    static List<Map<String, Object>> eachOnce(List<ParamSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ParamSpec s : specs) {
            for (Object v : values(s)) {
                if ((s.type() == ParamType.CHOICE || s.type() == ParamType.BOOL) && v.equals(values(s).getFirst()) && !out.isEmpty()) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(s.name(), v);
                out.add(m);
            }
        }
        return out;
    }

    /** The values to try: the ends of a range (just inside an open end; the int extremes when unbounded), every choice. */
    static List<Object> values(ParamSpec s) {
        return switch (s.type()) {
            case BOOL -> List.of(false, true);
            case CHOICE -> List.copyOf(s.choices());
            // trainSamples has no upper bound in the schema: the dataset sets it, and recording refuses more samples than
            // the dataset has (LabelledPreparationTest, RunCommandBadInputTest). Its low end (0 = all) and the smallest subset train here.
            case INT -> s.name().equals(LabelledPreparation.TRAIN_SAMPLES.name()) ? List.of(intLow(s), 1)
                    // initFrom names a run: 0 (none) trains here, a real run in TransferLearningRunTest; other ids are refused at planning.
                    : s.name().equals(dev.nnlab.training.TransferLearning.INIT_FROM) ? List.of(intLow(s))
                    : List.of(intLow(s), intHigh(s));
            case INT_LIST -> List.of(List.of(intLow(s)));
            // Free text has no bounds to probe; its syntax is the family's (checkFits), tested in the family module.
            case STRING -> List.of(s.defaultValue());
            case FLOAT -> {
                double lo = s.min() == null ? -1e6 : s.minInclusive() ? s.min() : s.min() + inside(s.min());
                double hi = s.max() == null ? 1e6 : s.maxInclusive() ? s.max() : s.max() - inside(s.max());
                yield List.of(lo, hi);
            }
        };
    }

    private static int intLow(ParamSpec s) {
        if (s.min() == null) return Integer.MIN_VALUE;
        return (int) Math.ceil(s.minInclusive() ? s.min() : s.min() + 1);
    }

    private static int intHigh(ParamSpec s) {
        if (s.max() == null) return Integer.MAX_VALUE;
        return (int) Math.floor(s.maxInclusive() ? s.max() : s.max() - 1);
    }

    /** A step inside an open end that float32 still resolves: 1e-6 relative, 1e-6 absolute at 0. */
    private static double inside(double bound) {
        return 1e-6 * Math.max(1, Math.abs(bound));
    }
}
