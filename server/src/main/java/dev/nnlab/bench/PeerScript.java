package dev.nnlab.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A peer measured by one of the Python scripts shipped next to this class
 * ({@code torch_workloads.py}, {@code numpy_sgemm.py}, {@code gensim_word2vec.py},
 * {@code fasttext_word2vec.py}, with {@code bench_common.py} and {@code word_quality.py}), run
 * by a given Python as a child process. Before the first measurement the script is run with
 * {@code --probe}: it imports its libraries, does one matrix product and reports its versions and
 * mapped libraries, so a peer that is not installed is reported missing and one on the reference
 * BLAS is refused before any time is spent. Never installs anything.
 */
final class PeerScript implements Side {
    static final List<String> RESOURCES = List.of("bench_common.py", "word_quality.py", "torch_workloads.py",
            "numpy_sgemm.py", "gensim_word2vec.py", "fasttext_word2vec.py");
    static final Duration TIMEOUT = Duration.ofMinutes(60);

    private final String system;
    private final String variant;
    private final String python;
    private final String script;
    private final Map<String, String> env;
    private Measurement probed;
    private boolean probedOnce;

    /**
     * @param env environment for the script, on top of the harness's; the thread variables that make
     *            the peer fair ({@code OPENBLAS_NUM_THREADS}) go here
     */
    PeerScript(String system, String variant, String python, String script, Map<String, String> env) {
        if (!RESOURCES.contains(script)) throw new IllegalArgumentException("no peer script " + script);
        this.system = system;
        this.variant = variant;
        this.python = python;
        this.script = script;
        this.env = Map.copyOf(withHugePages(env, System.getenv(), transparentHugePagesOnRequest()));
    }

    @Override public String system() { return system; }

    @Override public String variant() { return variant; }

    String python() { return python; }

    String script() { return script; }

    Map<String, String> env() { return env; }

    @Override
    public Measurement unavailable(Workload w, BenchSettings s, PrintStream log) {
        if (probedOnce) return probed == null ? null : relabel(probed, w);
        probedOnce = true;
        if (python.startsWith("/") && !Files.isExecutable(Path.of(python))) {
            probed = Measurement.notMeasured(w.id(), system, variant, 1, Measurement.Status.MISSING,
                    python + " is not an executable (" + PeerSides.PYTHON_VARIABLE + " names another Python)", null);
            return probed;
        }
        List<String> cmd = new ArrayList<>(List.of(python, scriptPath().toString(), "--probe", "--threads",
                String.valueOf(s.threads())));
        String dropped = droppedOverrides(System.getenv());
        if (!dropped.isEmpty()) {
            log.println("  " + side() + ": not passing on " + dropped + " from the environment: it overrides OpenBLAS's own"
                    + " choice of kernels for this CPU (AVX2 ones on an AVX-512 machine make a slower peer); "
                    + PIN_VARIABLE + "=NAME pins a core type for the peers");
        }
        if (HUGE_PAGES_TUNABLE.equals(env.get(TUNABLES))) {
            log.println("  " + side() + ": malloc on transparent huge pages (" + TUNABLES + "=" + HUGE_PAGES_TUNABLE
                    + "), as nnlab's JVM runs with -XX:+UseTransparentHugePages");
        }
        SideProcess.Outcome o = SideProcess.run(cmd, env, KERNEL_OVERRIDES, scriptDir(), Duration.ofMinutes(3), log);
        if (o.missing() != null) {
            probed = Measurement.notMeasured(w.id(), system, variant, 1, Measurement.Status.MISSING, o.missing(), null);
        } else if (o.failure() != null) {
            probed = SideResult.failed(w, system, variant, 1, "the probe (--probe) failed: " + o.failure());
        } else {
            LoadedBlas blas = SideResult.blas(o.result());
            Map<String, Object> versions = SideResult.map(o.result().get("versions"));
            if (blas.refusal() != null) {
                probed = Measurement.notMeasured(w.id(), system, variant, 1, Measurement.Status.REFUSED,
                        python + ": " + blas.refusal(), versions);
            } else {
                log.println("  " + side() + ": " + versions + ", " + blas.label()
                        + (blas.path() == null ? "" : " (" + blas.path() + ")"));
            }
        }
        return probed == null ? null : relabel(probed, w);
    }

