package dev.nnlab.nn.loss;

/**
 * Loss and accuracy added up over the batches of an epoch or an evaluation, weighted by tokens:
 * two batches of 10 and 1,000 counted tokens give a mean dominated by the second, as the mean over
 * all 1,010 tokens must be (a mean of per-batch means would weigh the ten tokens a hundred times
 * more). Not thread-safe.
 *
 * <p>Stability: experimental.
 */
public final class TokenTotals {
    private double lossSum;
    private long tokens, correct;

    /** Adds the last forward of {@code loss}. */
    public void add(SequenceCrossEntropy loss) {
        add(loss.lossSum(), loss.countedTokens(), loss.correctTokens());
    }

    public void add(double lossSum, long tokens, long correct) {
        this.lossSum += lossSum;
        this.tokens += tokens;
        this.correct += correct;
    }

    public long tokens() { return tokens; }

    /** Mean loss per counted token; NaN before any token. */
    public double meanLoss() { return tokens == 0 ? Double.NaN : lossSum / tokens; }

    /** Share of counted tokens predicted right; NaN before any token. */
    public double accuracy() { return tokens == 0 ? Double.NaN : (double) correct / tokens; }

    /** {@code exp(mean loss per token)}. */
    public double perplexity() { return SequenceCrossEntropy.perplexity(meanLoss()); }
}
