package dev.nnlab.cli;

import dev.nnlab.bench.Benchmark;
import dev.nnlab.bench.Benchmarks;
import dev.nnlab.catalog.DatasetUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ./nnlab bench NAME... [--data-dir DIR]}: the one benchmark entry point. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs benchmarks; prints one JSON object per result line on stdout, chatter on stderr."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME", completionCandidates = BenchNames.class,
            description = "Benchmarks to run, in order: ${COMPLETION-CANDIDATES}.")
    List<String> names;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where real datasets live (default: $NNLAB_DATA, else ~/.nnlab/data).")
    Path dataDir;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads for workloads (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int threads;

    @Override
    public Integer call() throws Exception {
        List<Benchmark> chosen = new ArrayList<>();
        for (String name : names) {
            Benchmark b = Benchmarks.find(name);
            if (b == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "unknown benchmark '" + name + "'; allowed: " + String.join(", ", Benchmarks.names()));
            }
            chosen.add(b);
        }
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + threads);
        }
        Benchmark.Context ctx = new Benchmark.Context(DataDirectory.resolve(dataDir), threads);
        for (Benchmark b : chosen) {
            System.err.println("== bench " + b.name() + ": " + b.description());
            try {
                b.run(ctx, System.out, System.err);
            } catch (DatasetUnavailableException e) {
                throw new InputError(b.name() + ": " + e.getMessage());
            }
            System.out.flush();
        }
        return 0;
    }

    static final class BenchNames extends ArrayList<String> {
        BenchNames() { super(Benchmarks.names()); }
    }
}
