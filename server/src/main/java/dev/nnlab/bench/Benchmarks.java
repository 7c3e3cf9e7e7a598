package dev.nnlab.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The registry of benchmarks that {@code ./nnlab bench} knows, by case-insensitive name. */
public final class Benchmarks {
    private Benchmarks() {}

    private static final TorchPeer TORCH = TorchPeer.fromEnvironment();

    private static final List<Benchmark> ALL = List.of(new SgemmBench(),
            new MnistWorkloadBench(MnistWorkload.W1, TORCH),
            new MnistWorkloadBench(MnistWorkload.W2, TORCH),
            new LoggingOverheadBench(),
            new UiApiBench());

    private static final Map<String, Benchmark> BY_NAME = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    static {
        for (Benchmark b : ALL) BY_NAME.put(b.name(), b);
    }

    public static Benchmark find(String name) { return BY_NAME.get(name); }

    public static List<String> names() { return ALL.stream().map(Benchmark::name).toList(); }
}
