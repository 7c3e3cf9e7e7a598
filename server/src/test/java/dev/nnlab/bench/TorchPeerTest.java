package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The subprocess plumbing, with shell scripts standing in for Python: no torch is needed or run. */
class TorchPeerTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private Path fakePython(String body) throws Exception {
        Path p = dir.resolve("python");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void a_python_that_does_not_exist_skips_the_comparison_naming_the_variable_that_picks_another() throws Exception {
        TorchPeer peer = new TorchPeer(dir.resolve("no-python").toString());
        assertThat(peer.run(MnistWorkload.W1, dir, 2, 1, new PrintStream(log, true))).isNull();
        assertThat(log.toString()).contains("pytorch: skipped").contains("no-python").contains(TorchPeer.PYTHON_VARIABLE);
    }

    @Test
    void a_python_without_torch_skips_the_comparison_saying_which_package_provides_it() throws Exception {
        TorchPeer peer = new TorchPeer(fakePython("echo 'No module named torch' >&2; exit 1").toString());
        assertThat(peer.run(MnistWorkload.W2, dir, 2, 1, new PrintStream(log, true))).isNull();
        assertThat(log.toString()).contains("cannot import torch").contains("python3-torch");
    }

    @Test
    void the_script_gets_the_workload_and_threads_and_a_single_threaded_openblas() throws Exception {
        // Echoes back what it was given: $3 is the workload id, $7 the threads (after the script path in $1).
        Path python = fakePython("""
                [ "$1" = "-c" ] && exit 0
                echo "some chatter on stdout"
                echo "{\\"id\\":\\"$3\\",\\"system\\":\\"pytorch\\",\\"threads\\":$7,\\"throughput\\":$OPENBLAS_NUM_THREADS.5,\\"quality\\":0.9}"
                """);
        WorkloadResult r = new TorchPeer(python.toString()).run(MnistWorkload.W1, dir, 2, 1, new PrintStream(log, true));
        assertThat(r).isEqualTo(new WorkloadResult("W1", "pytorch", 2, 1.5, 0.9));
    }

    @Test
    void a_failing_script_fails_the_benchmark_with_its_exit_code() throws Exception {
        Path python = fakePython("[ \"$1\" = \"-c\" ] && exit 0\nexit 3");
        assertThatThrownBy(() -> new TorchPeer(python.toString()).run(MnistWorkload.W1, dir, 2, 1, new PrintStream(log, true)))
                .hasMessageContaining("exited with 3");
    }

    @Test
    void the_result_is_the_last_json_line_and_must_be_the_requested_workloads() throws Exception {
        String out = "loading\n{\"id\":\"W2\",\"system\":\"pytorch\",\"threads\":2,\"throughput\":32900.0,\"quality\":0.979}\n";
        assertThat(TorchPeer.parse(out, "W2")).isEqualTo(new WorkloadResult("W2", "pytorch", 2, 32900.0, 0.979));
        assertThatThrownBy(() -> TorchPeer.parse(out, "W1")).hasMessageContaining("expected W1");
        assertThatThrownBy(() -> TorchPeer.parse("no json here\n", "W1")).hasMessageContaining("printed no JSON line");
    }
}
