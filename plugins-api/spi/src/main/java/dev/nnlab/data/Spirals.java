package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * CS231n's spiral dataset ("Putting it together: minimal neural network case study"): K arms in
 * 2-D, not linearly separable. Class j's N points have radius {@code linspace(0, 1, N)} and angle
 * {@code linspace(4j, 4(j+1), N) + noise * randn}; a point is {@code (r sin t, r cos t)}.
 *
 * <p>Features {@code (K*N, 2)}, rows grouped by class (class j is rows {@code [jN, (j+1)N)}) as in
 * CS231n: shuffle before splitting or mini-batching. No test part.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Spirals {
    /** CS231n's defaults: 3 classes of 100 points, angle noise 0.2 radians. */
    public static final int DEFAULT_CLASSES = 3;
    public static final int DEFAULT_POINTS_PER_CLASS = 100;
    public static final double DEFAULT_NOISE = 0.2;

    private Spirals() {}

    /**
     * Takes a seed, not an {@link Rng}, so that the checksum (generator, parameters, seed) really
     * identifies the data: an Rng's seed says nothing of how far it has already been drawn from.
     */
    public static Dataset generate(int classes, int pointsPerClass, double noise, long seed) {
        if (classes < 2 || pointsPerClass < 1 || noise < 0) {
            throw new IllegalArgumentException("spirals needs classes >= 2, pointsPerClass >= 1, noise >= 0; got "
                    + classes + ", " + pointsPerClass + ", " + noise);
        }
        Rng rng = new Rng(seed);
        int n = classes * pointsPerClass;
        float[] xy = new float[2 * n];
        int[] labels = new int[n];
        double step = pointsPerClass == 1 ? 0 : 1.0 / (pointsPerClass - 1);
        for (int j = 0; j < classes; j++) {
            for (int i = 0; i < pointsPerClass; i++) {
                int row = j * pointsPerClass + i;
                double r = i * step;
                double t = 4.0 * j + 4.0 * i * step + noise * rng.nextGaussian();
                xy[2 * row] = (float) (r * Math.sin(t));
                xy[2 * row + 1] = (float) (r * Math.cos(t));
                labels[row] = j;
            }
        }
        String identity = String.format(Locale.ROOT, "spirals/v1 classes=%d pointsPerClass=%d noise=%s seed=%d",
                classes, pointsPerClass, Double.toString(noise), seed);
        return new Dataset("spirals", Tensor.of(xy, n, 2), labels, classNames(classes), n, FeatureScale.REAL,
                Sha256.ofText(identity));
    }

    static List<String> classNames(int classes) {
        List<String> names = new ArrayList<>(classes);
        for (int j = 0; j < classes; j++) names.add(Integer.toString(j));
        return names;
    }
}
