package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LaneMath}: its results against {@code Math}, and the same bits in the interpreter as in C2
 * (the reason it exists: the Vector API's reduceLanes(ADD), EXP and TANH differ between the two).
 */
class LaneMathTest {
    private static final int L = VectorWidth.FLOATS.length();

    @Test
    void sum_adds_the_lanes_in_the_documented_tree_order() {
        SplittableRandom r = new SplittableRandom(7);
        for (int t = 0; t < 2000; t++) {
            float[] lanes = new float[L];
            // Magnitudes far apart, so that another order would round differently.
            for (int i = 0; i < L; i++) lanes[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7)));
            float got = LaneMath.sum(FloatVector.fromArray(VectorWidth.FLOATS, lanes, 0));
            assertThat(Float.floatToRawIntBits(got)).as("sum of %s", java.util.Arrays.toString(lanes))
                    .isEqualTo(Float.floatToRawIntBits(LaneMath.sumReference(lanes)));
        }
        float[] ones = new float[L];
        java.util.Arrays.fill(ones, 1f);
        assertThat(LaneMath.sum(FloatVector.fromArray(VectorWidth.FLOATS, ones, 0))).isEqualTo(L);
    }

    @Test
    void sum_of_stored_lanes_has_the_bits_of_the_vector_sum() {
        org.junit.jupiter.api.Assumptions.assumeTrue(L >= 2, "one lane: the vector sum is not a tree");
        SplittableRandom r = new SplittableRandom(11);
        for (int t = 0; t < 2000; t++) {
            // Two vectors side by side at an offset: the sum must read only its own L floats.
            float[] a = new float[3 + 2 * L];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-6, 7)));
            float want = LaneMath.sum(FloatVector.fromArray(VectorWidth.FLOATS, a, 3));
            float next = LaneMath.sum(FloatVector.fromArray(VectorWidth.FLOATS, a, 3 + L));
            assertThat(Float.floatToRawIntBits(LaneMath.sumStored(a, 3))).isEqualTo(Float.floatToRawIntBits(want));
            assertThat(Float.floatToRawIntBits(LaneMath.sumStored(a, 3 + L))).isEqualTo(Float.floatToRawIntBits(next));
        }
    }

    @Test
    void exp_is_within_two_ulp_of_math_exp_from_the_subnormals_to_overflow() {
        float[] x = new float[L * 4000];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-106, 90);
        float[] special = {0f, -0f, 1f, -1f, 1e-30f, -1e-30f, 88.72f, 88.73f, -87.3f, -103.9f, -104.5f, -200f, 200f,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.5f * (float) Math.log(2), -0.34657359f};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) LaneMath.exp(FloatVector.fromArray(VectorWidth.FLOATS, x, i)).intoArray(y, i);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            if (Float.isNaN(want)) {
                assertThat(y[i]).as("exp(%s)", x[i]).isNaN();
            } else if (Float.isInfinite(want) || want == 0f) {
                assertThat(y[i]).as("exp(%s)", x[i]).isEqualTo(want);
            } else {
                assertThat(Math.abs(y[i] - want)).as("exp(%s) = %s, Math.exp %s", x[i], y[i], want)
                        .isLessThanOrEqualTo(2 * Math.ulp(want));
            }
        }
    }

    @Test
    void exp_of_non_positive_is_within_two_ulp_of_math_exp_down_to_the_smallest_normal_and_zero_below() {
        float[] x = new float[L * 6000];
        SplittableRandom r = new SplittableRandom(13);
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 2 == 0 ? (float) r.nextDouble(-88, 0) : (float) -(r.nextDouble() * Math.pow(10, -r.nextInt(0, 30)));
        }
        float min = LaneMath.EXP_NON_POSITIVE_MIN;
        float[] special = {0f, -0f, -Float.MIN_VALUE, -1e-30f, -0.34657359f, -0.34657362f, -1f, -20f, -86.64f, min,
                Math.nextUp(min), Math.nextDown(min), -87.34f, -103.9f, -104.5f, -200f, -1e30f, -Float.MAX_VALUE,
                Float.NEGATIVE_INFINITY, Float.NaN};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) LaneMath.expNonPositive(FloatVector.fromArray(VectorWidth.FLOATS, x, i)).intoArray(y, i);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.exp(x[i]);
            if (Float.isNaN(x[i])) {
                assertThat(y[i]).as("exp(NaN)").isNaN();
            } else if (x[i] < min) {
                assertThat(y[i]).as("exp(%s) below the smallest normal", x[i]).isEqualTo(0f);
            } else {
                assertThat(Math.abs(y[i] - want)).as("exp(%s) = %s, Math.exp %s", x[i], y[i], want)
                        .isLessThanOrEqualTo(2 * Math.ulp(want));
            }
        }
        assertThat(y[0]).as("exp(0)").isEqualTo(1f);
    }

    @Test
    void tanh_is_within_two_ulp_of_math_tanh_near_zero_around_the_switch_and_saturated() {
        float[] x = new float[L * 4000];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 3 == 0 ? (float) r.nextDouble(-1, 1) : i % 3 == 1 ? (float) r.nextDouble(-12, 12)
                    : (float) (r.nextDouble(-1, 1) * Math.pow(10, -r.nextInt(1, 30)));
        }
        float[] special = {0f, -0f, 0.625f, -0.625f, Math.nextDown(0.625f), 9f, 50f, -50f, Float.POSITIVE_INFINITY,
                Float.NEGATIVE_INFINITY, Float.NaN, Float.MIN_VALUE, -Float.MIN_NORMAL};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += L) LaneMath.tanh(FloatVector.fromArray(VectorWidth.FLOATS, x, i)).intoArray(y, i);
        for (int i = 0; i < x.length; i++) {
            float want = (float) Math.tanh(x[i]);
            if (Float.isNaN(want)) {
                assertThat(y[i]).as("tanh(%s)", x[i]).isNaN();
            } else {
                assertThat(Math.abs(y[i] - want)).as("tanh(%s) = %s, Math.tanh %s", x[i], y[i], want)
                        .isLessThanOrEqualTo(2 * Math.ulp(want));
            }
        }
        assertThat(Float.floatToRawIntBits(y[1])).as("tanh(-0) keeps the sign").isEqualTo(Float.floatToRawIntBits(-0f));
    }

    @Test
    void an_interpreted_jvm_gets_the_same_bits_as_this_warm_one() throws Exception {
        // Warm up until C2 has compiled the kernels (the Vector API ops only become SIMD there).
        for (int i = 0; i < 3000; i++) LaneMathDigest.digest();
        String warm = LaneMathDigest.digest();
        String cold = child("-Xint");
        assertThat(cold).as("digest of sum, exp, tanh, softmax and dot in an interpreted JVM").isEqualTo(warm);
    }

    private static String child(String flag) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", flag, "-cp", System.getProperty("java.class.path")));
        String bits = System.getProperty("nnlab.vector.bits");
        if (bits != null) cmd.add("-Dnnlab.vector.bits=" + bits);
        cmd.add(LaneMathDigest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(0);
        return out;
    }
}
