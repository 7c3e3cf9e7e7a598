package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Xavier;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Keras {@code run_layer_test} idea: one set of contract checks run on every layer (see
 * {@link Layer}'s Javadoc): output shape, parameter count, deterministic evaluation, training vs
 * evaluation, accumulating backward, buffer reuse, and a parameter save/load round trip.
 */
class LayerContractTest {
    private static final int N = 4;

    record Case(String label, Supplier<Layer> layer, int[] input, int[] output, int trainable, boolean modesDiffer) {
        @Override
        public String toString() { return label; }

        Sequential build(long seed) {
            return new Sequential(input, layer.get()).initialize(new Rng(seed));
        }

        Tensor x(long seed, int n) {
            int[] shape = new int[input.length + 1];
            shape[0] = n;
            System.arraycopy(input, 0, shape, 1, input.length);
            return LayerGradients.awayFromZero(seed, 0.05f, shape);
        }
    }

    static List<Case> layers() {
        return List.of(
                new Case("dense", () -> new Dense(5), new int[] {4}, new int[] {5}, 25, false),
                new Case("dense on (2, 3) without bias", () -> new Dense(5, new Xavier(false), false),
                        new int[] {2, 3}, new int[] {5}, 30, false),
                new Case("sigmoid", Sigmoid::new, new int[] {6}, new int[] {6}, 0, false),
                new Case("tanh", Tanh::new, new int[] {2, 3}, new int[] {2, 3}, 0, false),
                new Case("relu", ReLU::new, new int[] {6}, new int[] {6}, 0, false),
                new Case("leaky relu", LeakyReLU::new, new int[] {6}, new int[] {6}, 0, false),
                new Case("elu", ELU::new, new int[] {6}, new int[] {6}, 0, false),
                new Case("prelu per feature", PReLU::new, new int[] {6}, new int[] {6}, 6, false),
                new Case("prelu per channel", PReLU::new, new int[] {3, 2, 2}, new int[] {3, 2, 2}, 3, false),
                new Case("prelu shared", () -> new PReLU(true), new int[] {6}, new int[] {6}, 1, false),
                new Case("maxout", () -> new Maxout(3), new int[] {6}, new int[] {2}, 0, false),
                new Case("dropout", () -> new Dropout(0.5f), new int[] {6}, new int[] {6}, 0, true),
                new Case("batchnorm on features", BatchNorm::new, new int[] {4}, new int[] {4}, 8, true),
                new Case("batchnorm on images", BatchNorm::new, new int[] {3, 2, 2}, new int[] {3, 2, 2}, 6, true),
                new Case("layernorm", LayerNorm::new, new int[] {2, 3}, new int[] {2, 3}, 12, false),
                new Case("rnn", () -> new Rnn(3), new int[] {4, 2}, new int[] {4, 3}, 6 + 9 + 3, false),
                new Case("lstm with forget bias", () -> new Lstm(3, null, 1f), new int[] {4, 2}, new int[] {4, 3}, 24 + 36 + 12, false),
                new Case("gru", () -> new Gru(3), new int[] {4, 2}, new int[] {4, 3}, 18 + 27 + 9 + 9, false),
                new Case("last step", LastStep::new, new int[] {4, 2}, new int[] {2}, 0, false),
                new Case("sequence dense", () -> new SequenceDense(5), new int[] {4, 2}, new int[] {4, 5}, 15, false),
                new Case("residual block", () -> new Residual(new Dense(4), new Tanh()), new int[] {4}, new int[] {4}, 20, false),
                new Case("residual block with projection and dropout", () -> Residual.withProjection(
                        new Dense(3, new Xavier(false), false), new Dense(3), new Dropout(0.5f)),
                        new int[] {4}, new int[] {3}, 27, true),
                new Case("conv 3x3 stride 2 padding 1", () -> new Conv2d(3, new WindowGeometry(3, 2, 1), true,
                        new dev.nnlab.nn.init.He(), false), new int[] {2, 5, 5}, new int[] {3, 3, 3}, 57, false),
                new Case("conv 1x1 without bias", () -> new Conv2d(2, new WindowGeometry(1, 1, 0), false,
                        new dev.nnlab.nn.init.He(), false), new int[] {3, 2, 2}, new int[] {2, 2, 2}, 6, false),
                new Case("max pool", () -> new MaxPool2d(2), new int[] {2, 4, 6}, new int[] {2, 2, 3}, 0, false),
                new Case("average pool", () -> new AvgPool2d(new WindowGeometry(3, 2, 1)), new int[] {2, 5, 5}, new int[] {2, 3, 3}, 0, false),
                new Case("global average pool", GlobalAvgPool::new, new int[] {3, 2, 3}, new int[] {3}, 0, false),
                new Case("zero-padding shortcut", () -> new ZeroPadShortcut(3, 2), new int[] {2, 3, 4}, new int[] {3, 2, 2}, 0, false),
                new Case("flatten", Flatten::new, new int[] {2, 3, 2}, new int[] {12}, 0, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void output_has_the_declared_shape_and_parameter_count(Case c) {
        Sequential net = c.build(1);
        assertThat(net.outputShape()).containsExactly(c.output);
        assertThat(net.params().trainableCount()).isEqualTo(c.trainable);
        int[] expected = new int[c.output.length + 1];
        expected[0] = N;
        System.arraycopy(c.output, 0, expected, 1, c.output.length);
        assertThat(net.forward(c.x(2, N), true).shape()).containsExactly(expected);
        assertThat(net.forward(c.x(2, N), false).shape()).containsExactly(expected);
        for (Parameters.Entry e : net.params().entries()) assertThat(e.name()).startsWith(net.name(0) + ".");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void evaluation_is_deterministic_and_differs_from_training_only_where_it_should(Case c) {
        Sequential net = c.build(1);
        Tensor x = c.x(2, N);
        float[] eval1 = net.forward(x, false).toArray();
        float[] eval2 = net.forward(x, false).toArray();
        assertThat(eval2).containsExactly(eval1);
        float[] train = net.forward(x, true).toArray();
        if (c.modesDiffer) {
            assertThat(train).isNotEqualTo(eval1);
        } else {
            assertThat(train).containsExactly(eval1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void backward_adds_into_the_gradients_and_leaves_its_cache_intact(Case c) {
        Sequential net = c.build(1);
        Tensor y = net.forward(c.x(2, N), true);
        Tensor dy = LayerGradients.uniform(3, -1, 1, y.shape());
        Parameters p = net.params();
        p.zeroGrad();
        float[] dx1 = net.backward(dy).toArray();
        float[] once = p.grads.clone();
        float[] dx2 = net.backward(dy).toArray();
        assertThat(dx2).containsExactly(dx1);
        float max = 0;
        for (int i = 0; i < once.length; i++) {
            assertThat(p.grads[i]).as("grads[%d]", i).isCloseTo(2 * once[i], within(1e-5f * (1 + Math.abs(once[i]))));
            max = Math.max(max, Math.abs(once[i]));
        }
        if (c.trainable > 0) assertThat(max).as("some gradient is non-zero").isGreaterThan(0f);
        for (Parameters.Entry e : p.entries()) {
            if (!e.trainable()) assertThat(p.grad(e).toArray()).as(e.name()).containsOnly(0f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void buffers_are_reused_for_the_same_batch_size_and_resized_for_another(Case c) {
        Sequential net = c.build(1);
        Tensor y1 = net.forward(c.x(2, N), true);
        Tensor dx1 = net.backward(LayerGradients.uniform(3, -1, 1, y1.shape()));
        Tensor y2 = net.forward(c.x(4, N), true);
        Tensor dx2 = net.backward(LayerGradients.uniform(5, -1, 1, y2.shape()));
        assertThat(y2).isSameAs(y1);
        assertThat(dx2).isSameAs(dx1);
        Tensor y3 = net.forward(c.x(6, N + 2), true);
        assertThat(y3.rows()).isEqualTo(N + 2);
        Tensor dx3 = net.backward(LayerGradients.uniform(7, -1, 1, y3.shape()));
        assertThat(dx3.shape()).containsExactly(c.x(6, N + 2).shape());
    }

    /**
     * A smaller batch after a larger one (an epoch's last batch, an evaluation pass) runs in views of the
     * larger buffers, and computes exactly what a layer that never saw the larger batch computes: no
     * layer may depend on a buffer being freshly zeroed or exactly its batch's size.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void a_smaller_batch_reuses_the_larger_buffers_and_computes_what_a_fresh_layer_does(Case c) {
        Sequential seen = c.build(1), fresh = c.build(1);
        Tensor yBig = seen.forward(c.x(2, N + 3), true);
        Tensor dxBig = seen.backward(LayerGradients.uniform(3, -1, 1, yBig.shape()));
        seen.params().zeroGrad();
        float[] yArray = yBig.data, dxArray = dxBig.data;
        for (boolean training : new boolean[] {true, false}) {
            Tensor x = c.x(4, N - 1);
            Tensor y = seen.forward(x, training), expected = fresh.forward(x, training);
            assertThat(y.rows()).isEqualTo(N - 1);
            assertThat(y.data).as("a view of the larger batch's output buffer").isSameAs(yArray);
            // dropout's masks and batch norm's running statistics have moved on in "seen": only the buffer is compared
            if (c.modesDiffer()) continue;
            assertThat(y.toArray()).as("output, training " + training).containsExactly(expected.toArray());
            if (!training) continue;
            Tensor dy = LayerGradients.uniform(5, -1, 1, y.shape());
            Tensor dx = seen.backward(dy), dxFresh = fresh.backward(dy);
            assertThat(dx.data).isSameAs(dxArray);
            assertThat(dx.toArray()).containsExactly(dxFresh.toArray());
            assertThat(seen.params().grads).containsExactly(fresh.params().grads);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void copying_parameter_values_reproduces_the_outputs_of_an_identically_built_layer(Case c) {
        Sequential source = c.build(1);
        Tensor x = c.x(2, N);
        source.forward(c.x(3, N), true);
        // Move every value, buffers included, off its initial value so the copy has something to carry.
        Rng rng = new Rng(9);
        for (int i = 0; i < source.params().size(); i++) source.params().values[i] += 0.1f + 0.2f * rng.nextFloat();
        float[] expected = source.forward(x, false).toArray();

        Sequential target = c.build(2);
        if (source.params().size() > 0) assertThat(target.forward(x, false).toArray()).isNotEqualTo(expected);
        System.arraycopy(source.params().values, 0, target.params().values, 0, source.params().size());
        assertThat(target.forward(x, false).toArray()).containsExactly(expected);
        assertThat(Arrays.equals(source.params().values, target.params().values)).isTrue();
    }
}
