package dev.nnlab.nn;

import dev.nnlab.nn.layers.BatchBuffers;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gradient check a plugin author gets, used as one would from outside the core's packages: a
 * custom layer built on the public {@link BatchBuffers}, with a right and a wrong backward.
 */
class GradientCheckTest {

    /** {@code y = x^2} element-wise; {@code slope} 2 is the true derivative factor, 1 a bug. */
    static final class Square implements Layer {
        private final float slope;
        private int features;
        private Tensor x;
        private Tensor y;
        private Tensor dx;

        Square(float slope) {
            this.slope = slope;
        }

        @Override public int[] build(String name, int[] inputShape, Parameters.Builder params) {
            features = Tensor.sizeOf(inputShape);
            return inputShape;
        }

        @Override public Tensor forward(Tensor in, boolean training) {
            int n = BatchBuffers.batchSize(in, features, "square");
            y = BatchBuffers.reuse(y, n, features);
            for (int i = 0; i < in.size(); i++) y.data[y.offset + i] = in.at(i) * in.at(i);
            x = in;
            return y;
        }

        @Override public Tensor backward(Tensor dy) {
            BatchBuffers.sameSize(dy, y, "square");
            dx = BatchBuffers.reuse(dx, x.rows(), features);
            for (int i = 0; i < dy.size(); i++) dx.data[dx.offset + i] = slope * x.at(i) * dy.at(i);
            return dx;
        }

        @Override public String kind() { return "square"; }
    }

    static Tensor input() {
        Rng rng = new Rng(3);
        Tensor x = Tensor.zeros(5, 4);
        for (int i = 0; i < x.size(); i++) x.data[i] = rng.uniform(0.5f, 1.5f) * (i % 2 == 0 ? 1 : -1);
        return x;
    }

    @Test
    void a_custom_layer_with_the_right_backward_passes_with_its_neighbours_parameters() {
        Sequential net = new Sequential(new int[] {4}, new Dense(4, Initializer.named("gaussian", 0.5), true), new Square(2f))
                .initialize(new Rng(1));
        GradientCheck.layer(net, input(), 7);
    }

    @Test
    void a_wrong_backward_fails_naming_the_gradient_and_both_values() {
        Sequential net = new Sequential(new int[] {4}, new Square(1f)).initialize(new Rng(1));
        assertThatThrownBy(() -> GradientCheck.layer(net, input(), 7))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("dL/dx: gradient[0] analytic")
                .hasMessageContaining("vs numeric");
    }

    @Test
    void a_gradient_that_never_reaches_its_input_fails_as_all_zero() {
        Sequential net = new Sequential(new int[] {4}, new Square(0f)).initialize(new Rng(1));
        assertThatThrownBy(() -> GradientCheck.layer(net, input(), 7))
                .isInstanceOf(AssertionError.class).hasMessageContaining("dL/dx is all (near) zero");
    }

    @Test
    void weighted_sum_is_the_dot_product_in_double() {
        assertThat(GradientCheck.weightedSum(Tensor.of(new float[] {1, 2, 3}, 3), new float[] {0.5f, -1f, 2f})).isEqualTo(4.5);
    }
}
