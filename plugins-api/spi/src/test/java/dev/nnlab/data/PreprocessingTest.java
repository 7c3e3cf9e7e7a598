package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PreprocessingTest {

    private static Dataset rows(FeatureScale scale, int testStart, float[]... rows) {
        int d = rows[0].length;
        float[] x = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, x, i * d, d);
        return new Dataset("t", Tensor.of(x, rows.length, d), new int[rows.length], List.of("only"), testStart, scale, "c");
    }

    /** x = A z + mu with z standard normal: covariance A A^T, strongly correlated. */
    static Dataset correlatedGaussian(int n, long seed) {
        double[][] a = {{2, 0, 0}, {1.5, 0.5, 0}, {-1, 0.3, 0.2}};
        double[] mu = {5, -3, 10};
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double[] z = {rnd.nextGaussian(), rnd.nextGaussian(), rnd.nextGaussian()};
            for (int r = 0; r < 3; r++) {
                double v = mu[r];
                for (int c = 0; c < 3; c++) v += a[r][c] * z[c];
                x[i * 3 + r] = (float) v;
            }
        }
        return new Dataset("gauss", Tensor.of(x, n, 3), new int[n], List.of("only"), n, FeatureScale.REAL, "c");
    }

    /** Population covariance (D, D) of rows, in double. */
    static double[][] covariance(Tensor t) {
        int n = t.rows(), d = t.cols();
        double[] m = FeatureStatistics.mean(t);
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) c[p][q] += (t.at(i * d + p) - m[p]) * (t.at(i * d + q) - m[q]);
            }
        }
        for (double[] row : c) for (int q = 0; q < d; q++) row[q] /= n;
        return c;
    }

    @Test
    void pixels_are_divided_by_255() {
        Dataset d = rows(FeatureScale.PIXELS_0_255, 2, new float[] {0, 51}, new float[] {255, 102});
        Dataset scaled = UnitScaling.fit(d).apply(d);
        assertThat(scaled.features().toArray()).containsExactly(new float[] {0, 0.2f, 1, 0.4f}, within(1e-6f));
        assertThat(scaled.scale()).isEqualTo(FeatureScale.UNIT_INTERVAL);
    }

    @Test
    void min_max_scaling_uses_the_train_range_for_other_parts() {
        // train part: rows 0-1 (feature range [-1, 3]); test row 2 is outside it
        Dataset d = rows(FeatureScale.REAL, 2, new float[] {-1}, new float[] {3}, new float[] {5});
        Tensor out = UnitScaling.fit(d).apply(d.features());
        assertThat(out.toArray()).containsExactly(new float[] {0, 1, 1.5f}, within(1e-6f));
    }

    @Test
    void centering_validation_data_subtracts_the_train_mean_not_its_own() {
        Dataset train = rows(FeatureScale.REAL, 2, new float[] {1, 2}, new float[] {3, 4});
        Dataset val = rows(FeatureScale.REAL, 1, new float[] {10, 10});
        MeanCentering center = MeanCentering.fit(train);
        assertThat(center.mean()).containsExactly(2, 3);
        assertThat(center.apply(val).features().toArray()).containsExactly(8, 7);
    }

    @Test
    void fitting_ignores_the_official_test_part() {
        Dataset d = rows(FeatureScale.REAL, 2, new float[] {1}, new float[] {3}, new float[] {1000});
        assertThat(MeanCentering.fit(d).mean()).containsExactly(2);
    }

    @Test
    void standardized_train_set_has_mean_0_and_std_1_per_feature() {
        Dataset train = correlatedGaussian(2000, 1);
        Tensor out = Standardization.fit(train).apply(train.features());
        double[] mean = FeatureStatistics.mean(out);
        double[] std = FeatureStatistics.std(out, mean);
        assertThat(mean).containsExactly(new double[] {0, 0, 0}, within(1e-5));
        assertThat(std).containsExactly(new double[] {1, 1, 1}, within(1e-5));
    }

    @Test
    void validation_is_standardized_with_train_mean_and_std() {
        // train feature 0: {1, 3} -> mean 2, population std 1; feature 1 is constant 7 (std 0)
        Dataset train = rows(FeatureScale.REAL, 2, new float[] {1, 7}, new float[] {3, 7});
        Dataset val = rows(FeatureScale.REAL, 1, new float[] {5, 9});
        Tensor out = Standardization.fit(train).apply(val.features());
        // (5 - 2) / 1 = 3; the constant feature is only centered: 9 - 7 = 2, not a division by zero
        assertThat(out.toArray()).containsExactly(3, 2);
    }

    @Test
    void pca_whitened_train_covariance_is_the_identity() {
        Dataset train = correlatedGaussian(5000, 2);
        PcaWhitening w = PcaWhitening.fit(train);
        Tensor out = w.apply(train.features());
        assertThat(out.shape()).containsExactly(5000, 3);
        double[][] cov = covariance(out);
        double[] mean = FeatureStatistics.mean(out);
        for (int p = 0; p < 3; p++) {
            assertThat(mean[p]).isCloseTo(0, within(1e-4));
            // eigenvalue / (eigenvalue + 1e-5): the smallest eigenvalue here is ~0.03, so within 1e-3
            for (int q = 0; q < 3; q++) assertThat(cov[p][q]).isCloseTo(p == q ? 1 : 0, within(1e-3));
        }
    }

    @Test
    void zca_whitened_train_covariance_is_the_identity_and_keeps_the_input_shape() {
        Dataset train = correlatedGaussian(5000, 3);
        Dataset shaped = train.withFeatures(train.features().reshape(5000, 1, 3), FeatureScale.REAL);
        Tensor out = PcaWhitening.fit(shaped, 3, PcaWhitening.DEFAULT_EPSILON, true).apply(shaped.features());
        assertThat(out.shape()).containsExactly(5000, 1, 3);
        double[][] cov = covariance(out.reshape(5000, 3));
        for (int p = 0; p < 3; p++) {
            for (int q = 0; q < 3; q++) assertThat(cov[p][q]).isCloseTo(p == q ? 1 : 0, within(1e-3));
        }
    }

    @Test
    void pca_keeps_the_top_components_in_decreasing_variance() {
        Dataset train = correlatedGaussian(3000, 4);
        PcaWhitening w = PcaWhitening.fit(train, 2, 0.0, false);
        assertThat(w.apply(train.features()).shape()).containsExactly(3000, 2);
        double[] eig = w.eigenvalues();
        // trace of the covariance equals the sum of its eigenvalues
        double[][] cov = covariance(train.features());
        assertThat(eig[0] + eig[1] + eig[2]).isCloseTo(cov[0][0] + cov[1][1] + cov[2][2], within(1e-3));
        assertThat(eig[0]).isGreaterThan(eig[1]);
        assertThat(eig[1]).isGreaterThan(eig[2]);
    }

    @Test
    void whitening_a_shifted_validation_point_uses_the_train_covariance() {
        // Whitening maps Mahalanobis distance under the train covariance C to Euclidean distance:
        // moving a point by delta moves its whitened image by sqrt(delta^T C^-1 delta).
        Dataset train = correlatedGaussian(4000, 5);
        PcaWhitening w = PcaWhitening.fit(train, 3, 0.0, false);
        Dataset val = rows(FeatureScale.REAL, 2, new float[] {5, -3, 10}, new float[] {6, -3, 10});
        Tensor out = w.apply(val.features());
        double dist2 = 0;
        for (int j = 0; j < 3; j++) dist2 += Math.pow(out.get(1, j) - out.get(0, j), 2);
        double[][] c = covariance(train.features());
        // (C^-1)_00 by cofactors: (c11 c22 - c12 c21) / det C
        double det = c[0][0] * (c[1][1] * c[2][2] - c[1][2] * c[2][1])
                - c[0][1] * (c[1][0] * c[2][2] - c[1][2] * c[2][0])
                + c[0][2] * (c[1][0] * c[2][1] - c[1][1] * c[2][0]);
        double inv00 = (c[1][1] * c[2][2] - c[1][2] * c[2][1]) / det;
        assertThat(dist2).isCloseTo(inv00, within(inv00 * 1e-3));
        // and the validation point at the train mean maps near 0, not to its own mean
        assertThat(Math.abs(out.get(0, 0)) + Math.abs(out.get(0, 1)) + Math.abs(out.get(0, 2))).isLessThan(0.2f);
    }
}
