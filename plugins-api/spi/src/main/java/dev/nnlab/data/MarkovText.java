package dev.nnlab.data;

import dev.nnlab.tensor.Rng;

import java.util.Locale;

/**
 * A generated language-modelling task whose answer is known: text from a seeded first-order Markov
 * chain over a small vocabulary, where state 0 is {@code <eos>} (a line ends whenever the chain
 * visits it). Each state moves to a few successors only, so context matters: the best possible model
 * (the chain itself) reaches a perplexity of {@code exp(}{@link #entropyRate()}{@code )}, far below
 * the unigram model's {@code exp(}{@link #unigramEntropy()}{@code )}. A test can check that a model
 * learns below the unigram perplexity and approaches the entropy rate.
 *
 * <p>Stability: stable for plugin authors (the LSTM and RNN tests train on it).
 */
public final class MarkovText {
    public static final int DEFAULT_STATES = 24;
    public static final int DEFAULT_SUCCESSORS = 3;
    public static final int DEFAULT_TRAIN_TOKENS = 60_000;
    public static final int DEFAULT_EVAL_TOKENS = 6_000;

    private final int states;
    private final int successors;
    private final long seed;
    /** transition[i][j] = P(next = j | current = i); state 0 is the end of a line. */
    private final double[][] transition;
    private final double[] stationary;

    private MarkovText(int states, int successors, long seed) {
        if (states < 3 || successors < 1 || successors >= states) {
            throw new IllegalArgumentException("a Markov text needs states >= 3 and 1 <= successors < states; got " + states + ", " + successors);
        }
        this.states = states;
        this.successors = successors;
        this.seed = seed;
        Rng rng = new Rng(seed);
        transition = new double[states][states];
        for (int i = 0; i < states; i++) {
            // The edge to i+1 makes one cycle through every state, so the chain is irreducible.
            int[] perm = rng.permutation(states);
            double sum = 0;
            int placed = 0;
            int ring = (i + 1) % states;
            transition[i][ring] = 0.2 + rng.nextDouble();
            sum += transition[i][ring];
            placed++;
            for (int k = 0; k < states && placed < successors; k++) {
                if (perm[k] == ring) continue;
                transition[i][perm[k]] = 0.2 + rng.nextDouble();
                sum += transition[i][perm[k]];
                placed++;
            }
            for (int j = 0; j < states; j++) transition[i][j] /= sum;
        }
        stationary = stationaryDistribution(transition);
    }

    public static MarkovText create(int states, int successors, long seed) { return new MarkovText(states, successors, seed); }

    /** The chain of the catalog's {@code markov-text}. */
    public static MarkovText standard(long seed) { return new MarkovText(DEFAULT_STATES, DEFAULT_SUCCESSORS, seed); }

    /** The entropy of the next token given the current one, in nats: {@code -sum_i pi_i sum_j P_ij ln P_ij}. */
    public double entropyRate() {
        double h = 0;
        for (int i = 0; i < states; i++) {
            for (int j = 0; j < states; j++) {
                double p = transition[i][j];
                if (p > 0) h -= stationary[i] * p * Math.log(p);
            }
        }
        return h;
    }

    /** The entropy of the stationary token distribution, in nats: what a unigram model can reach. */
    public double unigramEntropy() {
        double h = 0;
        for (double p : stationary) if (p > 0) h -= p * Math.log(p);
        return h;
    }

    /** The word of state {@code s}: {@code <eos>} for 0. */
    public String word(int s) { return s == 0 ? Vocabulary.EOS : String.format(Locale.ROOT, "w%02d", s); }

    /**
     * One long walk of {@code train + validation + test} tokens from state 0, cut into the three
     * parts in that order; {@code walkSeed} seeds the walk (the chain is fixed by the constructor's seed).
     */
    public TokenStreams generate(String name, int train, int validation, int test, long walkSeed) {
        TokenStreams.Builder b = TokenStreams.builder(name, TokenStreams.Level.WORD);
        Rng rng = new Rng(walkSeed);
        int state = 0;
        int[] sizes = {train, validation, test};
        TokenStreams.Part[] parts = TokenStreams.Part.values();
        for (int p = 0; p < 3; p++) {
            for (int t = 0; t < sizes[p]; t++) {
                double u = rng.nextDouble();
                int next = states - 1;
                for (int j = 0; j < states; j++) {
                    u -= transition[state][j];
                    if (u < 0) {
                        next = j;
                        break;
                    }
                }
                state = next;
                if (state == 0) b.endLine(parts[p]);
                else b.add(parts[p], word(state));
            }
        }
        String checksum = Sha256.ofText(String.format(Locale.ROOT, "MarkovText(states=%d, successors=%d, seed=%d).generate(%d, %d, %d, walkSeed=%d)",
                states, successors, seed, train, validation, test, walkSeed));
        return b.build(checksum, 0);
    }

    /** Power iteration on the lazy chain (P + I) / 2, which has the same stationary distribution and converges even for a periodic P. */
    private static double[] stationaryDistribution(double[][] p) {
        int n = p.length;
        double[] pi = new double[n];
        java.util.Arrays.fill(pi, 1.0 / n);
        for (int iter = 0; iter < 100_000; iter++) {
            double[] next = new double[n];
            for (int i = 0; i < n; i++) {
                next[i] += 0.5 * pi[i];
                for (int j = 0; j < n; j++) next[j] += 0.5 * pi[i] * p[i][j];
            }
            double diff = 0;
            for (int i = 0; i < n; i++) diff += Math.abs(next[i] - pi[i]);
            pi = next;
            if (diff < 1e-14) break;
        }
        return pi;
    }
}
