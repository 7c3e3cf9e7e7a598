package dev.nnlab.runs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The parsed vectors of the runs asked about last, least recently used dropped first, bounded by a
 * number of floats over all runs. An entry is keyed by the artifact file with its size and
 * modification time, so vectors a run stores anew are read anew. Thread-safe: requests of the HTTP
 * server come on several threads; a load happens under the lock, so two queries never parse one file twice.
 */
final class VectorCache {
    private record Key(long runId, Path file, long size, long modified) {}

    private final long budget;
    private final LinkedHashMap<Key, LoadedVectors> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long held;
    private int loads;

    VectorCache(long budgetFloats) {
        this.budget = budgetFloats;
    }

    long budget() { return budget; }

    /** The cached vectors of {@code d}, loading them with {@code load} when absent; null when {@code load} says they are too large. */
    synchronized LoadedVectors get(long runId, RunArtifacts.Download d, Supplier<LoadedVectors> load) {
        Key key = key(runId, d);
        LoadedVectors v = entries.get(key);
        if (v != null) return v;
        // An older version of this run's vectors (stored anew since) is of no use any more.
        for (Iterator<Map.Entry<Key, LoadedVectors>> it = entries.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, LoadedVectors> e = it.next();
            if (e.getKey().runId == runId) {
                held -= e.getValue().floats();
                it.remove();
            }
        }
        v = load.get();
        loads++;
        if (v == null) return null;
        for (Iterator<Map.Entry<Key, LoadedVectors>> it = entries.entrySet().iterator(); it.hasNext() && held + v.floats() > budget; ) {
            held -= it.next().getValue().floats();
            it.remove();
        }
        entries.put(key, v);
        held += v.floats();
        return v;
    }

    synchronized List<Long> runs() {
        List<Long> out = new ArrayList<>();
        for (Key k : entries.keySet()) out.add(k.runId);
        return out;
    }

    synchronized int loads() { return loads; }

    private static Key key(long runId, RunArtifacts.Download d) {
        Path f = d.file();
        long size = -1, modified = -1;
        try {
            size = Files.size(f);
            modified = Files.getLastModifiedTime(f).toMillis();
        } catch (java.io.IOException e) {
            // the open() that follows reports a missing file
        }
        return new Key(runId, f, size, modified);
    }
}
