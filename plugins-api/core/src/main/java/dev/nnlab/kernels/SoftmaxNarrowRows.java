package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row softmax of logits narrower than one vector (a classifier's 10 classes), computed with the lanes
 * across rows: a block of L rows is read as {@code cols} gathered vectors, one per class, so the row
 * max, the exponentials and the row sums are whole-vector operations with no sum or max across lanes.
 * Row by row, 10 classes are one masked vector whose max and sum each end in a reduction across
 * lanes; that was 15% of a softmax-regression step.
 *
 * <p>Same bits as the row-by-row softmax of {@code SoftmaxCrossEntropy}: the max is exact, each term
 * is {@link LaneMath#exp} of {@code x - max}, the row sum runs over the classes in order in double, and
 * each probability is the term times {@code (float) (1 / sum)}.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class SoftmaxNarrowRows {
    private SoftmaxNarrowRows() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    private static final int L = S.length();
    /** Per column count below L: lane l of a gathered class vector reads row l ({@code l * cols}). */
    private static final int[][] DOWN = new int[L][], ACROSS = new int[L][];
    static {
        for (int cols = 1; cols < L; cols++) {
            DOWN[cols] = new int[L];
            for (int l = 0; l < L; l++) DOWN[cols][l] = l * cols;
            ACROSS[cols] = transposeMap(cols);
        }
    }

    /** Rows whose softmax {@link #softmax} computes: whole blocks of L rows, none if rows are a vector or wider. */
    public static int rowsDone(int rows, int cols) {
        return !VectorWidth.VECTORIZED || cols < 1 || cols >= L ? 0 : rows - rows % L;
    }

    /**
     * For rows {@code [0, rowsDone(rows, cols))}: {@code p} the softmax of each row of {@code x},
     * {@code rowMax[r]} its max and {@code sum[r]} the sum of {@code exp(x - max)} over the row. With
     * {@code labels} not null also {@code g = (p - onehot(label)) * scale}. Rows are dense: row r at
     * {@code off + r * cols} in x, p and g.
     *
     * @return the number of rows done; the caller does the rest row by row
     */
    public static int softmax(int rows, int cols, float[] x, int xOff, float[] p, int pOff, float[] rowMax, double[] sum,
                              int[] labels, float scale, float[] g, int gOff) {
        int done = rowsDone(rows, cols);
        if (done == 0) return 0;
        int[] down = DOWN[cols], across = ACROSS[cols];
        float[] terms = new float[cols * L];
        double[] sums = new double[L];
        float[] inv = new float[L];
        for (int r0 = 0; r0 < done; r0 += L) {
            FloatVector m = FloatVector.fromArray(S, x, xOff + r0 * cols, down, 0);
            for (int j = 1; j < cols; j++) m = m.max(FloatVector.fromArray(S, x, xOff + r0 * cols + j, down, 0));
            m.intoArray(rowMax, r0);
            for (int j = 0; j < cols; j++) {
                LaneMath.exp(FloatVector.fromArray(S, x, xOff + r0 * cols + j, down, 0).sub(m)).intoArray(terms, j * L);
            }
            // In double, class by class as the row-by-row sum: converting the vectors to double lanes cost more.
            java.util.Arrays.fill(sums, 0);
            for (int j = 0; j < cols; j++) {
                for (int l = 0; l < L; l++) sums[l] += terms[j * L + l];
            }
            for (int l = 0; l < L; l++) {
                sum[r0 + l] = sums[l];
                inv[l] = (float) (1.0 / sums[l]);
            }
            FloatVector vInv = FloatVector.fromArray(S, inv, 0);
            for (int j = 0; j < cols; j++) FloatVector.fromArray(S, terms, j * L).mul(vInv).intoArray(terms, j * L);
            // terms holds the block's probabilities by class; rows are written back as whole vectors.
            for (int t = 0; t < cols; t++) {
                FloatVector.fromArray(S, terms, 0, across, t * L).intoArray(p, pOff + r0 * cols + t * L);
            }
            if (labels != null) {
                IntVector y = IntVector.fromArray(I, labels, r0);
                for (int j = 0; j < cols; j++) {
                    VectorMask<Float> hit = y.compare(VectorOperators.EQ, j).cast(S);
                    FloatVector gj = FloatVector.fromArray(S, terms, j * L).mul(scale);
                    gj.sub(scale, hit).intoArray(terms, j * L);
                }
                for (int t = 0; t < cols; t++) {
                    FloatVector.fromArray(S, terms, 0, across, t * L).intoArray(g, gOff + r0 * cols + t * L);
                }
            }
        }
        return done;
    }

    /**
     * Lane l of vector t of a row-major block of L rows is element {@code f = t * L + l}: row {@code f / cols},
     * class {@code f % cols}, which the by-class block holds at {@code (f % cols) * L + f / cols}.
     */
    private static int[] transposeMap(int cols) {
        int[] map = new int[cols * L];
        for (int f = 0; f < map.length; f++) map[f] = (f % cols) * L + f / cols;
        return map;
    }
}
