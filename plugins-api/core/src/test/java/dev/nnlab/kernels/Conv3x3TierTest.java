package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Conv3x3}'s kernels give the same bits interpreted as compiled: no result depends on the JIT tier. */
class Conv3x3TierTest {
    @Test
    void an_interpreted_jvm_computes_the_same_bits_as_this_warm_one() throws Exception {
        // Warm up until C2 has compiled the kernels (the Vector API only becomes SIMD there).
        for (int i = 0; i < 1500; i++) Conv3x3Digest.digest();
        String warm = Conv3x3Digest.digest();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-Xint", "-cp", System.getProperty("java.class.path")));
        String bits = System.getProperty("nnlab.vector.bits");
        if (bits != null) cmd.add("-Dnnlab.vector.bits=" + bits);
        cmd.add(Conv3x3Digest.class.getName());
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String cold = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(cold).isEqualTo(0);
        assertThat(cold).as("digest of the convolution kernels in an interpreted JVM").isEqualTo(warm);
    }
}
