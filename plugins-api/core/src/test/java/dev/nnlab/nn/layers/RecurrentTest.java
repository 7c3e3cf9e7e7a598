package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Uniform;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.testing.GradientCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The recurrent cells against numerical gradients over several steps, and their state across windows. */
class RecurrentTest {
    private static final int N = 2, T = 5, C = 3, H = 4;

    private static IntFunction<Recurrent> cell(String kind) {
        return switch (kind) {
            case "rnn" -> Rnn::new;
            case "lstm" -> h -> new Lstm(h, null, 1f);
            case "gru" -> Gru::new;
            default -> throw new IllegalArgumentException(kind);
        };
    }

    private static Sequential net(String kind, int steps, long seed) {
        return LayerGradients.single(new int[] {steps, C}, cell(kind).apply(H), seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void gradients_of_inputs_and_parameters_match_finite_differences_over_five_steps_from_a_given_state(String kind) {
        Sequential net = net(kind, T, 1);
        Recurrent layer = (Recurrent) net.layer(0);
        layer.setInitialState(LayerGradients.uniform(4, -0.8f, 0.8f, N, layer.stateWidth()));
        LayerGradients.check(net, LayerGradients.uniform(2, -1.5f, 1.5f, N, T, C), 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void gradient_of_the_initial_state_matches_finite_differences(String kind) {
        initialStateGradientMatches(net(kind, T, 1), N);
    }

    /**
     * dL/dh_{t-1} = g_t W_hh^T runs over W_hh^T padded to whole vectors when H is not a multiple of the
     * vector length; 9 rows also take the 4-row tiles and the copied strips of the per-step product.
     */
    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void gradient_of_the_initial_state_matches_finite_differences_when_the_hidden_width_is_not_whole_vectors(String kind) {
        int h = dev.nnlab.kernels.SmallGemm.lanes() + 3;
        initialStateGradientMatches(LayerGradients.single(new int[] {3, C}, cell(kind).apply(h), 3), 9);
    }

    private static void initialStateGradientMatches(Sequential net, int n) {
        Recurrent layer = (Recurrent) net.layer(0);
        Tensor state = LayerGradients.uniform(4, -0.8f, 0.8f, n, layer.stateWidth());
        int steps = layer.steps;
        Tensor x = LayerGradients.uniform(2, -1.5f, 1.5f, n, steps, C);
        layer.setInitialState(state);
        Tensor y = net.forward(x, true);
        float[] r = LayerGradients.uniform(5, -1f, 1f, y.size()).data;
        net.params().zeroGrad();
        net.backward(Tensor.of(r.clone(), y.shape()));
        Tensor analytic = layer.initialStateGradient().copy();
        GradientCheck.check("dL/dstate0", () -> {
            layer.setInitialState(state);
            return GradientCheck.weightedSum(net.forward(x, true), r);
        }, state, analytic);
        float max = 0;
        for (int i = 0; i < analytic.size(); i++) max = Math.max(max, Math.abs(analytic.at(i)));
        assertThat(max).as("the initial state receives gradient").isGreaterThan(1e-3f);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void two_windows_with_carried_state_equal_one_window_of_twice_the_length(String kind) {
        Sequential whole = net(kind, 2 * T, 1);
        Sequential window = net(kind, T, 7);
        System.arraycopy(whole.params().values, 0, window.params().values, 0, whole.params().size());
        Tensor x = LayerGradients.uniform(2, -1.5f, 1.5f, N, 2 * T, C);
        float[] expected = whole.forward(x, false).toArray();
        Recurrent layer = (Recurrent) window.layer(0);
        layer.carryState(true);
        float[] got = new float[expected.length];
        for (int w = 0; w < 2; w++) {
            Tensor part = Tensor.zeros(N, T, C);
            for (int s = 0; s < N; s++) System.arraycopy(x.data, (s * 2 * T + w * T) * C, part.data, s * T * C, T * C);
            Tensor y = window.forward(part, false);
            for (int s = 0; s < N; s++) System.arraycopy(y.data, s * T * H, got, (s * 2 * T + w * T) * H, T * H);
        }
        for (int i = 0; i < expected.length; i++) assertThat(got[i]).as("h[%d]", i).isCloseTo(expected[i], within(1e-5f));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn", "lstm", "gru"})
    void reset_state_starts_the_next_window_from_zeros_and_without_carry_every_window_does(String kind) {
        Sequential net = net(kind, T, 1);
        Recurrent layer = (Recurrent) net.layer(0);
        Tensor x = LayerGradients.uniform(2, -1.5f, 1.5f, N, T, C);
        float[] fresh = net.forward(x, false).toArray();
        assertThat(net.forward(x, false).toArray()).as("no carry: same start").containsExactly(fresh);
        layer.carryState(true);
        assertThat(net.forward(x, false).toArray()).as("carried: another start").isNotEqualTo(fresh);
        layer.resetState();
        assertThat(net.forward(x, false).toArray()).as("after reset").containsExactly(fresh);
        assertThat(layer.finalState().shape()).containsExactly(N, layer.stateWidth());
    }

    @Test
    void forget_bias_is_added_to_the_forget_gate_block_only() {
        Sequential plain = LayerGradients.single(new int[] {T, C}, new Lstm(H, new Uniform(0.1), 0f), 1);
        Sequential biased = LayerGradients.single(new int[] {T, C}, new Lstm(H, new Uniform(0.1), 1f), 1);
        Tensor a = plain.params().value(plain.name(0) + ".bias"), b = biased.params().value(biased.name(0) + ".bias");
        for (int i = 0; i < 4 * H; i++) {
            float shift = i >= H && i < 2 * H ? 1f : 0f;
            assertThat(b.at(i)).as("bias[%d]", i).isCloseTo(a.at(i) + shift, within(1e-6f));
        }
        assertThatThrownBy(() -> new Lstm(H, null, 11f)).hasMessageContaining("forgetBias");
    }

    @Test
    void gate_saturation_is_high_for_large_weights_and_low_for_small_ones() {
        Tensor x = LayerGradients.awayFromZero(2, 1f, N, T, C);
        Sequential small = LayerGradients.single(new int[] {T, C}, new Lstm(H, new Uniform(0.01), 0f), 1);
        small.forward(x, true);
        Sequential large = LayerGradients.single(new int[] {T, C}, new Lstm(H, new Uniform(20), 0f), 1);
        large.forward(x, true);
        var s = ((Recurrent) small.layer(0)).statistics();
        var l = ((Recurrent) large.layer(0)).statistics();
        assertThat(s.get("forget_gate_saturation")).isZero();
        assertThat(s.get("input_gate_saturation")).isZero();
        assertThat(l.get("forget_gate_saturation")).isGreaterThan(0.8);
        assertThat(l.get("input_gate_saturation")).isGreaterThan(0.8);
    }

    @Test
    void gradient_through_time_vanishes_in_a_small_weight_rnn_and_the_first_step_norm_shows_it() {
        int steps = 30;
        Sequential net = LayerGradients.single(new int[] {steps, C}, new Rnn(H, new Uniform(0.1)), 1);
        Tensor y = net.forward(LayerGradients.uniform(2, -1f, 1f, N, steps, C), true);
        Tensor dy = Tensor.zeros(y.shape());
        for (int s = 0; s < N; s++) for (int j = 0; j < H; j++) dy.data[(s * steps + steps - 1) * H + j] = 1f;
        net.backward(dy);
        var stats = ((Recurrent) net.layer(0)).statistics();
        assertThat(stats.get("bptt_grad_last")).isCloseTo(Math.sqrt(N * H), within(1e-6));
        assertThat(stats.get("bptt_grad_first")).isLessThan(1e-6);
    }

    @Test
    void a_sequence_of_the_wrong_shape_is_refused_with_the_shape_named() {
        assertThatThrownBy(() -> LayerGradients.single(new int[] {C}, new Lstm(H), 1))
                .hasMessageContaining("(T, C)").hasMessageContaining("[3]");
        assertThatThrownBy(() -> new Gru(0)).hasMessageContaining("hidden");
    }
}
