package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch side of a workload: {@code torch_workloads.py} (a resource next to this class) run by
 * the Python that has Debian's {@code python3-torch}, as a subprocess, in the same benchmark run.
 * Never installs anything: when torch is not importable it says so and the comparison is skipped.
 * {@code NNLAB_BENCH_PYTHON} names another Python that has torch.
 *
 * <p>Threads as for the published PyTorch figures: {@code torch.set_num_threads(threads)} and
 * {@code OPENBLAS_NUM_THREADS=1}; with both pools at 2 threads on this 2-core machine PyTorch is
 * several times slower, which would flatter nnlab.
 */
final class TorchPeer {
    /** Debian's torch is installed for the system Python, not for a pyenv python3 that may come first on PATH. */
    static final String DEBIAN_PYTHON = "/usr/bin/python3";
    static final String SCRIPT = "torch_workloads.py";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Names another Python with torch (a virtualenv's, say); a path that does not exist skips the PyTorch side. */
    static final String PYTHON_VARIABLE = "NNLAB_BENCH_PYTHON";

    private final String python;

    TorchPeer(String python) {
        this.python = python;
    }

    /** {@value #PYTHON_VARIABLE} when set, else {@value #DEBIAN_PYTHON}. */
    static TorchPeer fromEnvironment() {
        String p = System.getenv(PYTHON_VARIABLE);
        return new TorchPeer(p == null || p.isBlank() ? DEBIAN_PYTHON : p);
    }

    /**
     * The workload's figures on PyTorch, seeded with the nnlab run's {@code seed} (the two generators
     * differ, so the runs share the recipe, not the random numbers), or null (after saying why on
     * {@code log}) when torch is not available.
     */
    WorkloadResult run(MnistWorkload w, Path dataDir, int threads, int seed, PrintStream log)
            throws IOException, InterruptedException {
        String missing = whyUnavailable();
        if (missing != null) {
            log.println("  pytorch: skipped, " + missing);
            return null;
        }
        Path script = Files.createTempFile("nnlab-torch-", ".py");
        try {
            try (InputStream in = TorchPeer.class.getResourceAsStream(SCRIPT)) {
                if (in == null) throw new IllegalStateException(SCRIPT + " is missing from nnlab's jar; rebuild nnlab");
                Files.write(script, in.readAllBytes());
            }
            log.println("  pytorch: running " + w.id() + " with " + python + " (torch threads " + threads
                    + ", OPENBLAS_NUM_THREADS=1)");
            List<String> cmd = List.of(python, script.toString(), "--workload", w.id(), "--data-dir", dataDir.toString(),
                    "--threads", String.valueOf(threads), "--epochs", String.valueOf(w.epochs()),
                    "--batch-size", String.valueOf(w.batchSize()), "--lr", String.format(Locale.ROOT, "%s", w.lr()),
                    "--seed", String.valueOf(seed));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("OPENBLAS_NUM_THREADS", "1");
            Process p = pb.start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            if (code != 0) {
                throw new IllegalStateException("the PyTorch side of " + w.id() + " exited with " + code
                        + " (its output is above)");
            }
            return parse(stdout, w.id());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Null when {@code python} can import torch, else a sentence saying what is missing and how to get it. */
    String whyUnavailable() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(python))) {
            return python + " is not an executable (Debian's python3-torch runs from " + DEBIAN_PYTHON + "; "
                    + PYTHON_VARIABLE + " names another)";
        }
        Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return python + " took over 2 minutes to import torch";
        }
        return p.exitValue() == 0 ? null
                : python + " cannot import torch (install Debian's python3-torch: apt-get install python3-torch)";
    }

    /** The last JSON line of the script's stdout, which must be the pytorch result of workload {@code id}. */
    static WorkloadResult parse(String stdout, String id) throws IOException {
        String line = stdout.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("the PyTorch side of " + id
                        + " printed no JSON line; it printed: " + stdout));
        JsonNode n = JSON.readTree(line);
        for (String field : List.of("id", "system", "threads", "throughput", "quality")) {
            if (!n.has(field)) throw new IllegalStateException("the PyTorch line lacks \"" + field + "\": " + line);
        }
        Map<String, String> expected = Map.of("id", id, "system", "pytorch");
        for (var e : expected.entrySet()) {
            if (!n.get(e.getKey()).asText().equals(e.getValue())) {
                throw new IllegalStateException("the PyTorch line has " + e.getKey() + " " + n.get(e.getKey())
                        + ", expected " + e.getValue());
            }
        }
        return new WorkloadResult(id, "pytorch", n.get("threads").asInt(), n.get("throughput").asDouble(),
                n.get("quality").asDouble());
    }
}
