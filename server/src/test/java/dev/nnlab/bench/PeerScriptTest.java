package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The peer side's plumbing, with shell scripts standing in for Python; and, when Debian's torch is there, the real probe. */
class PeerScriptTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private BenchSettings settings() {
        return new BenchSettings(dir, dir, 2, 1, true, 1, 0, null);
    }

    private Path fakePython(String body) throws Exception {
        Path p = dir.resolve("python");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static final String OK_RESULT = "{\"throughput\":%s,\"unit\":\"samples/s\",\"quality\":0.92,\"quality_unit\":\"test_acc\","
            + "\"wall_s\":2.0,\"cpu_self_s\":3.9,\"cpu_busy_s\":4.0,\"peak_rss_kib\":2048,\"versions\":{\"torch\":\"1.13.1\"},"
            + "\"libraries\":[\"/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so\"],\"blas_configs\":{}}";

    @Test
    void a_python_that_does_not_exist_is_missing_naming_the_variable_that_picks_another() {
        PeerScript p = new PeerScript("pytorch", null, dir.resolve("no-python").toString(), "torch_workloads.py", Map.of());
        Measurement m = p.unavailable(Workload.W1, settings(), new PrintStream(log, true));
        assertThat(m.status()).isEqualTo(Measurement.Status.MISSING);
        assertThat(m.reason()).contains("no-python").contains(PeerSides.PYTHON_VARIABLE);
    }

    @Test
    void a_script_that_cannot_import_its_library_is_missing_with_the_package_that_provides_it() throws Exception {
        Path python = fakePython("echo '{\"missing\": \"/usr/bin/python3 cannot import torch (Debian: apt-get install python3-torch)\"}'; exit 3");
        PeerScript p = new PeerScript("pytorch", null, python.toString(), "torch_workloads.py", Map.of());
        Measurement m = p.unavailable(Workload.W1, settings(), new PrintStream(log, true));
        assertThat(m.status()).isEqualTo(Measurement.Status.MISSING);
        assertThat(m.reason()).contains("python3-torch");
    }

    @Test
    void a_peer_on_the_reference_blas_is_refused_before_it_is_timed() throws Exception {
        Path python = fakePython("""
                echo '{"probe": true, "versions": {"torch": "1.13.1"}, "libraries": ["/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"], "blas_configs": {}}'
                """);
        PeerScript p = new PeerScript("pytorch", null, python.toString(), "torch_workloads.py", Map.of());
        Measurement m = p.unavailable(Workload.W1, settings(), new PrintStream(log, true));
        assertThat(m.status()).isEqualTo(Measurement.Status.REFUSED);
        assertThat(m.reason()).contains("reference BLAS").contains("apt-get install libopenblas0");
        // Probed once per invocation: the second workload gets the same answer without a second probe.
        assertThat(p.unavailable(Workload.W2, settings(), new PrintStream(log, true)).workload()).isEqualTo("W2");
    }

    @Test
    void the_script_gets_the_workload_the_threads_and_its_openblas_setting_and_its_result_is_read() throws Exception {
        // $1 is the script; the fake echoes the threads it was given as throughput and OPENBLAS_NUM_THREADS as peak RSS.
        Path python = fakePython("""
                case "$*" in *--probe*) echo '{"probe":true,"versions":{},"libraries":[],"blas_configs":{}}'; exit 0;; esac
                echo "chatter on stdout"
                echo "progress on stderr" >&2
                echo "$RESULT" | sed "s/THREADS/$7/"
                """);
        PeerScript p = new PeerScript("pytorch", null, python.toString(), "torch_workloads.py",
                Map.of("OPENBLAS_NUM_THREADS", "1", "RESULT", OK_RESULT.formatted("THREADS")));
        assertThat(p.unavailable(Workload.W1, settings(), new PrintStream(log, true))).isNull();
        Measurement m = p.measure(Workload.W1, settings(), 1, new PrintStream(log, true));
        assertThat(m.status()).as(m.reason()).isEqualTo(Measurement.Status.OK);
        assertThat(m.throughput()).isEqualTo(2.0); // --threads 2 reached the script
        assertThat(m.quality()).isEqualTo(0.92);
        assertThat(m.blas().kind()).isEqualTo(LoadedBlas.Kind.OPENBLAS);
        assertThat(m.usage().othersCpuSeconds()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(log.toString()).contains("progress on stderr");
    }

    @Test
    void a_failing_script_is_a_failed_measurement_with_its_last_words() throws Exception {
        Path python = fakePython("echo 'Traceback (most recent call last):' >&2; echo 'ValueError: bad shape' >&2; exit 1");
        PeerScript p = new PeerScript("pytorch", null, python.toString(), "torch_workloads.py", Map.of());
        Measurement m = p.measure(Workload.W1, settings(), 1, new PrintStream(log, true));
        assertThat(m.status()).isEqualTo(Measurement.Status.FAILED);
        assertThat(m.reason()).isEqualTo("exited with 1: ValueError: bad shape");
    }

    @Test
    void the_python_on_path_counts_as_a_second_numpy_only_when_it_is_not_debians() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path py = bin.resolve("python3");
        Files.writeString(py, "#!/bin/sh\n");
        Files.setPosixFilePermissions(py, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(PeerSides.otherPython3OnPath(bin + ":/usr/bin")).isEqualTo(py.toString());
        assertThat(PeerSides.otherPython3OnPath(dir.resolve("empty") + "")).isNull();
        if (Files.isExecutable(Path.of(PeerSides.DEBIAN_PYTHON))) {
            assertThat(PeerSides.otherPython3OnPath("/usr/bin")).isNull();
        }
    }

    @Test
    void debians_torch_when_installed_reports_its_versions_and_a_blas_that_is_not_refused_silently() {
        assumeTrue(Files.isExecutable(Path.of(PeerSides.DEBIAN_PYTHON)), "no /usr/bin/python3");
        PeerScript p = new PeerScript("pytorch", null, PeerSides.DEBIAN_PYTHON, "torch_workloads.py", Map.of("OPENBLAS_NUM_THREADS", "1"));
        Measurement m = p.unavailable(Workload.W1, settings(), new PrintStream(log, true));
        assumeTrue(m == null || m.status() != Measurement.Status.MISSING,
                "/usr/bin/python3 has no torch (apt-get install python3-torch): " + (m == null ? "" : m.reason()));
        if (m == null) {
            assertThat(log.toString()).contains("torch=").containsAnyOf("OpenBLAS", "MKL", "BLIS", "no BLAS library mapped");
        } else {
            assertThat(m.status()).isEqualTo(Measurement.Status.REFUSED);
            assertThat(m.reason()).contains("libopenblas0");
        }
    }

    @Test
    void inherited_openblas_kernel_overrides_are_named_and_not_passed_to_the_peers() throws Exception {
        assertThat(PeerScript.droppedOverrides(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "512", "HOME", "/root")))
                .isEqualTo("OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE=512");
        assertThat(PeerScript.droppedOverrides(Map.of("OPENBLAS_NUM_THREADS", "2"))).isEmpty();
        // The child's environment really lacks the inherited variable (this JVM's own environment cannot be
        // changed, so HOME stands in for an inherited one) while the harness's own variables are set.
        assumeTrue(System.getenv("HOME") != null, "HOME is set in this environment");
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        SideProcess.Outcome o = SideProcess.run(List.of("/bin/sh", "-c",
                        "echo \"{\\\"path\\\":\\\"${HOME:-unset}\\\",\\\"threads\\\":\\\"$OPENBLAS_NUM_THREADS\\\"}\""),
                Map.of("OPENBLAS_NUM_THREADS", "1"), java.util.Set.of("HOME"), null, java.time.Duration.ofSeconds(30),
                new java.io.PrintStream(log, true));
        assertThat(o.failure()).isNull();
        assertThat(o.result().get("path").asText()).isEqualTo("unset");
        assertThat(o.result().get("threads").asText()).isEqualTo("1");
    }

    @Test
    void peers_get_huge_pages_when_the_kernel_offers_them_unless_the_user_set_glibc_tunables() {
        Map<String, String> base = Map.of("OPENBLAS_NUM_THREADS", "1");
        assertThat(PeerScript.withHugePages(base, Map.of(), true))
                .containsEntry("GLIBC_TUNABLES", "glibc.malloc.hugetlb=1").containsEntry("OPENBLAS_NUM_THREADS", "1");
        assertThat(PeerScript.withHugePages(base, Map.of(), false)).doesNotContainKey("GLIBC_TUNABLES");
        assertThat(PeerScript.withHugePages(base, Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"), true))
                .doesNotContainKey("GLIBC_TUNABLES"); // the user's own, inherited as it is
    }
}
