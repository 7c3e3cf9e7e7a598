package dev.nnlab.runs;

import dev.nnlab.catalog.CatalogEntry;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.CorpusPreparation;
import dev.nnlab.data.SequencePreparation;
import dev.nnlab.data.Dataset;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.Preparation;
import dev.nnlab.data.TokenPreparation;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TrainingData;
import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Loads each dataset once and prepares each (dataset, kind, {@link Preparation}) once, for all trials
 * of a batch or a server's lifetime: a 20-trial sweep on MNIST decodes and standardises it once, not
 * 20 times. Prepared data is read-only, so trials share it.
 *
 * <p>Bounded: entries (raw loads and prepared data) are kept while their {@link TrainingData#heapBytes}
 * fit in {@code budgetBytes}; beyond it the least recently used go (a trial that still holds one
 * keeps it alive; the cache only forgets it). Two trials asking for the same key at once wait for one
 * load. Every load and eviction is logged with what the cache then holds.
 */
public final class DataCache {
    private static final System.Logger LOG = System.getLogger("nnlab.data");

    private final DatasetCatalog catalog;
    private final long budgetBytes;
    /** In access order: the eldest is the least recently used. */
    private final LinkedHashMap<String, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);
    private long usedBytes;

    private static final class Slot {
        final CompletableFuture<Object> value = new CompletableFuture<>();
        long bytes;
    }

    /** A cache of a quarter of the JVM's maximum heap. */
    public DataCache(DatasetCatalog catalog) {
        this(catalog, Runtime.getRuntime().maxMemory() / 4);
    }

    public DataCache(DatasetCatalog catalog, long budgetBytes) {
        if (budgetBytes < 0) throw new IllegalArgumentException("budgetBytes = " + budgetBytes + " must be >= 0");
        this.catalog = catalog;
        this.budgetBytes = budgetBytes;
    }

    public DatasetCatalog catalog() { return catalog; }

    public long budgetBytes() { return budgetBytes; }

    /**
     * The kind a family gets from a dataset: the first of the dataset's kinds (its natural one first)
     * that the family accepts, or null when they share none.
     */
    public static DataKind kindFor(CatalogEntry entry, java.util.Set<DataKind> accepted) {
        for (DataKind k : entry.kinds()) if (accepted.contains(k)) return k;
        return null;
    }

    /**
     * {@code dataset} as {@code kind}, prepared by {@code preparation} (which must be of that kind).
     *
     * @throws IOException              when the files are missing or unreadable (the message says where nnlab looked)
     * @throws IllegalArgumentException when the data cannot be prepared so (e.g. more {@code trainSamples} than samples)
     */
    public TrainingData prepare(String dataset, DataKind kind, Preparation preparation) throws IOException {
        CatalogEntry entry = catalog.entry(dataset);
        if (!entry.kinds().contains(kind)) {
            throw new IllegalArgumentException("dataset '" + dataset + "' holds " + entry.kinds() + ", not " + kind);
        }
        String key = dataset + " as " + kind + " (" + preparation.key() + ")";
        return (TrainingData) get(key, () -> switch (preparation) {
            case LabelledPreparation p when kind == DataKind.VECTOR || kind == DataKind.IMAGE ->
                    p.prepare((Dataset) get(dataset + " raw", entry::labelled));
            // Without a vocabulary cut the prepared streams are the raw ones: cache them once, not twice.
            case TokenPreparation p when kind == DataKind.TOKEN_STREAM ->
                    p.vocabSize() == 0 ? entry.tokens() : p.prepare((TokenStreams) get(dataset + " raw tokens", entry::tokens));
            case CorpusPreparation p when kind == DataKind.TEXT_CORPUS -> p.prepare(entry.corpus());
            case SequencePreparation p when kind == DataKind.SEQUENCES -> p.prepare(dataset, entry.sequenceTask());
            default -> throw new IllegalArgumentException("a " + preparation.getClass().getSimpleName() + " does not prepare " + kind);
        });
    }

    /** What the cache holds, least recently used first: "key (12.3 MB)". */
    public synchronized List<String> holdings() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            if (e.getValue().value.isDone()) out.add(e.getKey() + " (" + mb(e.getValue().bytes) + ")");
        }
        return out;
    }

    public synchronized long usedBytes() { return usedBytes; }

    @FunctionalInterface
    private interface Loader {
        Object load() throws IOException;
    }

    private Object get(String key, Loader loader) throws IOException {
        Slot slot;
        boolean mine = false;
        synchronized (this) {
            slot = slots.get(key);
            if (slot == null) {
                slot = new Slot();
                slots.put(key, slot);
                mine = true;
            }
        }
        if (!mine) return await(slot);
        Object value;
        try {
            value = loader.load();
        } catch (IOException | RuntimeException | Error e) {
            synchronized (this) {
                slots.remove(key, slot);
            }
            slot.value.completeExceptionally(e);
            throw e;
        }
        synchronized (this) {
            slot.bytes = bytesOf(value);
            usedBytes += slot.bytes;
            slot.value.complete(value);
            LOG.log(System.Logger.Level.INFO, "data cache: loaded " + key + " (" + mb(slot.bytes) + "); " + summary());
            evictBeyondBudget(key);
        }
        return value;
    }

    private static Object await(Slot slot) throws IOException {
        try {
            return slot.value.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new UncheckedIOException(new IOException(cause));
        }
    }

    /** Drops least recently used, finished entries other than {@code keep} until the rest fits. */
    private void evictBeyondBudget(String keep) {
        for (Iterator<Map.Entry<String, Slot>> it = slots.entrySet().iterator(); usedBytes > budgetBytes && it.hasNext(); ) {
            Map.Entry<String, Slot> e = it.next();
            if (e.getKey().equals(keep) || !e.getValue().value.isDone()) continue;
            it.remove();
            usedBytes -= e.getValue().bytes;
            LOG.log(System.Logger.Level.INFO, "data cache: evicted " + e.getKey() + " (" + mb(e.getValue().bytes) + "); " + summary());
        }
    }

    private String summary() {
        return String.format(Locale.ROOT, "holds %s of %s: %s", mb(usedBytes), mb(budgetBytes), holdings());
    }

    private static long bytesOf(Object value) {
        return switch (value) {
            case TrainingData d -> d.heapBytes();
            case Dataset d -> (long) d.size() * d.featureCount() * Float.BYTES + (long) d.size() * Integer.BYTES;
            default -> 0;
        };
    }

    private static String mb(long bytes) {
        return bytes < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", bytes / 1e3) : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }
}
