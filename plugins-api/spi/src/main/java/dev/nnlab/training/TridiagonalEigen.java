package dev.nnlab.training;

/**
 * Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL algorithm with
 * Wilkinson shifts (JAMA's {@code tql2}, from EISPACK), which Lanczos iteration needs for its Ritz
 * values and their quadrature weights. O(m^2) for the eigenvectors: m is a few dozen here.
 *
 * <p>Stability: evolving.
 */
public final class TridiagonalEigen {

    /** Eigenvalues ascending; {@code vectors[i][k]} is component i of the eigenvector of {@code values[k]}. */
    public record Result(double[] values, double[][] vectors) {}

    private TridiagonalEigen() {}

    /**
     * @param diagonal    the m diagonal entries
     * @param offDiagonal the m-1 entries beside the diagonal
     */
    public static Result of(double[] diagonal, double[] offDiagonal) {
        int n = diagonal.length;
        if (offDiagonal.length != Math.max(0, n - 1)) {
            throw new IllegalArgumentException("a " + n + "x" + n + " tridiagonal matrix has " + Math.max(0, n - 1)
                    + " off-diagonal entries, not " + offDiagonal.length);
        }
        double[] d = diagonal.clone();
        double[] e = new double[n];
        System.arraycopy(offDiagonal, 0, e, 0, Math.max(0, n - 1));
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        double f = 0, tst1 = 0;
        double eps = Math.ulp(1.0);
        for (int l = 0; l < n; l++) {
            tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
            int m = l;
            while (m < n) {
                if (Math.abs(e[m]) <= eps * tst1) break;
                m++;
            }
            if (m > l) {
                int iter = 0;
                do {
                    if (++iter > 60 * n) throw new ArithmeticException("the tridiagonal QL iteration did not converge");
                    double g = d[l];
                    double p = (d[l + 1] - g) / (2.0 * e[l]);
                    double r = Math.hypot(p, 1.0);
                    if (p < 0) r = -r;
                    d[l] = e[l] / (p + r);
                    d[l + 1] = e[l] * (p + r);
                    double dl1 = d[l + 1];
                    double h = g - d[l];
                    for (int i = l + 2; i < n; i++) d[i] -= h;
                    f += h;
                    p = d[m];
                    double c = 1, c2 = c, c3 = c;
                    double el1 = e[l + 1];
                    double s = 0, s2 = 0;
                    for (int i = m - 1; i >= l; i--) {
                        c3 = c2;
                        c2 = c;
                        s2 = s;
                        g = c * e[i];
                        h = c * p;
                        r = Math.hypot(p, e[i]);
                        e[i + 1] = s * r;
                        s = e[i] / r;
                        c = p / r;
                        p = c * d[i] - s * g;
                        d[i + 1] = h + s * (c * g + s * d[i]);
                        for (int k = 0; k < n; k++) {
                            h = v[k][i + 1];
                            v[k][i + 1] = s * v[k][i] + c * h;
                            v[k][i] = c * v[k][i] - s * h;
                        }
                    }
                    p = -s * s2 * c3 * el1 * e[l] / dl1;
                    e[l] = s * p;
                    d[l] = c * p;
                } while (Math.abs(e[l]) > eps * tst1);
            }
            d[l] = d[l] + f;
            e[l] = 0;
        }
        // Sort ascending, with the vectors.
        for (int i = 0; i < n - 1; i++) {
            int k = i;
            for (int j = i + 1; j < n; j++) if (d[j] < d[k]) k = j;
            if (k != i) {
                double t = d[k];
                d[k] = d[i];
                d[i] = t;
                for (int j = 0; j < n; j++) {
                    t = v[j][i];
                    v[j][i] = v[j][k];
                    v[j][k] = t;
                }
            }
        }
        return new Result(d, v);
    }
}
