package dev.nnlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransposeTest {
    @AfterEach
    void restoreThreads() { Parallelism.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void transposes_strided_matrices_of_awkward_shapes_on_one_and_two_threads() {
        int[][] shapes = {{1, 1}, {1, 45}, {45, 1}, {31, 33}, {32, 64}, {200, 800}, {600, 517}};
        for (int threads : new int[] {1, 2}) {
            Parallelism.setThreads(threads);
            for (int[] sh : shapes) {
                int rows = sh[0], cols = sh[1], ldS = cols + 3, ldD = rows + 2, sOff = 5, dOff = 7;
                float[] src = new float[sOff + rows * ldS];
                for (int i = 0; i < src.length; i++) src[i] = i * 0.5f;
                float[] dst = new float[dOff + cols * ldD];
                Transpose.transpose(rows, cols, src, sOff, ldS, dst, dOff, ldD);
                String wrong = null;
                for (int r = 0; r < rows && wrong == null; r++) {
                    for (int c = 0; c < cols; c++) {
                        if (dst[dOff + c * ldD + r] != src[sOff + r * ldS + c]) {
                            wrong = "(" + r + ", " + c + ")";
                            break;
                        }
                    }
                }
                assertThat(wrong).as("%dx%d on %d threads: first misplaced element", rows, cols, threads).isNull();
                for (int c = 0; c < cols; c++) assertThat(dst[dOff + c * ldD + rows]).as("padding untouched").isZero();
            }
        }
    }
}
