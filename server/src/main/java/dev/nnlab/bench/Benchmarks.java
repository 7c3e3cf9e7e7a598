package dev.nnlab.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The benchmarks of {@code ./nnlab bench} besides the workloads W0..W7 ({@link BenchRun}), by case-insensitive name. */
public final class Benchmarks {
    private Benchmarks() {}

    private static final List<Benchmark> ALL = List.of(new LoggingOverheadBench(), new UiApiBench());

    private static final Map<String, Benchmark> BY_NAME = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    static {
        for (Benchmark b : ALL) BY_NAME.put(b.name(), b);
    }

    public static Benchmark find(String name) { return BY_NAME.get(name); }

    public static List<String> names() { return ALL.stream().map(Benchmark::name).toList(); }
}
