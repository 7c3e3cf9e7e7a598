package dev.nnlab.data;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SymmetricEigenTest {

    @Test
    void two_by_two_has_eigenvalues_3_and_1_with_diagonal_eigenvectors() {
        SymmetricEigen.Result r = SymmetricEigen.decompose(new double[] {2, 1, 1, 2}, 2);
        assertThat(r.values()).containsExactly(new double[] {3, 1}, within(1e-12));
        double h = Math.sqrt(0.5);
        // column 0 = +-(1, 1)/sqrt2, column 1 = +-(1, -1)/sqrt2
        assertThat(Math.abs(r.vectors()[0])).isCloseTo(h, within(1e-12));
        assertThat(r.vectors()[0] * r.vectors()[2]).isCloseTo(0.5, within(1e-12));
        assertThat(r.vectors()[1] * r.vectors()[3]).isCloseTo(-0.5, within(1e-12));
    }

    @Test
    void tridiagonal_4_1_matrix_has_eigenvalues_4_and_4_plus_minus_sqrt2() {
        double[] a = {4, 1, 0, 1, 4, 1, 0, 1, 4};
        SymmetricEigen.Result r = SymmetricEigen.decompose(a, 3);
        assertThat(r.values()).containsExactly(new double[] {4 + Math.sqrt(2), 4, 4 - Math.sqrt(2)}, within(1e-12));
    }

    @Test
    void random_symmetric_matrix_is_rebuilt_from_orthonormal_eigenvectors() {
        int n = 40;
        SplittableRandom rnd = new SplittableRandom(3);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd.nextDouble(-1, 1);
        SymmetricEigen.Result r = SymmetricEigen.decompose(a, n);
        double[] v = r.vectors();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double rebuilt = 0, gram = 0;
                for (int k = 0; k < n; k++) {
                    rebuilt += v[i * n + k] * r.values()[k] * v[j * n + k];
                    gram += v[k * n + i] * v[k * n + j];
                }
                assertThat(rebuilt).isCloseTo(a[i * n + j], within(1e-10));
                assertThat(gram).isCloseTo(i == j ? 1 : 0, within(1e-10));
            }
        }
        for (int k = 1; k < n; k++) assertThat(r.values()[k]).isLessThanOrEqualTo(r.values()[k - 1]);
    }

    @Test
    void zero_matrix_has_zero_eigenvalues_and_identity_vectors() {
        SymmetricEigen.Result r = SymmetricEigen.decompose(new double[9], 3);
        assertThat(r.values()).containsOnly(0.0);
        double diagonalMass = 0;
        for (int k = 0; k < 3; k++) diagonalMass += Math.abs(r.vectors()[k * 3 + k]);
        assertThat(diagonalMass).isEqualTo(3.0);
    }
}
