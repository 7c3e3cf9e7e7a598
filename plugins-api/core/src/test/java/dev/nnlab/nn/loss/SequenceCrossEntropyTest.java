package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.testing.GradientCheck;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SequenceCrossEntropyTest {
    private static final float LN3 = (float) Math.log(3);

    /** One sequence of three steps, two classes: [0, 0] -> 1, [0, ln 3] -> 1, then one padding token. */
    private static Tensor tiny() {
        return Tensor.of(new float[] {0, 0, 0, LN3, 5, -5}, 1, 3, 2);
    }

    @Test
    void loss_gradient_accuracy_and_perplexity_count_the_real_tokens_by_hand() {
        SequenceCrossEntropy loss = new SequenceCrossEntropy();
        float l = loss.forward(tiny(), new int[] {1, 1, -1});
        // token 0: p = (1/2, 1/2), -ln(1/2) = ln 2;  token 1: p = (1/4, 3/4), -ln(3/4);  token 2 is padding.
        double expected = (Math.log(2) + Math.log(4.0 / 3)) / 2;
        assertThat((double) l).isCloseTo(expected, within(1e-6));
        assertThat(loss.countedTokens()).isEqualTo(2);
        // token 0 ties and arg-max takes class 0 (wrong); token 1 is right.
        assertThat(loss.correctTokens()).isEqualTo(1);
        assertThat(SequenceCrossEntropy.perplexity(l)).isCloseTo(Math.sqrt(8.0 / 3), within(1e-5));
        // (softmax - onehot) / 2 tokens; the padding row gets nothing.
        assertThat(loss.backward().toArray()).containsExactly(new float[] {0.25f, -0.25f, 0.125f, -0.125f, 0f, 0f}, within(1e-6f));
    }

    @Test
    void padding_does_not_dilute_the_mean() {
        SequenceCrossEntropy loss = new SequenceCrossEntropy(7);
        Tensor logits = Tensor.of(new float[] {0, 0, 1, 2, 3, 4, 0, 0}, 2, 2, 2);
        float onlyFirst = loss.forward(logits, new int[] {1, 7, 7, 7});
        assertThat((double) onlyFirst).isCloseTo(Math.log(2), within(1e-6));
        assertThat(loss.forward(logits, new int[] {7, 7, 7, 7})).isZero();
        assertThat(loss.backward().toArray()).containsOnly(0f);
    }

    @Test
    void gradient_check_with_padding() {
        Rng rng = new Rng(3);
        Tensor logits = Tensor.zeros(2, 3, 4);
        for (int i = 0; i < logits.size(); i++) logits.data[i] = (float) rng.nextGaussian();
        int[] targets = {0, 3, -1, 2, -1, 1};
        SequenceCrossEntropy loss = new SequenceCrossEntropy();
        loss.forward(logits, targets);
        float[] analytic = loss.backward().toArray();
        GradientCheck.check("dL/dlogits", () -> loss.forward(logits, targets), logits.data, 0, analytic, 0, logits.size());
    }

    @Test
    void totals_weigh_batches_by_their_tokens_not_their_rows() {
        SequenceCrossEntropy loss = new SequenceCrossEntropy();
        TokenTotals totals = new TokenTotals();
        // Batch A: one row, one counted token of loss ln 2 (wrong by the tie).
        loss.forward(Tensor.of(new float[] {0, 0, 0, 0}, 1, 2, 2), new int[] {1, -1});
        totals.add(loss);
        // Batch B: one row, two counted tokens of loss -ln(3/4) each, both right.
        loss.forward(Tensor.of(new float[] {0, LN3, 0, LN3}, 1, 2, 2), new int[] {1, 1});
        totals.add(loss);
        double a = Math.log(2), b = Math.log(4.0 / 3);
        assertThat(totals.tokens()).isEqualTo(3);
        assertThat(totals.meanLoss()).isCloseTo((a + 2 * b) / 3, within(1e-6));
        assertThat(totals.meanLoss()).isNotCloseTo((a + b) / 2, within(1e-3));
        assertThat(totals.accuracy()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(totals.perplexity()).isCloseTo(Math.exp((a + 2 * b) / 3), within(1e-6));
    }

    @Test
    void bad_shapes_and_targets_are_refused_naming_the_token() {
        SequenceCrossEntropy loss = new SequenceCrossEntropy();
        assertThatThrownBy(() -> loss.forward(Tensor.zeros(2, 3), new int[] {0, 1}))
                .hasMessageContaining("(N, T, C)");
        assertThatThrownBy(() -> loss.forward(tiny(), new int[] {1, 1}))
                .hasMessageContaining("2 targets for 1 x 3 = 3 tokens");
        assertThatThrownBy(() -> loss.forward(tiny(), new int[] {1, 2, -1}))
                .hasMessageContaining("target 2 of token 1 (sample 0, step 1)");
    }

    @Test
    void in_place_gives_the_same_loss_and_gradient_written_over_the_logits() {
        Rng rng = new Rng(17);
        Tensor logits = Tensor.zeros(3, 4, 37);
        for (int i = 0; i < logits.size(); i++) logits.data[i] = (float) (rng.nextDouble() * 6 - 3);
        int[] targets = new int[12];
        for (int i = 0; i < targets.length; i++) targets[i] = i == 5 ? -1 : (i * 7) % 37;
        SequenceCrossEntropy separate = new SequenceCrossEntropy();
        float want = separate.forward(logits, targets);
        Tensor wantGrad = separate.backward().copy();
        Tensor copy = logits.copy();
        SequenceCrossEntropy inPlace = SequenceCrossEntropy.inPlace();
        assertThat(inPlace.forward(copy, targets)).isEqualTo(want);
        assertThat(inPlace.backward()).isSameAs(copy);
        assertThat(inPlace.correctTokens()).isEqualTo(separate.correctTokens());
        for (int i = 0; i < copy.size(); i++) assertThat(copy.data[i]).as("gradient %d", i).isEqualTo(wantGrad.data[i]);
    }

    /** L = (1/N) sum over sequences of their summed token losses: checked numerically, padding included. */
    @Test
    void per_sequence_gradient_is_that_of_the_summed_window_loss_averaged_over_rows() {
        Rng rng = new Rng(5);
        Tensor logits = Tensor.zeros(3, 5, 7);
        for (int i = 0; i < logits.size(); i++) logits.data[i] = (float) rng.nextGaussian();
        int[] targets = new int[15];
        for (int i = 0; i < targets.length; i++) targets[i] = i == 4 || i == 11 ? -1 : (i * 3) % 7;
        SequenceCrossEntropy perToken = new SequenceCrossEntropy();
        SequenceCrossEntropy perSequence = SequenceCrossEntropy.perSequence();
        float mean = perToken.forward(logits, targets);
        // the returned loss stays the per-token mean (13 counted tokens)
        assertThat(perSequence.forward(logits, targets)).isEqualTo(mean);
        float[] analytic = perSequence.backward().toArray();
        GradientCheck.check("d(sum/N)/dlogits", () -> perToken.forward(logits, targets) * 13f / 3f, logits.data, 0, analytic, 0, logits.size());
        // 13/3 times the per-token gradient (forward again: the check left its last perturbation's gradient)
        perToken.forward(logits, targets);
        float[] tokenGrad = perToken.backward().toArray();
        for (int i = 0; i < analytic.length; i++) assertThat(analytic[i]).isCloseTo(tokenGrad[i] * 13f / 3f, within(1e-6f));
    }
}
