package dev.nnlab.nn.loss;

import dev.nnlab.kernels.SoftmaxCrossEntropyRows;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Softmax cross-entropy at every timestep of a sequence model: logits {@code (N, T, C)} against one
 * target per token, given as {@code N * T} ids in {@code (N, T)} row-major order. A target equal to
 * the ignore id (padding, {@value #DEFAULT_IGNORE} by default) is left out everywhere. With K counted
 * tokens: {@code L = (1/K) sum (logsumexp(x_nt) - x_nt[y_nt])}, gradient {@code (softmax(x_nt) -
 * onehot(y_nt)) / K} on counted tokens and 0 on ignored ones. The log-sum-exp is shifted by the row
 * max as in {@link SoftmaxCrossEntropy}; the rows run through the fused vector kernel
 * {@link SoftmaxCrossEntropyRows}.
 *
 * <p>Everything counts tokens, not rows: sentences of different lengths padded into one batch weigh
 * each real token equally, and a batch's numbers add up across batches by their token counts
 * ({@link TokenTotals}): the mean loss per token, the token accuracy, and the perplexity
 * {@code exp(mean loss per token)} of language modelling.
 *
 * <p>The gradient may instead be that of the loss summed over each sequence's steps and averaged over
 * the N sequences ({@link Average#SEQUENCES}, {@link #perSequence()}): {@code (softmax - onehot) / N}.
 * That is Zaremba et al.'s (2014) objective (their Torch code and TensorFlow's PTB tutorial), in whose
 * units their lr 1 and clip 5 are given; it is {@code T} times the per-token gradient when nothing is
 * padding. The loss {@link #forward} returns, and every count, stays per token either way.
 *
 * <p>Unlike the {@link Loss} contract for classifiers, {@code labels.length} is {@code N * T}.
 *
 * <p>Stability: evolving (new); the LSTM family will use it.
 */
public final class SequenceCrossEntropy implements Loss {
    public static final String NAME = "sequence_cross_entropy";
    public static final int DEFAULT_IGNORE = -1;

    /** What the gradient averages over: every counted token, or the sequences (the loss summed over each one's steps). */
    public enum Average { TOKENS, SEQUENCES }

    private final int ignore;
    private final boolean inPlace;
    private final Average average;
    private Tensor grad;
    private int counted, correct;
    private double lossSum;

    public SequenceCrossEntropy() { this(DEFAULT_IGNORE); }

    /** @param ignoreId the target id that marks padding; it may lie outside [0, C) (e.g. -1) */
    public SequenceCrossEntropy(int ignoreId) { this(ignoreId, false, Average.TOKENS); }

    private SequenceCrossEntropy(int ignoreId, boolean inPlace, Average average) {
        this.ignore = ignoreId;
        this.inPlace = inPlace;
        this.average = average;
    }

    /**
     * The same loss writing its gradient over the logits it was given (which the caller must not
     * need afterwards): a 10,000-word decoder's output then goes through memory once, not as a
     * second tensor of the same size. {@link #backward()} returns the logits tensor.
     */
    public static SequenceCrossEntropy inPlace() { return inPlace(Average.TOKENS); }

    /** {@link #inPlace()} with the gradient averaged as {@code average} says. */
    public static SequenceCrossEntropy inPlace(Average average) { return new SequenceCrossEntropy(DEFAULT_IGNORE, true, average); }

    /** A separate-gradient loss whose gradient is that of the per-sequence sum averaged over the sequences. */
    public static SequenceCrossEntropy perSequence() { return new SequenceCrossEntropy(DEFAULT_IGNORE, false, Average.SEQUENCES); }

    /** The mean loss over the counted tokens; 0 when every target is padding (nothing to learn, gradient 0). */
    @Override
    public float forward(Tensor output, int[] targets) {
        if (output.rank() != 3 || output.size() == 0) {
            throw new IllegalArgumentException(NAME + ": output must be non-empty (N, T, C) logits, got " + Arrays.toString(output.shape()));
        }
        int n = output.dim(0), t = output.dim(1), c = output.dim(2), tokens = n * t;
        if (targets.length != tokens) {
            throw new IllegalArgumentException(NAME + ": " + targets.length + " targets for " + n + " x " + t + " = " + tokens + " tokens");
        }
        counted = 0;
        for (int p = 0; p < tokens; p++) {
            int y = targets[p];
            if (y == ignore) continue;
            if (y < 0 || y >= c) {
                throw new IllegalArgumentException(NAME + ": target " + y + " of token " + p + " (sample " + p / t + ", step " + p % t
                        + ") is outside [0, " + c + ") and is not the ignore id " + ignore);
            }
            counted++;
        }
        if (inPlace) {
            grad = output;
        } else if (grad == null || !grad.hasShape(n, t, c)) {
            grad = Tensor.zeros(n, t, c);
        }
        float inv = counted == 0 ? 0f : average == Average.SEQUENCES ? 1f / n : 1f / counted;
        SoftmaxCrossEntropyRows.Totals totals = SoftmaxCrossEntropyRows.lossAndGradient(tokens, c, output.data, output.offset,
                targets, ignore, inv, grad.data, grad.offset);
        lossSum = totals.lossSum();
        correct = totals.correct();
        return counted == 0 ? 0f : (float) (lossSum / counted);
    }

    @Override
    public Tensor backward() {
        if (grad == null) throw new IllegalStateException(NAME + ": backward() called before forward()");
        return grad;
    }

    @Override
    public String name() { return NAME; }

    /** Tokens of the last forward that were not padding. */
    public int countedTokens() { return counted; }

    /** Counted tokens of the last forward whose arg-max class (first on ties) was the target. */
    public int correctTokens() { return correct; }

    /** The summed (not averaged) loss of the last forward's counted tokens, for totals across batches. */
    public double lossSum() { return lossSum; }

    /** The perplexity of a mean per-token loss in nats: {@code exp(loss)}. */
    public static double perplexity(double meanLoss) { return Math.exp(meanLoss); }
}
