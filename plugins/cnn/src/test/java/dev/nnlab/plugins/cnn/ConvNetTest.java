package dev.nnlab.plugins.cnn;

import dev.nnlab.data.Dataset;
import dev.nnlab.testing.Mnist10k;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.Split;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvNetTest {
    static final ConvNet CNN = new ConvNet();

    static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** {@code train} samples to train on, 500 to validate and 1,000 to test, stratified from mnist-10k. */
    static TrainingJob job(int train, Map<String, Object> given) throws Exception {
        Dataset all = Mnist10k.load();
        int[] picked = Split.stratifiedSample(all.labels(), train + 1500, 5);
        Dataset d = all.subset("mnist-10k-sample", picked);
        Split s = Split.stratified(d.labels(), train / (double) (train + 1500), 500.0 / (train + 1500), 3);
        return new TrainingJob(CNN.params().resolve(given, "$.params"), d.subset("train", s.train()),
                d.subset("val", s.val()), d.subset("test", s.test()), null, 1);
    }

    @Test
    void trains_a_small_stack_on_2000_mnist_digits_well_above_chance_and_stores_what_a_learner_reads() throws Exception {
        RecordingSink sink = new RecordingSink();
        TrainResult r = CNN.train(job(2000, p("layers", "conv3x3x8p1,relu,maxpool2,conv3x3x16p1,relu,maxpool2,fc10",
                "optimizer", "adam", "lr", 0.003, "epochs", 1, "batchSize", 32)), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        // Chance is 0.1; one epoch over 2,000 digits reaches about 0.9.
        assertThat(sink.last("test_acc")).isGreaterThan(0.75);
        assertThat(sink.values("train_loss").getLast()).isLessThan(sink.values("train_loss").getFirst());

        String layers = new String(sink.artifact("layers.json").bytes(), StandardCharsets.UTF_8);
        assertThat(layers).contains("\"input\":[1,28,28]")
                .contains("{\"layer\":\"conv0\",\"kind\":\"conv\",\"output\":[8,28,28],\"params\":80,\"receptiveField\":3}")
                .contains("{\"layer\":\"maxpool2\",\"kind\":\"maxpool\",\"output\":[8,14,14],\"params\":0,\"receptiveField\":4}")
                .contains("{\"layer\":\"conv3\",\"kind\":\"conv\",\"output\":[16,14,14],\"params\":1168,\"receptiveField\":8}")
                .contains("{\"layer\":\"maxpool5\",\"kind\":\"maxpool\",\"output\":[16,7,7],\"params\":0,\"receptiveField\":10}")
                .contains("{\"layer\":\"dense6\",\"kind\":\"dense\",\"output\":[10],\"params\":7850,\"receptiveField\":28}");
        assertThat(sink.hasEvent("architecture")).isTrue();
        assertThat(sink.artifact("confusion_matrix.json")).as("the shared loop's confusion matrix").isNotNull();

        BufferedImage filters = ImageIO.read(new ByteArrayInputStream(sink.artifact(ConvNet.FILTERS).bytes()));
        // Eight 3x3 filters drawn 2x in one row, 2-pixel gaps: 8 * 6 + 9 * 2 wide, 6 + 2 * 2 high.
        assertThat(filters.getWidth()).isEqualTo(8 * 6 + 9 * 2);
        assertThat(filters.getHeight()).isEqualTo(6 + 2 * 2);
    }

    @Test
    void the_w3_preset_is_exactly_the_w3_workload() {
        var net = LayerStack.parse("w3").build(new int[] {1, 28, 28}, 10);
        assertThat(LayerStack.parse("w3").tokens()).containsExactly(
                "conv3x3x32p1", "relu", "maxpool2", "conv3x3x64p1", "relu", "maxpool2", "fc128", "relu", "fc10");
        // 320 + 18,496 + 3136 * 128 + 128 + 1,290
        assertThat(net.params().trainableCount()).isEqualTo(320 + 18_496 + 401_536 + 1_290);
        assertThat(net.outputShape(5)).containsExactly(64, 7, 7);
    }

    @Test
    void every_preset_builds_on_28x28_and_32x32_digits() {
        for (String preset : LayerStack.PRESETS.keySet()) {
            for (int size : new int[] {28, 32}) {
                assertThat(LayerStack.parse(preset).build(new int[] {1, size, size}, 10).outputShape()).as(preset).containsExactly(10);
            }
        }
    }

    @Test
    void a_window_that_does_not_tile_the_image_is_refused_naming_the_layer_the_numbers_and_the_rule() {
        LabelledTensors data = LabelledTensors.of(digits(8), digits(4), digits(4));
        assertThatThrownBy(() -> CNN.checkFits(CNN.params().resolve(p("layers", "conv3x3x8s2,relu,fc10"), "$.params"), data))
                .isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("$.params.layers")
                .hasMessageContaining("conv0: H 28 does not fit kernel 3, stride 2, padding 0")
                .hasMessageContaining("(28 - 3 + 0) / 2 + 1 = 13.5, which must be a positive integer");
        assertThatThrownBy(() -> CNN.checkFits(CNN.params().resolve(p("layers", "conv5x5x8,maxpool2,maxpool2,maxpool2,maxpool2,fc10"), "$.params"), data))
                .hasMessageContaining("maxpool4: H 3 ")
                .hasMessageContaining("(3 - 2 + 0) / 2 + 1 = 1.5");
        // The same stack with padding 1 tiles 28 exactly: (28 - 3 + 2) / 2 + 1 = 14.5 would not, stride 1 does.
        CNN.checkFits(CNN.params().resolve(p("layers", "conv3x3x8p1,relu,maxpool2,fc10"), "$.params"), data);
    }

    @Test
    void a_malformed_stack_is_refused_naming_the_token_and_the_syntax() {
        LabelledTensors data = LabelledTensors.of(digits(8), digits(4), digits(4));
        for (String[] bad : new String[][] {
                {"conv3x3,fc10", "layer 0 \"conv3x3\" is an unknown layer"},
                {"conv3x5x8,fc10", "kernels are square"},
                {"conv3x3x8p1,,fc10", "layer 1 \"\" is an empty layer"},
                {"conv3x3x8p1,dropout1.5,fc10", "layer 1 \"dropout1.5\" is an unknown layer"},
                {"conv3x3x8p1,relu,fc12", "a stack ending in fc10 (the data has 10 classes); it ends in \"fc12\""},
                {"fc32,conv3x3x8p1,fc10", "conv1: a convolution needs (C, H, W) samples, got [32]"}}) {
            assertThatThrownBy(() -> CNN.checkFits(CNN.params().resolve(p("layers", bad[0]), "$.params"), data))
                    .as(bad[0]).isInstanceOf(InvalidParamException.class)
                    .hasMessageContaining("$.params.layers").hasMessageContaining(bad[1]);
        }
    }

    private static Dataset digits(int n) {
        try {
            return Mnist10k.load().subset("few", java.util.stream.IntStream.range(0, n).toArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void the_receptive_field_grows_by_the_kernel_times_the_jump_of_every_window() {
        var net = LayerStack.parse("conv5x5x4s1p2,maxpool2,conv3x3x4p1,maxpool2s2,conv3x3x4p1,fc10").build(new int[] {1, 32, 32}, 10);
        var rows = dev.nnlab.training.Architecture.rows(net);
        // 5, then +1*1 = 6 (jump 2), then +2*2 = 10, then +1*2 = 12 (jump 4), then +2*4 = 20
        assertThat(rows.stream().mapToInt(dev.nnlab.training.Architecture.Row::receptiveField).toArray())
                .containsExactly(5, 6, 10, 12, 20, 32);
        assertThat(Arrays.stream(rows.get(4).outputShape()).boxed().toList()).containsExactly(4, 8, 8);
    }
}
