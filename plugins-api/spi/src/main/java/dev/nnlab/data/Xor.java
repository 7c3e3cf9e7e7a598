package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.List;
import java.util.Locale;

/**
 * The XOR problem in 2-D, as in the TensorFlow Playground: class 1 where {@code x * y < 0}
 * (quadrants II and IV), class 0 where the signs agree (I and III). Each point is uniform in its
 * quadrant's unit square, alternating between the class's two quadrants, then moved by
 * {@code noise * randn} per coordinate, which may carry it across an axis (label noise, as there).
 *
 * <p>Features {@code (2N, 2)}, class 0 rows first: shuffle before splitting or mini-batching.
 * No test part.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Xor {
    public static final int DEFAULT_POINTS_PER_CLASS = 100;
    public static final double DEFAULT_NOISE = 0.05;

    private Xor() {}

    /** Seeded by value so that the checksum identifies the data; see {@link Spirals#generate}. */
    public static Dataset generate(int pointsPerClass, double noise, long seed) {
        if (pointsPerClass < 1 || noise < 0) {
            throw new IllegalArgumentException("xor needs pointsPerClass >= 1, noise >= 0; got " + pointsPerClass + ", " + noise);
        }
        Rng rng = new Rng(seed);
        int n = 2 * pointsPerClass;
        float[] xy = new float[2 * n];
        int[] labels = new int[n];
        for (int row = 0; row < n; row++) {
            int label = row / pointsPerClass;
            boolean firstQuadrant = (row % pointsPerClass) % 2 == 0;
            // class 0: (+,+) or (-,-); class 1: (+,-) or (-,+)
            double sx = firstQuadrant ? 1 : -1;
            double sy = label == 0 ? sx : -sx;
            xy[2 * row] = (float) (sx * rng.nextDouble() + noise * rng.nextGaussian());
            xy[2 * row + 1] = (float) (sy * rng.nextDouble() + noise * rng.nextGaussian());
            labels[row] = label;
        }
        String identity = String.format(Locale.ROOT, "xor/v1 pointsPerClass=%d noise=%s seed=%d",
                pointsPerClass, Double.toString(noise), seed);
        return new Dataset("xor", Tensor.of(xy, n, 2), labels, List.of("same sign", "opposite sign"), n,
                FeatureScale.REAL, Sha256.ofText(identity));
    }
}
