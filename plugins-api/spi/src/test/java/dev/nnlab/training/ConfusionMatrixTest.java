package dev.nnlab.training;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfusionMatrixTest {
    @TempDir
    Path dir;

    /**
     * A fixed linear model on 2 features and 3 classes: scores = (x0, x1, 0.5), so the prediction is
     * class 0 when x0 is largest, class 1 when x1 is, class 2 when both are below 0.5.
     */
    private static Sequential fixedModel() {
        Sequential m = new Sequential(new int[] {2}, new Dense(3, Initializer.named("zeros"), true)).initialize(new Rng(1));
        Tensor w = m.params().value("dense0.weight"); // (in 2, out 3)
        w.set(1f, 0, 0);
        w.set(1f, 1, 1);
        m.params().value("dense0.bias").set(0.5f, 2);
        return m;
    }

    @Test
    void counts_match_a_tiny_case_computed_by_hand() {
        float[] x = {
                2, 0,    // label 0, predicted 0
                3, 1,    // label 0, predicted 0
                0, 2,    // label 0, predicted 1
                0, 4,    // label 1, predicted 1
                1, 0,    // label 1, predicted 0
                0, 0,    // label 2, predicted 2
                0.1f, 0.2f}; // label 2, predicted 2
        int[] labels = {0, 0, 0, 1, 1, 2, 2};
        ConfusionMatrix m = ConfusionMatrix.of(fixedModel(), new LabelledData(Tensor.of(x, 7, 2), labels), List.of("a", "b", "c"));

        long[][] expected = {{2, 1, 0}, {1, 1, 0}, {0, 0, 2}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) assertThat(m.count(i, j)).as("row %d col %d", i, j).isEqualTo(expected[i][j]);
        }
        assertThat(m.total()).isEqualTo(7);
        assertThat(m.correct()).isEqualTo(5);
        assertThat(m.toJson()).isEqualTo("{\"classes\":[\"a\",\"b\",\"c\"],\"counts\":[[2,1,0],[1,1,0],[0,0,2]],\"total\":7}");
    }

    @Test
    void class_names_are_escaped_in_the_json() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("say \"hi\"", "back\\slash\n"));
        assertThat(m.toJson()).startsWith("{\"classes\":[\"say \\\"hi\\\"\",\"back\\\\slash\\u000a\"]");
    }

    @Test
    void a_class_outside_the_matrix_is_refused() {
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b"));
        assertThatThrownBy(() -> m.add(2, 0)).hasMessageContaining("(2, 0) outside 0..1");
    }

    @Test
    void a_finished_run_stores_the_test_confusion_matrix_and_loadable_final_weights() throws IOException {
        Dataset blobs = GaussianBlobs.generate(3, 4, 60, 0.6, 11);
        Split s = Split.stratified(blobs.labels(), 0.6, 0.2, 5);
        Dataset test = blobs.subset("test", s.test());
        Map<String, Object> params = CommonParams.SCHEMA.resolve(Map.of("epochs", 3, "lr", 0.1, "optimizer", "momentum"), "$");
        TrainingJob job = new TrainingJob(params, blobs.subset("train", s.train()), blobs.subset("val", s.val()), test, null, 1);
        Sequential model = new Sequential(blobs.sampleShape(), new Dense(3)).initialize(new Rng(3));
        RecordingSink sink = new RecordingSink();

        TrainResult r = SupervisedTraining.fit(job, sink, model, new SoftmaxCrossEntropy(), Math.log(3), "ln 3");

        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        RecordingSink.Artifact cm = sink.artifact(ConfusionMatrix.NAME);
        assertThat(cm.mediaType()).isEqualTo(ConfusionMatrix.MEDIA_TYPE);
        String json = new String(cm.bytes(), StandardCharsets.UTF_8);
        long[][] counts = counts(json);
        assertThat(Arrays.stream(counts).flatMapToLong(Arrays::stream).sum()).isEqualTo(test.size());
        long diagonal = counts[0][0] + counts[1][1] + counts[2][2];
        assertThat((double) diagonal / test.size()).isEqualTo(sink.last("test_acc"), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(json).contains("\"classes\":" + quoted(blobs.classNames()));

        RecordingSink.Artifact ckpt = sink.artifact(CheckpointArtifact.NAME);
        assertThat(ckpt.mediaType()).isEqualTo("application/octet-stream");
        Path file = Files.write(dir.resolve("final.ckpt"), ckpt.bytes());
        Sequential reloaded = new Sequential(blobs.sampleShape(), new Dense(3)).initialize(new Rng(99));
        Map<String, Long> meta = Checkpoint.load(file, reloaded.params(), null);
        assertThat(reloaded.params().values).containsExactly(model.params().values);
        assertThat(meta).containsEntry(Checkpoint.EPOCH, 3L).containsEntry(Checkpoint.SEED, ((Number) params.get("seed")).longValue());
    }

    @Test
    void a_run_without_a_test_part_stores_no_confusion_matrix_but_still_its_weights() {
        Dataset blobs = GaussianBlobs.generate(2, 2, 20, 0.5, 1);
        Map<String, Object> params = CommonParams.SCHEMA.resolve(Map.of("epochs", 1), "$");
        Dataset empty = blobs.subset("empty", new int[0]);
        TrainingJob job = new TrainingJob(params, blobs, empty, empty, null, 1);
        RecordingSink sink = new RecordingSink();
        SupervisedTraining.fit(job, sink, new Sequential(blobs.sampleShape(), new Dense(2)).initialize(new Rng(1)),
                new SoftmaxCrossEntropy(), Math.log(2), "ln 2");
        assertThat(sink.artifacts()).extracting(RecordingSink.Artifact::name).containsExactly(CheckpointArtifact.NAME);
    }

    /** The counts matrix of the stored JSON, read with a pattern (the SPI has no JSON library). */
    static long[][] counts(String json) {
        Matcher all = Pattern.compile("\"counts\":\\[(.*)],\"total\"").matcher(json);
        assertThat(all.find()).as(json).isTrue();
        List<long[]> rows = new ArrayList<>();
        Matcher row = Pattern.compile("\\[([0-9,]*)]").matcher(all.group(1));
        while (row.find()) rows.add(Arrays.stream(row.group(1).split(",")).mapToLong(Long::parseLong).toArray());
        return rows.toArray(long[][]::new);
    }

    private static String quoted(List<String> names) {
        return "[" + String.join(",", names.stream().map(n -> "\"" + n + "\"").toList()) + "]";
    }
}
