package dev.nnlab.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Lanczos on quadratics whose spectrum is known: H = Q diag(lambda) Q^T with a random orthogonal Q. */
class LanczosSpectrumTest {

    /** A random orthogonal matrix by Gram-Schmidt on Gaussian columns. */
    static double[][] orthogonal(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] q = new double[n][n]; // q[k] is column k
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) q[k][i] = rng.nextDouble() - 0.5;
            for (int pass = 0; pass < 2; pass++) {
                for (int j = 0; j < k; j++) {
                    double d = LanczosSpectrum.dot(q[k], q[j]);
                    for (int i = 0; i < n; i++) q[k][i] -= d * q[j][i];
                }
            }
            double norm = LanczosSpectrum.norm(q[k]);
            for (int i = 0; i < n; i++) q[k][i] /= norm;
        }
        return q;
    }

    /** v -> Q diag(lambda) Q^T v, never forming H. */
    static LanczosSpectrum.Operator quadratic(double[] lambda, double[][] q) {
        return (v, out) -> {
            for (int k = 0; k < lambda.length; k++) {
                double c = lambda[k] * LanczosSpectrum.dot(q[k], v);
                for (int i = 0; i < v.length; i++) out[i] += c * q[k][i];
            }
        };
    }

    @Test
    void as_many_steps_as_dimensions_recover_every_eigenvalue() {
        int n = 40;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 0.5 + 0.25 * i; // 0.5 .. 10.25
        LanczosSpectrum.Result r = LanczosSpectrum.estimate(n, quadratic(lambda, orthogonal(n, 7)), n, 1, 3, 1);

        assertThat(r.ritzValues()).hasSize(n);
        for (int i = 0; i < n; i++) assertThat(r.ritzValues()[i]).as("eigenvalue %d", i).isCloseTo(lambda[i], within(1e-8));
        assertThat(r.top()).containsExactly(new double[]{10.25, 10.0, 9.75}, within(1e-8));
        assertThat(r.min()).isCloseTo(0.5, within(1e-8));
        assertThat(Arrays.stream(r.weights()).sum()).isCloseTo(1.0, within(1e-9));
        assertThat(r.negativeShare()).isZero();
    }

    @Test
    void few_steps_in_a_large_dimension_still_find_the_extreme_eigenvalues() {
        // 300 eigenvalues in [0, 1] plus three outliers, as a trained network's Hessian has (Ghorbani et al. 2019).
        int n = 300;
        double[] lambda = new double[n];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < n; i++) lambda[i] = rng.nextDouble();
        lambda[0] = 50;
        lambda[1] = 20;
        lambda[2] = 8;
        lambda[3] = -3;
        LanczosSpectrum.Result r = LanczosSpectrum.estimate(n, quadratic(lambda, orthogonal(n, 11)), 30, 1, 3, 5);

        assertThat(r.products()).isEqualTo(30);
        assertThat(r.top()).containsExactly(new double[]{50, 20, 8}, within(1e-6));
        assertThat(r.min()).isCloseTo(-3, within(1e-6));
    }

    @Test
    void a_saddle_reports_the_share_of_negative_eigenvalues() {
        // A quadratic saddle with 30 of 120 directions curving down: a quarter of the spectrum is negative.
        int n = 120;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = i < 30 ? -(1 + i % 5) : 1 + i % 7;
        LanczosSpectrum.Result r = LanczosSpectrum.estimate(n, quadratic(lambda, orthogonal(n, 13)), 40, 10, 3, 9);

        assertThat(r.negativeShare()).isGreaterThan(0).isCloseTo(0.25, within(0.08));
        assertThat(r.min()).isCloseTo(-5, within(1e-6));
        assertThat(r.max()).isCloseTo(7, within(1e-6));
    }

    @Test
    void a_minimum_reports_no_negative_share() {
        int n = 120;
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 1 + i % 7;
        LanczosSpectrum.Result r = LanczosSpectrum.estimate(n, quadratic(lambda, orthogonal(n, 13)), 40, 10, 3, 9);

        assertThat(r.negativeShare()).isZero();
    }

    @Test
    void the_tridiagonal_solver_matches_a_hand_computed_case() {
        // [[2, 1], [1, 2]] has eigenvalues 1 and 3 with eigenvectors (1, -1)/sqrt 2 and (1, 1)/sqrt 2.
        // Values come descending; eigenvector j is column j of the row-major (n, n) vectors.
        dev.nnlab.data.SymmetricEigen.Result r = dev.nnlab.data.SymmetricEigen.tridiagonal(new double[]{2, 2}, new double[]{1});
        assertThat(r.values()).containsExactly(new double[]{3, 1}, within(1e-12));
        double[] v = r.vectors();
        assertThat(Math.abs(v[0])).isCloseTo(Math.sqrt(0.5), within(1e-12));
        assertThat(v[0] * v[2]).isCloseTo(0.5, within(1e-12));
        assertThat(v[1] * v[3]).isCloseTo(-0.5, within(1e-12));
        assertThat(dev.nnlab.data.SymmetricEigen.tridiagonal(new double[]{5}, new double[0]).values()).containsExactly(5.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.nnlab.data.SymmetricEigen.tridiagonal(new double[]{1, 2}, new double[]{1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 off-diagonal entries, not 2");
    }
}
