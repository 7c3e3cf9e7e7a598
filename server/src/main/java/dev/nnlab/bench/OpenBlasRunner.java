package dev.nnlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Times OpenBLAS's SGEMM through numpy in a Python subprocess, with the same warm-up and
 * repetition counts as the nnlab side. Only a numpy whose loaded BLAS library is OpenBLAS counts:
 * Debian's python3-numpy runs on whatever {@code libblas.so.3} the alternatives system points at,
 * which is the ~50x slower reference BLAS unless libopenblas is installed.
 */
final class OpenBlasRunner {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Prints {"blas": loaded BLAS libraries, "seconds": [one per timed call]}; argv: size warmup reps. */
    private static final String SNIPPET = """
            import json, sys, time
            import numpy as np
            libs = sorted({l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.lower() and '/' in l})
            size, warmup, reps = (int(x) for x in sys.argv[1:4])
            out = {"blas": libs}
            if reps > 0:
                rng = np.random.default_rng(1)
                a = rng.uniform(-1, 1, (size, size)).astype(np.float32)
                b = rng.uniform(-1, 1, (size, size)).astype(np.float32)
                c = np.empty((size, size), np.float32)
                for _ in range(warmup):
                    np.matmul(a, b, out=c)
                ts = []
                for _ in range(reps):
                    t0 = time.perf_counter()
                    np.matmul(a, b, out=c)
                    ts.append(time.perf_counter() - t0)
                out.update(seconds=ts)
            print(json.dumps(out))
            """;

    private final String python;
    private final String library;

    private OpenBlasRunner(String python, String library) {
        this.python = python;
        this.library = library;
    }

    String python() { return python; }

    String library() { return library; }

    /**
     * The first of $NNLAB_BENCH_PYTHON, /usr/bin/python3 and python3 on PATH whose numpy loads
     * OpenBLAS, or null (with a note on {@code log} for each candidate that did not qualify).
     */
    static OpenBlasRunner find(PrintStream log) {
        List<String> candidates = new ArrayList<>();
        String env = System.getenv("NNLAB_BENCH_PYTHON");
        if (env != null && !env.isBlank()) candidates.add(env);
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            if (python.startsWith("/") && !Files.isExecutable(Path.of(python))) {
                log.println("sgemm: " + python + " not found");
                continue;
            }
            try {
                JsonNode probe = runSnippet(python, 1, 0, 0, 0);
                String openblas = null;
                for (JsonNode lib : probe.path("blas")) {
                    if (lib.asText().toLowerCase().contains("openblas")) openblas = lib.asText();
                }
                if (openblas != null) {
                    log.println("sgemm: OpenBLAS side: " + python + " with " + openblas);
                    return new OpenBlasRunner(python, openblas);
                }
                log.println("sgemm: numpy of " + python + " does not use OpenBLAS (loads " + probe.path("blas")
                        + "); install libopenblas0 or set NNLAB_BENCH_PYTHON");
            } catch (IOException | RuntimeException e) {
                log.println("sgemm: no usable numpy in " + python + ": " + e.getMessage());
            }
        }
        log.println("sgemm: skipping the OpenBLAS comparison");
        return null;
    }

    /** Seconds of each of {@code reps} timed calls, after {@code warmup} untimed ones. */
    List<Double> time(int size, int threads, int warmup, int reps) {
        try {
            JsonNode r = runSnippet(python, size, threads, warmup, reps);
            List<Double> seconds = new ArrayList<>();
            for (JsonNode s : r.path("seconds")) seconds.add(s.asDouble());
            if (seconds.size() != reps) throw new IOException("expected " + reps + " timings, got " + r);
            return seconds;
        } catch (IOException e) {
            throw new IllegalStateException("OpenBLAS run failed: " + e.getMessage(), e);
        }
    }

    private static JsonNode runSnippet(String python, int size, int threads, int warmup, int reps) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(python, "-c", SNIPPET,
                Integer.toString(size), Integer.toString(warmup), Integer.toString(reps));
        String t = Integer.toString(Math.max(1, threads));
        pb.environment().put("OPENBLAS_NUM_THREADS", t);
        pb.environment().put("OMP_NUM_THREADS", t);
        pb.redirectErrorStream(false);
        Process p = pb.start();
        p.getOutputStream().close();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(python + " timed out");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0 || stdout.isEmpty()) {
            String last = stderr.lines().reduce((x, y) -> y).orElse("exit " + p.exitValue());
            throw new IOException(last);
        }
        return JSON.readTree(stdout.lines().reduce((x, y) -> y).orElseThrow());
    }
}
