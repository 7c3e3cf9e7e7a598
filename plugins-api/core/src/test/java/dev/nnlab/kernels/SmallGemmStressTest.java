package dev.nnlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SmallGemm}'s bits depend on nothing but its operands: not on how many threads share the product
 * (each thread copying strips of B into its own buffer, the caller running a share too, the pool replaced
 * between calls), and not on which JIT tier runs the kernels. Both are checked bit for bit against a
 * scalar reference that sums in the kernels' documented order: the k products of one output in order with
 * fused multiply-adds, for {@code dots} lane by lane over the whole vectors of k, the lanes added in
 * {@link LaneMath#sum}'s tree order, then the tail in order.
 *
 * <p>The flaky {@code a_product_split_across_two_threads_equals_the_one_thread_result_exactly} of the
 * session that brought the strip copy was the {@code dots} half: {@code reduceLanes(ADD)} adds the lanes in
 * lane order in the interpreter and C1 but as a tree in C2, so a call made before C2 had compiled the kernel
 * and one made after differed in the last bits.
 */
class SmallGemmStressTest {
    private static final int L = SmallGemm.lanes();

    @AfterEach
    void restoreThreads() { Parallelism.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void many_products_of_varied_shapes_on_one_to_three_threads_equal_the_fixed_order_reference_bit_for_bit() {
        SplittableRandom r = new SplittableRandom(23);
        for (int it = 0; it < 120; it++) {
            // Every other product is large enough to be split across threads; the rest are awkward shapes
            // (1 x n, m x 1, tails of the 4-row and 3-vector tiles) that stay on the caller.
            boolean large = it % 2 == 0;
            int m = large ? r.nextInt(8, 72) : r.nextInt(1, 14);
            int n = large ? r.nextInt(3 * L + 1, 300) : r.nextInt(1, 4 * L + 4);
            int k = large ? (int) Math.max(1, (SmallGemm.PARALLEL_FMAS + r.nextInt(0, 1 << 19)) / ((long) m * n)) + 1
                    : r.nextInt(1, 5 * L);
            boolean transA = r.nextBoolean(), acc = r.nextBoolean();
            String what = "product " + it + ": " + m + "x" + n + "x" + k + " transA=" + transA + " acc=" + acc;
            int lda = (transA ? m : k) + r.nextInt(0, 3), ldb = n + r.nextInt(0, 3), ldbt = k + r.nextInt(0, 3);
            int ars = transA ? 1 : lda, aks = transA ? lda : 1;
            int ldr = k + r.nextInt(0, 3); // dots reads A along rows of length k
            float[] a = random((transA ? k : m) * lda, r), ar = random(m * ldr, r), b = random(k * ldb, r), bt = random(n * ldbt, r);
            float[] bias = acc ? null : random(n, r);
            float[] start = random(m * n, r);
            float[] panelRef = start.clone(), dotsRef = start.clone();
            panelReference(m, n, k, a, ars, aks, b, ldb, acc, bias, panelRef);
            dotsReference(m, n, k, ar, ldr, bt, ldbt, acc, bias, dotsRef);
            for (int threads = 1; threads <= 3; threads++) {
                Parallelism.setThreads(threads);
                float[] c = start.clone(), d = start.clone();
                SmallGemm.panel(m, n, k, a, 0, ars, aks, b, 0, ldb, acc, bias, 0, c, 0, n);
                SmallGemm.dots(m, n, k, ar, 0, ldr, bt, 0, ldbt, acc, bias, 0, d, 0, n);
                assertBits(c, panelRef, n, "panel " + what + " threads=" + threads);
                assertBits(d, dotsRef, n, "dots " + what + " threads=" + threads);
            }
        }
    }

    @Test
    void an_interpreted_jvm_computes_the_same_bits_as_this_warm_one() throws Exception {
        // Warm up until C2 has compiled the kernels (the Vector API only becomes SIMD there).
        for (int i = 0; i < 1500; i++) SmallGemmDigest.digest();
        String warm = SmallGemmDigest.digest();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xint", "-cp", System.getProperty("java.class.path")));
        String bits = System.getProperty("nnlab.vector.bits");
        if (bits != null) cmd.add("-Dnnlab.vector.bits=" + bits);
        cmd.add(SmallGemmDigest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String cold = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(cold).isEqualTo(0);
        assertThat(cold).as("digest of panel and dots in an interpreted JVM").isEqualTo(warm);
    }

    /** C = [C +] A B [+ bias]: fused multiply-adds in k order; whole vectors of columns start from the bias, the last n mod L columns add it at the end. */
    private static void panelReference(int m, int n, int k, float[] a, int ars, int aks, float[] b, int ldb,
                                       boolean acc, float[] bias, float[] c) {
        int vectorColumns = n / L * L;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                boolean tail = j >= vectorColumns;
                float s = bias == null || tail ? 0f : bias[j];
                for (int p = 0; p < k; p++) s = Math.fma(a[i * ars + p * aks], b[p * ldb + j], s);
                if (bias != null && tail) s += bias[j];
                c[i * n + j] = acc ? c[i * n + j] + s : s;
            }
        }
    }

    /** C = [C +] A B^T [+ bias]: lane l sums p = l mod L over the whole vectors of k, the lanes in tree order, then the tail in order. */
    private static void dotsReference(int m, int n, int k, float[] a, int lda, float[] bt, int ldb,
                                      boolean acc, float[] bias, float[] c) {
        int upper = k / L * L;
        float[] lanes = new float[L];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                java.util.Arrays.fill(lanes, 0f);
                for (int p = 0; p < upper; p++) lanes[p % L] = Math.fma(a[i * lda + p], bt[j * ldb + p], lanes[p % L]);
                float s = LaneMath.sumReference(lanes);
                for (int p = upper; p < k; p++) s = Math.fma(a[i * lda + p], bt[j * ldb + p], s);
                if (bias != null) s += bias[j];
                c[i * n + j] = acc ? c[i * n + j] + s : s;
            }
        }
    }

    private static void assertBits(float[] actual, float[] expected, int n, String what) {
        for (int i = 0; i < actual.length; i++) {
            if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                throw new AssertionError(what + ": C[" + i / n + "][" + i % n + "] is " + actual[i] + ", the reference " + expected[i]);
            }
        }
    }

    private static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-3, 4)));
        return x;
    }
}
