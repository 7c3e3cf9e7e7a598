package dev.nnlab.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The peers of each workload, as WORKLOADS.md names them: OpenBLAS through numpy (W0), PyTorch from
 * Debian's {@code python3-torch} (W1-W5), gensim from {@code python3-gensim} and the {@code fasttext}
 * program (W6/W7). Debian's packages run from {@value #DEBIAN_PYTHON}, not from a pyenv
 * {@code python3} that may come first on PATH; {@value #PYTHON_VARIABLE} names another Python with
 * torch and gensim. One instance per invocation, so each peer is probed once.
 */
final class PeerSides {
    static final String DEBIAN_PYTHON = "/usr/bin/python3";
    static final String PYTHON_VARIABLE = "NNLAB_BENCH_PYTHON";

    private final Side debianNumpy;
    private final Side pathNumpy;
    private final Side torch;
    private final Side torchLstm;
    private final Side gensim;
    private final Side fasttext;

    PeerSides(String python, String pathPython, int threads) {
        // OpenBLAS gets the threads for W0; for torch's workloads one, as for the published PyTorch
        // figures: with both pools at 2 threads on a 2-core machine PyTorch is 2.5-4x slower, which would flatter nnlab.
        debianNumpy = new PeerScript("numpy", DEBIAN_PYTHON, DEBIAN_PYTHON, "numpy_sgemm.py", env(threads));
        pathNumpy = pathPython == null ? null
                : new PeerScript("numpy", "python3 on PATH: " + pathPython, pathPython, "numpy_sgemm.py", env(threads));
        torch = new PeerScript("pytorch", null, python, "torch_workloads.py", env(1));
        // W5's large matrix products (200 -> 10,000) gain from OpenBLAS threads; passive OpenMP waiting keeps the
        // two pools from spinning against each other (the fastest setting found for the published figure).
        Map<String, String> lstm = env(threads);
        lstm.put("OMP_WAIT_POLICY", "PASSIVE");
        torchLstm = new PeerScript("pytorch", null, python, "torch_workloads.py", lstm);
        gensim = new PeerScript("gensim", null, python, "gensim_word2vec.py", env(1));
        fasttext = new PeerScript("fasttext", null, python, "fasttext_word2vec.py", env(1));
    }

    /** Peers found the way a user's machine has them: {@value #PYTHON_VARIABLE} or Debian's Python, and python3 on PATH. */
    static PeerSides fromEnvironment(int threads) {
        String p = System.getenv(PYTHON_VARIABLE);
        String python = p == null || p.isBlank() ? DEBIAN_PYTHON : p;
        return new PeerSides(python, otherPython3OnPath(System.getenv("PATH")), threads);
    }

    List<Side> of(Workload w) {
        List<Side> sides = new ArrayList<>();
        switch (w.id()) {
            case "W0" -> {
                sides.add(debianNumpy);
                if (pathNumpy != null) sides.add(pathNumpy);
            }
            case "W1", "W2", "W3", "W4" -> sides.add(torch);
            case "W5" -> sides.add(torchLstm);
            case "W6", "W7", "W6g", "W7g" -> {
                sides.add(gensim);
                sides.add(fasttext);
            }
            default -> throw new IllegalArgumentException("no peers known for " + w.id());
        }
        return sides;
    }

    /**
     * The first {@code python3} on {@code path} when it is another interpreter than Debian's (a pyenv or
     * virtualenv one, whose numpy may bring a newer OpenBLAS), else null.
     */
    static String otherPython3OnPath(String path) {
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, "python3");
            if (!Files.isExecutable(p)) continue;
            try {
                Path real = p.toRealPath();
                Path debian = Path.of(DEBIAN_PYTHON);
                if (Files.exists(debian) && real.equals(debian.toRealPath())) return null;
            } catch (IOException e) {
                return null;
            }
            return p.toString();
        }
        return null;
    }

    private static Map<String, String> env(int blasThreads) {
        Map<String, String> env = new HashMap<>(PeerScript.blasThreads(blasThreads));
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        return env;
    }
}
