package dev.nnlab.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The BLAS detection on /proc/self/maps text as Debian's numpy and torch, pip's numpy and an MKL build leave it. */
class LoadedBlasTest {

    private static final String DEBIAN_OPENBLAS = """
            55d0c4a00000-55d0c4a2b000 r--p 00000000 08:01 1311 /usr/bin/python3.11
            7f1c2a000000-7f1c2a021000 rw-p 00000000 00:00 0
            7f1c2b400000-7f1c2b46e000 r-xp 00000000 08:01 9001 /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
            7f1c2c000000-7f1c2e1d0000 r-xp 00000000 08:01 9002 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so
            7f1c2e400000-7f1c2eb00000 r-xp 00000000 08:01 9003 /usr/lib/x86_64-linux-gnu/openblas-pthread/liblapack.so.3
            7ffd1c5e2000-7ffd1c603000 rw-p 00000000 00:00 0                          [stack]
            """;

    private static final String REFERENCE = """
            55d0c4a00000-55d0c4a2b000 r--p 00000000 08:01 1311 /usr/bin/python3.11
            7f1c2b400000-7f1c2b46e000 r-xp 00000000 08:01 7001 /usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0
            7f1c2e400000-7f1c2eb00000 r-xp 00000000 08:01 7002 /usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3.11.0
            """;

    private static final String MKL = """
            7f1c2b400000-7f1c2b46e000 r-xp 00000000 08:01 5001 /opt/intel/oneapi/mkl/2024.0/lib/libmkl_rt.so.2
            7f1c2c000000-7f1c2e1d0000 r-xp 00000000 08:01 5002 /opt/intel/oneapi/mkl/2024.0/lib/libmkl_core.so.2
            """;

    @Test
    void debians_openblas_is_named_by_the_library_itself_with_the_version_it_reports() {
        LoadedBlas b = LoadedBlas.detect(DEBIAN_OPENBLAS, Map.of(
                "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3", "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64"));
        assertThat(b.kind()).isEqualTo(LoadedBlas.Kind.OPENBLAS);
        assertThat(b.path()).isEqualTo("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so");
        assertThat(b.version()).isEqualTo("0.3.21");
        assertThat(b.refusal()).isNull();
        assertThat(b.core()).isEqualTo("Zen");
        assertThat(b.label()).isEqualTo("OpenBLAS 0.3.21 (Zen kernels)");
    }

    @Test
    void without_a_configuration_string_the_version_comes_from_the_file_name() {
        assertThat(LoadedBlas.detect(DEBIAN_OPENBLAS, Map.of()).version()).isEqualTo("0.3.21");
    }

    @Test
    void pips_scipy_openblas_reports_its_own_version() {
        String path = "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/numpy.libs/libscipy_openblas64_-32a4b2a6.so";
        LoadedBlas b = LoadedBlas.detect(path + "\n", Map.of(path, "OpenBLAS 0.3.31.188.0  USE64BITINT DYNAMIC_ARCH Haswell"));
        assertThat(b.kind()).isEqualTo(LoadedBlas.Kind.OPENBLAS);
        assertThat(b.version()).isEqualTo("0.3.31.188.0");
        assertThat(b.core()).as("the core name, not a build flag").isEqualTo("Haswell");
    }

    @Test
    void a_configuration_without_a_core_name_gives_none() {
        String path = "/usr/lib/libopenblas.so.0";
        assertThat(LoadedBlas.detect(path + "\n", Map.of(path, "OpenBLAS 0.3.21 NO_AFFINITY MAX_THREADS=64")).core()).isNull();
        assertThat(LoadedBlas.detect(path + "\n", Map.of()).core()).isNull();
    }

    @Test
    void the_reference_blas_is_refused_with_how_to_install_openblas() {
        LoadedBlas b = LoadedBlas.detect(REFERENCE, Map.of());
        assertThat(b.kind()).isEqualTo(LoadedBlas.Kind.REFERENCE);
        assertThat(b.path()).isEqualTo("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0");
        assertThat(b.version()).isEqualTo("3.11.0");
        assertThat(b.refusal()).contains("reference BLAS").contains("apt-get install libopenblas0");
    }

    @Test
    void mkl_is_recognised_and_accepted() {
        LoadedBlas b = LoadedBlas.detect(MKL, Map.of());
        assertThat(b.kind()).isEqualTo(LoadedBlas.Kind.MKL);
        assertThat(b.path()).endsWith("libmkl_rt.so.2");
        assertThat(b.refusal()).isNull();
    }

    @Test
    void a_process_without_a_blas_library_is_not_refused_but_says_none_was_found() {
        LoadedBlas b = LoadedBlas.detect("55d0c4a00000-55d0c4a2b000 r--p 00000000 08:01 1311 /usr/bin/fasttext\n", Map.of());
        assertThat(b.kind()).isEqualTo(LoadedBlas.Kind.NONE_FOUND);
        assertThat(b.refusal()).isNull();
    }
}
