package dev.nnlab.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * One named benchmark. Results go to {@code out} as one JSON object per line; progress and
 * explanations go to {@code log} (stderr), so {@code ./nnlab bench ... > results.jsonl} keeps
 * only the measurements.
 */
public interface Benchmark {

    /** The name on the command line: "logging", "ui-api". The workloads W0..W7 are run by {@link BenchRun}. */
    String name();

    /** One line for {@code ./nnlab bench --help}. */
    String description();

    /** Runs the benchmark; throws with a clear message when required data is missing. */
    void run(Context ctx, PrintStream out, PrintStream log) throws Exception;

    /** What every benchmark may read: where real data and the plugins live, and how many threads to use. */
    record Context(Path dataDir, Path pluginsDir, int threads) {}
}