    @Override
    public Measurement measure(Workload w, BenchSettings s, int round, PrintStream log) {
        List<String> cmd = new ArrayList<>(List.of(python, scriptPath().toString(), "--workload", w.id(),
                "--data-dir", s.dataDir().toString(), "--threads", String.valueOf(s.threads()),
                "--epochs", String.valueOf(Math.max(1, w.epochs(s.epochs()))), "--seed", "1"));
        cmd.addAll(w.peerArgs());
        cmd.addAll(Word2VecWorkload.peerArgs(w, s, log));
        SideProcess.Outcome o = SideProcess.run(cmd, env, KERNEL_OVERRIDES, scriptDir(), TIMEOUT, log);
        if (o.missing() != null) return Measurement.notMeasured(w.id(), system, variant, round, Measurement.Status.MISSING, o.missing(), null);
        if (o.failure() != null) return SideResult.failed(w, system, variant, round, o.failure());
        return SideResult.parse(o.result(), w, system, variant, round);
    }

    private String side() { return variant == null ? system : system + " (" + variant + ")"; }

    private Measurement relabel(Measurement m, Workload w) {
        return Measurement.notMeasured(w.id(), m.system(), m.variant(), m.round(), m.status(), m.reason(), m.versions());
    }

    private Path scriptPath() { return scriptDir().resolve(script); }

    private static Path dir;

    /** The scripts, copied once per JVM from nnlab's jar into a temporary folder that is deleted on exit. */
    static synchronized Path scriptDir() {
        if (dir != null) return dir;
        try {
            Path d = Files.createTempDirectory("nnlab-bench-peers");
            d.toFile().deleteOnExit();
            for (String name : RESOURCES) {
                try (InputStream in = PeerScript.class.getResourceAsStream(name)) {
                    if (in == null) throw new IllegalStateException(name + " is missing from nnlab's jar; rebuild nnlab");
                    Path f = d.resolve(name);
                    Files.write(f, in.readAllBytes());
                    f.toFile().deleteOnExit();
                }
            }
            dir = d;
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Inherited variables that override OpenBLAS's detection of the CPU. A peer runs at its best with the
     * kernels OpenBLAS picks itself: a machine whose environment pins {@code OPENBLAS_CORETYPE=Haswell} had
     * numpy at ~190 GFLOPS on W0 where its own choice (Cooperlake, SkylakeX kernels) reached ~300.
     */
    static final Set<String> KERNEL_OVERRIDES = Set.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
    /** Pins OpenBLAS's core type for the peers on purpose (e.g. to work around a misdetected CPU). */
    static final String PIN_VARIABLE = "NNLAB_PEER_OPENBLAS_CORETYPE";

    /** "OPENBLAS_CORETYPE=Haswell, OPENBLAS_L2_SIZE=512" for the overrides set in {@code environment}; "" when none. */
    static String droppedOverrides(Map<String, String> environment) {
        return KERNEL_OVERRIDES.stream().sorted().filter(environment::containsKey)
                .map(k -> k + "=" + environment.get(k)).collect(java.util.stream.Collectors.joining(", "));
    }

    static final String TUNABLES = "GLIBC_TUNABLES";
    /** glibc's malloc asks for transparent huge pages (madvise) on its own mappings: glibc 2.35 and later. */
    static final String HUGE_PAGES_TUNABLE = "glibc.malloc.hugetlb=1";

    /**
     * {@code env} plus glibc's huge-page tunable when the kernel gives transparent huge pages on request and
     * the user set no tunables of their own. The peers get the pages nnlab's JVM gets: on 4 KB pages PyTorch's
     * W3 ran at 1,441-2,870 samples/s from one process to the next, with huge pages at 3,373-3,684.
     */
    static Map<String, String> withHugePages(Map<String, String> env, Map<String, String> inherited, boolean onRequest) {
        if (!onRequest || inherited.containsKey(TUNABLES) || env.containsKey(TUNABLES)) return env;
        Map<String, String> with = new HashMap<>(env);
        with.put(TUNABLES, HUGE_PAGES_TUNABLE);
        return with;
    }

    /** True when /sys/kernel/mm/transparent_hugepage/enabled is [always] or [madvise]. */
    static boolean transparentHugePagesOnRequest() {
        try {
            String mode = Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
            return mode.contains("[always]") || mode.contains("[madvise]");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The environment that sets OpenBLAS's thread pool to {@code n} (torch's own pool is set by the script). */
    static Map<String, String> blasThreads(int n) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENBLAS_NUM_THREADS", String.valueOf(n));
        String pin = System.getenv(PIN_VARIABLE);
        if (pin != null && !pin.isBlank()) env.put("OPENBLAS_CORETYPE", pin.strip());
        return env;
    }
}
