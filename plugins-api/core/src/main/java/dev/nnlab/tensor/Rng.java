package dev.nnlab.tensor;

import java.util.SplittableRandom;

/**
 * The one seeded random source of training: initialisation, shuffling, dropout masks, data
 * generation. Same seed, same sequence, on every JVM and machine (SplittableRandom's algorithm is
 * specified), so a single-threaded run is reproducible bit for bit.
 *
 * <p>{@link #fork} derives independent streams so that, for example, adding a dropout layer does
 * not change the initial weights of the others.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Rng {
    private final SplittableRandom random;
    private final long seed;

    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() { return seed; }

    /** An independent generator determined by this generator's seed and {@code stream} alone. */
    public Rng fork(long stream) {
        // Mix with a 64-bit odd constant (golden ratio) so nearby streams get unrelated seeds.
        return new Rng(new SplittableRandom(seed ^ (stream * 0x9E3779B97F4A7C15L)).nextLong());
    }

    /** Uniform in [0, 1). */
    public float nextFloat() { return (float) random.nextDouble(); }

    public double nextDouble() { return random.nextDouble(); }

    /** Uniform in [lo, hi). */
    public float uniform(float lo, float hi) { return lo + (hi - lo) * (float) random.nextDouble(); }

    /** Standard normal. */
    public double nextGaussian() { return random.nextGaussian(); }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) { return random.nextInt(bound); }

    public long nextLong() { return random.nextLong(); }

    /** Fisher-Yates shuffle in place. */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** 0, 1, ..., n-1 in a random order. */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        shuffle(p);
        return p;
    }
}
