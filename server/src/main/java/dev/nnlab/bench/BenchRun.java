package dev.nnlab.bench;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.store.Store;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The entry point of the workload benchmarks for the command line: which names mean which
 * workloads, and one harness run over them with nnlab in child JVMs, the peers of
 * {@link PeerSides}, and every measured side recorded in the store.
 */
public final class BenchRun {
    private BenchRun() {}

    /** "all" is W0..W7; "sgemm" is W0 (its old name). */
    public static List<String> workloadNames() {
        List<String> names = new ArrayList<>(List.of("all", "sgemm"));
        for (Workload w : Workload.ALL) names.add(w.id());
        return names;
    }

    /** The workload ids a name stands for, or an empty list when it names none. */
    public static List<String> expand(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("all")) return Workload.ALL.stream().map(Workload::id).toList();
        if (n.equals("sgemm")) return List.of("W0");
        Workload w = Workload.find(name);
        return w == null ? List.of() : List.of(w.id());
    }

    /**
     * What the chosen workloads need and the data directory lacks, one sentence each (where it looked,
     * how to get it), checked before anything runs or is recorded; empty when everything is there.
     * nnlab's W1-W4 read their dataset through the catalog; the peers read the files under
     * {@code dataDir} directly. A side that will be reported missing anyway needs nothing.
     */
    public static List<String> missingData(List<String> ids, Path dataDir, Path pluginsDir, boolean peers) {
        Set<String> loaded = PluginRegistry.load(pluginsDir).families().keySet();
        DatasetCatalog catalog = new DatasetCatalog(dataDir);
        List<String> problems = new ArrayList<>();
        for (String id : new LinkedHashSet<>(ids)) {
            Workload w = Workload.find(id);
            boolean nnlab = NnlabSide.missingReason(w, loaded) == null;
            String dataset = switch (id) {
                case "W1", "W2" -> MnistWorkload.DATASET;
                case "W3", "W4" -> ImageWorkload.of(id).dataset();
                default -> null;
            };
            if (nnlab && dataset != null) {
                try {
                    if (!catalog.entry(dataset).availability().available()) catalog.load(dataset);
                } catch (IOException e) {
                    problems.add(id + ": " + e.getMessage());
                }
            }
            if (!peers || (w.peersCostly() && !nnlab)) continue;
            for (String file : PEER_FILES.getOrDefault(id, List.of())) {
                Path f = dataDir.resolve(file);
                if (!Files.isRegularFile(f) && !Files.isRegularFile(Path.of(f + ".gz"))) {
                    problems.add(id + " (peers): " + f + "[.gz] is missing" + (file.startsWith("mnist/") ? "; get MNIST with ./nnlab data get mnist"
                            : "; see --data-dir and WORKLOADS.md for where the data comes from"));
                }
            }
        }
        return problems;
    }

    private static final Map<String, List<String>> PEER_FILES = Map.of(
            "W1", List.of("mnist/train-images-idx3-ubyte"), "W2", List.of("mnist/train-images-idx3-ubyte"),
            "W3", List.of("mnist/train-images-idx3-ubyte"), "W4", List.of("fashion-mnist/train-images-idx3-ubyte"),
            "W5", List.of("ptb/ptb.train.txt", "ptb/ptb.valid.txt"),
            "W6", List.of("ptb/ptb.train.txt", "analogy/questions-words.txt", "analogy/wordsim353.tsv"),
            "W7", List.of("ptb/ptb.train.txt", "analogy/questions-words.txt", "analogy/wordsim353.tsv"));

    /**
     * Runs the workloads and returns whether every side that ran succeeded (no failed or refused measurement).
     *
     * @param ids workload ids in the order given, duplicates dropped
     */
    public static boolean run(List<String> ids, Path dataDir, Path pluginsDir, Path db, int threads, Integer rounds, boolean peers,
                              Integer epochs, double quietWaitSeconds, String nnlabVersion, String commit,
                              PrintStream out, PrintStream log) throws InterruptedException {
        BenchSettings s = new BenchSettings(dataDir, pluginsDir, threads, rounds, peers, epochs, quietWaitSeconds, null);
        Set<String> unique = new LinkedHashSet<>(ids);
        List<Workload> workloads = unique.stream().map(Workload::find).toList();
        Machine machine = Machine.current(nnlabVersion, commit);
        PeerSides peerSides = PeerSides.fromEnvironment(threads);
        try (Store store = Store.open(db)) {
            BenchHarness harness = new BenchHarness(new NnlabSide(PluginRegistry.load(pluginsDir)), peerSides::of,
                    new QuietMachine(quietWaitSeconds), machine, new BenchRecorder(store, machine, threads));
            List<Measurement> all = harness.run(workloads, s, out, log);
            return all.stream().noneMatch(m -> m.status() == Measurement.Status.FAILED || m.status() == Measurement.Status.REFUSED);
        }
    }
}
