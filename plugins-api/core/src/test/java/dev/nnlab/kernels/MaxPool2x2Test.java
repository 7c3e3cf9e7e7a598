package dev.nnlab.kernels;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SIMD 2x2 max pool against its plain loops: rows narrower than a block (scalar), exactly one
 * block, a block and a moved-back last block, odd widths and heights (a last column and row in no
 * window), 2xN and Nx2 planes, one plane and several, values on a coarse grid so that ties are common,
 * and NaNs and infinities. Outputs and dx must be equal bit for bit.
 */
class MaxPool2x2Test {
    record Shape(int planes, int h, int w) {
        @Override
        public String toString() { return planes + " x " + h + "x" + w; }
    }

    static List<Shape> awkward() {
        return List.of(new Shape(1, 2, 2), new Shape(3, 2, 9), new Shape(2, 9, 2), new Shape(1, 3, 3),
                new Shape(2, 5, 8), new Shape(2, 4, 16), new Shape(3, 7, 17), new Shape(1, 2, 40),
                new Shape(4, 14, 14), new Shape(2, 28, 28), new Shape(1, 33, 31), new Shape(5, 6, 47));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void forward_and_backward_match_the_plain_loops(Shape s) {
        SplittableRandom r = new SplittableRandom(s.hashCode());
        int in = s.planes * s.h * s.w, out = s.planes * (s.h / 2) * (s.w / 2);
        float[] x = new float[in + 3];
        for (int i = 0; i < x.length; i++) x[i] = Math.round((float) r.nextDouble(-2, 2) * 2) / 2f;
        // A few specials: a NaN wins only as a window's first cell; infinities compare as usual.
        for (int k = 0; k < in / 7; k++) {
            float special = switch (k % 3) { case 0 -> Float.NaN; case 1 -> Float.POSITIVE_INFINITY; default -> Float.NEGATIVE_INFINITY; };
            x[2 + r.nextInt(in)] = special;
        }
        float[] gotY = new float[out + 1], wantY = new float[out + 1];
        boolean[] gotW = new boolean[in + 2], wantW = new boolean[in + 2];
        MaxPool2x2.forward(s.planes, s.h, s.w, x, 2, gotY, 1, gotW, 2);
        MaxPool2x2Reference.forward(s.planes, s.h, s.w, x, 2, wantY, 1, wantW, 2);
        for (int i = 0; i < gotY.length; i++) {
            assertThat(Float.floatToRawIntBits(gotY[i])).as("%s y[%d] = %s, want %s", s, i, gotY[i], wantY[i])
                    .isEqualTo(Float.floatToRawIntBits(wantY[i]));
        }
        assertThat(gotW).as("%s winners", s).containsExactly(wantW);
        // Each window has exactly one winner.
        int winners = 0;
        for (boolean b : gotW) winners += b ? 1 : 0;
        assertThat(winners).isEqualTo(out);

        float[] dy = new float[out + 1];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextDouble(-1, 1);
        float[] gotDx = new float[in + 4], wantDx = new float[in + 4];
        Arrays.fill(gotDx, 7f);
        Arrays.fill(wantDx, 7f);
        MaxPool2x2.backward(s.planes, s.h, s.w, dy, 1, gotW, 2, gotDx, 3);
        MaxPool2x2Reference.backward(s.planes, s.h, s.w, dy, 1, wantW, 2, wantDx, 3);
        assertThat(gotDx).as("%s dx", s).containsExactly(wantDx);
        assertThat(gotDx[2]).isEqualTo(7f);
        assertThat(gotDx[in + 3]).isEqualTo(7f);
    }

    @Test
    void the_reference_takes_the_first_maximum_and_routes_the_gradient_there() {
        // One 3x5 plane: windows (0,0) {1,5 / 5,2} -> 5 from cell (0,1); (0,1) {3,3 / 3,3} -> cell (0,0).
        float[] x = {1, 5, 3, 3, 9, 5, 2, 3, 3, 9, 8, 8, 8, 8, 8};
        float[] y = new float[2];
        boolean[] w = new boolean[15];
        MaxPool2x2Reference.forward(1, 3, 5, x, 0, y, 0, w, 0);
        assertThat(y).containsExactly(5, 3);
        float[] dx = new float[15];
        Arrays.fill(dx, 1f);
        MaxPool2x2Reference.backward(1, 3, 5, new float[] {10, 20}, 0, w, 0, dx, 0);
        assertThat(dx).containsExactly(0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void a_plane_smaller_than_the_window_or_a_short_array_is_refused() {
        assertThatThrownBy(() -> MaxPool2x2.forward(1, 1, 4, new float[4], 0, new float[2], 0, new boolean[4], 0))
                .hasMessageContaining("1x4");
        assertThatThrownBy(() -> MaxPool2x2.forward(2, 2, 2, new float[7], 0, new float[2], 0, new boolean[8], 0))
                .hasMessageContaining("input");
        assertThatThrownBy(() -> MaxPool2x2.backward(1, 2, 2, new float[1], 0, new boolean[3], 0, new float[4], 0))
                .hasMessageContaining("winner");
    }
}
