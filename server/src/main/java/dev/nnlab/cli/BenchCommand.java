package dev.nnlab.cli;

import dev.nnlab.bench.Benchmark;
import dev.nnlab.bench.BenchRun;
import dev.nnlab.bench.Benchmarks;
import dev.nnlab.catalog.DatasetUnavailableException;
import dev.nnlab.runs.GitCommit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab bench all|W0..W7|logging|ui-api... [--peers] [--threads N] [--rounds R]}: the one
 * benchmark entry point. The workloads run first, in one harness run (so one ratio table covers
 * them), then the other benchmarks in the order given.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks: one JSON object per line on stdout; progress and the table of ratios on stderr.",
                "Workloads W0..W7 (\"all\" = every one, \"sgemm\" = W0) run nnlab in a child JVM per measurement and,"
                        + " with --peers, their peers (numpy/OpenBLAS, PyTorch, gensim, fastText) alternating round by round;"
                        + " every measured side is recorded as a run of the experiment 'bench' in --db."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    HostOptions host;

    @Parameters(arity = "1..*", paramLabel = "NAME", completionCandidates = BenchNames.class,
            description = "Benchmarks to run: ${COMPLETION-CANDIDATES}.")
    List<String> names;

    @Option(names = "--peers", description = "Also measure each workload's peers and print the ratio nnlab/peer.")
    boolean peers;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "Threads for both sides: nnlab's kernels and training jobs, PyTorch's, OpenBLAS's for W0, word2vec workers (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--rounds", paramLabel = "R",
            description = "Measurements per side, alternating nnlab and peers; the median counts (default: 5 for W0-W2, "
                    + "which take seconds each and swing with the machine's speed, 2 for the others).")
    Integer rounds;

    @Option(names = "--epochs", paramLabel = "E",
            description = "Overrides every workload's epochs on both sides, to check the harness quickly; the ratios then are not the workloads'.")
    Integer epochs;

    @Option(names = "--quiet-wait", paramLabel = "SECONDS", defaultValue = "30",
            description = "Before each measurement, wait up to this long for other processes to leave the cores (0: never wait; default: ${DEFAULT-VALUE}).")
    double quietWait;

    @Override
    public Integer call() throws Exception {
        List<String> workloads = new ArrayList<>();
        List<Benchmark> others = new ArrayList<>();
        for (String name : names) {
            List<String> ids = BenchRun.expand(name);
            Benchmark b = Benchmarks.find(name);
            if (!ids.isEmpty()) workloads.addAll(ids);
            else if (b != null) others.add(b);
            else throw bad("unknown benchmark '" + name + "'; allowed: " + String.join(", ", allNames()));
        }
        if (threads < 1) throw bad("--threads must be >= 1, got " + threads);
        if (rounds != null && rounds < 1) throw bad("--rounds must be >= 1, got " + rounds);
        if (epochs != null && epochs < 1) throw bad("--epochs must be >= 1, got " + epochs);
        if (quietWait < 0) throw bad("--quiet-wait must be >= 0 seconds, got " + quietWait);
        Path dataDir = DataDirectory.resolve(host.dataDir);
        boolean ok = true;
        if (!workloads.isEmpty()) {
            List<String> missing = BenchRun.missingData(workloads, dataDir, host.pluginsDir(), peers);
            if (!missing.isEmpty()) throw new InputError(String.join("\n", missing));
            ok = BenchRun.run(workloads, dataDir, host.pluginsDir(), host.dbPath(), threads, rounds, peers, epochs, quietWait,
                    NnlabVersion.current(), GitCommit.of(HostOptions.home()), System.out, System.err);
        }
        Benchmark.Context ctx = new Benchmark.Context(dataDir, host.pluginsDir(), threads);
        for (Benchmark b : others) {
            System.err.println("== bench " + b.name() + ": " + b.description());
            try {
                b.run(ctx, System.out, System.err);
            } catch (DatasetUnavailableException e) {
                throw new InputError(b.name() + ": " + e.getMessage());
            }
            System.out.flush();
        }
        return ok ? 0 : 1;
    }

    private CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    static List<String> allNames() {
        List<String> all = new ArrayList<>(BenchRun.workloadNames());
        all.addAll(Benchmarks.names());
        return all;
    }

    static final class BenchNames extends ArrayList<String> {
        BenchNames() { super(allNames()); }
    }
}
