package dev.nnlab.runs;

import dev.nnlab.data.Dataset;
import dev.nnlab.catalog.DatasetCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loads each named dataset once and prepares each (dataset, validation share, preprocessing)
 * once, for all trials of a batch or a server's lifetime: a 20-trial sweep on MNIST decodes and
 * standardises it once, not 20 times. Prepared data is read-only, so trials share it.
 */
public final class DataCache {
    private final DatasetCatalog catalog;
    private final Map<String, Dataset> loaded = new ConcurrentHashMap<>();
    private final Map<String, PreparedData> prepared = new ConcurrentHashMap<>();

    public DataCache(DatasetCatalog catalog) {
        this.catalog = catalog;
    }

    public DatasetCatalog catalog() { return catalog; }

    public Dataset load(String name) throws IOException {
        try {
            return loaded.computeIfAbsent(name, n -> {
                try {
                    return catalog.load(n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public PreparedData prepare(String name, double valFraction, String preprocess) throws IOException {
        Dataset full = load(name);
        String key = name + "|" + valFraction + "|" + preprocess;
        return prepared.computeIfAbsent(key, k -> PreparedData.of(full, valFraction, preprocess));
    }
}
