package dev.nnlab.plugins.resnet;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Residual;
import dev.nnlab.nn.layers.ZeroPadShortcut;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResNetTest {
    static final ResNet RESNET = new ResNet();

    static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** n 12x12 grey images: class 0 has a bright horizontal bar, class 1 a vertical one, at random places, over noise. */
    static Dataset bars(int n, long seed) {
        Rng rng = new Rng(seed);
        float[] x = new float[n * 144];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            int at = 2 + rng.nextInt(8);
            for (int p = 0; p < 144; p++) {
                int r = p / 12, c = p % 12;
                boolean bar = labels[i] == 0 ? r == at : c == at;
                x[i * 144 + p] = 0.3f * rng.nextFloat() + (bar ? 1f : 0f);
            }
        }
        return new Dataset("bars", Tensor.of(x, n, 1, 12, 12), labels, List.of("horizontal", "vertical"), n,
                FeatureScale.UNIT_INTERVAL, "sha256:bars-" + seed);
    }

    @Test
    void resnet8_lowers_its_training_loss_in_a_few_steps() {
        TrainingJob job = new TrainingJob(RESNET.params().resolve(p("depth", 8, "optimizer", "momentum", "lr", 0.05,
                "epochs", 4, "batchSize", 8, "logEvery", 1), "$.params"), bars(32, 1), bars(8, 2), bars(8, 3), null, 1);
        RecordingSink sink = new RecordingSink();
        TrainResult r = RESNET.train(job, sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        List<Double> loss = sink.values("train_loss");
        assertThat(loss.size()).isGreaterThanOrEqualTo(12);
        double first = (loss.get(0) + loss.get(1)) / 2, last = (loss.get(loss.size() - 1) + loss.get(loss.size() - 2)) / 2;
        assertThat(last).as("mean of the last two logged losses vs the first two").isLessThan(first);
        assertThat(sink.artifact("layers.json")).isNotNull();
    }

    @Test
    void resnet20_has_the_parameter_count_of_the_reference_cifar_implementation() {
        // 267,696 conv weights + 1,376 batch-norm gains and shifts + 650 in the classifier: the 269,722 the common
        // PyTorch CIFAR ResNet-20 (option A) reports.
        Sequential net = ResNet.build(new int[] {3, 32, 32}, 10, 20, false, false);
        assertThat(net.params().trainableCount()).isEqualTo(269_722);
        assertThat(net.outputShape()).containsExactly(10);
        long blocks = net.layers().stream().filter(l -> l instanceof Residual).count();
        assertThat(blocks).isEqualTo(9);
    }

    @Test
    void option_b_adds_two_1x1_projections_and_plain_keeps_the_depth_without_shortcuts() {
        Sequential a = ResNet.build(new int[] {3, 32, 32}, 10, 20, false, false);
        Sequential b = ResNet.build(new int[] {3, 32, 32}, 10, 20, true, false);
        Sequential plain = ResNet.build(new int[] {3, 32, 32}, 10, 20, false, true);
        // 16 * 32 and 32 * 64 projection weights
        assertThat(b.params().trainableCount() - a.params().trainableCount()).isEqualTo(16 * 32 + 32 * 64);
        assertThat(plain.params().trainableCount()).isEqualTo(a.params().trainableCount());
        assertThat(plain.layers()).noneMatch(l -> l instanceof Residual);
        assertThat(a.allLayers()).extracting(Layer.Nested::layer).filteredOn(l -> l instanceof ZeroPadShortcut).hasSize(2);
        assertThat(a.outputShape(a.layers().size() - 3)).as("the last block's output").containsExactly(64, 8, 8);
    }

    @Test
    void zero_init_residual_gamma_starts_every_block_as_its_shortcut_and_leaves_plain_nets_alone() {
        Tensor x = bars(4, 5).features();
        Sequential plainNet = ResNet.build(new int[] {1, 12, 12}, 2, 14, false, true, true).initialize(new Rng(3));
        Sequential zeroed = ResNet.build(new int[] {1, 12, 12}, 2, 14, false, false, true).initialize(new Rng(3));
        Sequential usual = ResNet.build(new int[] {1, 12, 12}, 2, 14, false, false, false).initialize(new Rng(3));
        for (Sequential net : List.of(plainNet, zeroed, usual)) {
            long ones = 0, zeros = 0;
            for (Parameters.Entry e : net.params().entries()) {
                if (!e.name().endsWith(".gamma")) continue;
                for (float g : net.params().value(e).toArray()) {
                    if (g == 1f) ones++; else if (g == 0f) zeros++;
                }
            }
            // 6 blocks of 2 batch norms (16, 16, 32, 32, 64, 64 channels) after the stem's 16.
            long lastOfBranch = 2 * 16 + 2 * 32 + 2 * 64;
            assertThat(zeros).as("gains at 0").isEqualTo(net == zeroed ? lastOfBranch : 0);
            assertThat(ones + zeros).isEqualTo(16 + 2 * lastOfBranch);
        }
        // Every block of the zeroed net passes its shortcut on, so its output is the stem's, subsampled and
        // zero-padded by the option-A shortcuts, after the blocks' ReLUs (which keep the stem's non-negative values).
        zeroed.forward(x, true);
        Tensor body = zeroed.lastOutput(zeroed.layers().size() - 3);
        float[] s = zeroed.lastOutput(2).toArray(), b = body.toArray();
        assertThat(body.shape()).containsExactly(4, 64, 3, 3);
        for (int n = 0; n < 4; n++) {
            for (int c = 0; c < 64; c++) {
                for (int r = 0; r < 3; r++) {
                    for (int q = 0; q < 3; q++) {
                        float expected = c < 16 ? s[((n * 16 + c) * 12 + 4 * r) * 12 + 4 * q] : 0f;
                        assertThat(b[((n * 64 + c) * 3 + r) * 3 + q]).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void a_depth_that_is_not_6n_plus_2_is_refused_naming_the_rule_and_one_that_is_passes() {
        LabelledTensors data = LabelledTensors.of(bars(4, 1), bars(2, 2), bars(2, 3));
        assertThatThrownBy(() -> RESNET.checkFits(RESNET.params().resolve(p("depth", 18), "$.params"), data))
                .isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("$.params.depth").hasMessageContaining("6n + 2")
                .hasMessageContaining("18 - 2 = 16 is not a multiple of 6");
        for (int depth : new int[] {8, 14, 20, 32, 56}) RESNET.checkFits(RESNET.params().resolve(p("depth", depth), "$.params"), data);
        assertThatThrownBy(() -> RESNET.params().resolve(p("depth", 2), "$.params")).hasMessageContaining("$.params.depth");
    }
}
