package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.data.Spirals;
import dev.nnlab.data.Xor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The datasets nnlab knows by name: {@code mnist-10k} (bundled), {@code mnist} and
 * {@code fashion-mnist} (full, from the data directory), and the generated {@code spirals},
 * {@code blobs} and {@code xor} with default sizes and seed {@value #DEFAULT_SEED}.
 *
 * <p>Real data lives under the data directory ({@code --data-dir}, else {@code $NNLAB_DATA}, else
 * {@code ~/.nnlab/data}): {@code <dataDir>/mnist/}, {@code <dataDir>/fashion-mnist/}. Fashion-MNIST
 * is also found where Debian's {@code dataset-fashion-mnist} package installs it.
 *
 * <p>Checksums: computed while reading, over the decompressed files, so a raw and a gzipped copy
 * (or Debian's re-gzipped one) of the same data have the same identity, and no second pass over
 * the files is needed.
 */
public final class DatasetCatalog {
    /** Where Debian's {@code dataset-fashion-mnist} puts the four original .gz files. */
    public static final Path DEBIAN_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    public static final long DEFAULT_SEED = 0;
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private final Path dataDir;
    private final List<CatalogEntry> entries;

    public DatasetCatalog(Path dataDir) {
        this(dataDir, DEBIAN_FASHION_MNIST);
    }

    /** @param debianFashionDir where to look for Debian's Fashion-MNIST (tests pass their own) */
    public DatasetCatalog(Path dataDir, Path debianFashionDir) {
        this.dataDir = dataDir;
        this.entries = List.of(
                new BundledMnist10k(),
                new IdxDirectoryDataset("mnist", "MNIST handwritten digits, 60,000 train + 10,000 test (28x28, 10 classes)",
                        IdxDirectoryDataset.DIGITS, List.of(dataDir.resolve("mnist")), "./nnlab data get mnist"),
                new IdxDirectoryDataset("fashion-mnist", "Zalando's Fashion-MNIST, 60,000 train + 10,000 test (28x28, 10 classes)",
                        FASHION_CLASSES, List.of(dataDir.resolve("fashion-mnist"), debianFashionDir),
                        "apt-get install dataset-fashion-mnist (then, optionally, ./nnlab data get fashion-mnist)"),
                new GeneratedDataset("spirals", String.format(Locale.ROOT, "CS231n spirals: %d classes x %d points, noise %s",
                        Spirals.DEFAULT_CLASSES, Spirals.DEFAULT_POINTS_PER_CLASS, Spirals.DEFAULT_NOISE),
                        () -> Spirals.generate(Spirals.DEFAULT_CLASSES, Spirals.DEFAULT_POINTS_PER_CLASS,
                                Spirals.DEFAULT_NOISE, DEFAULT_SEED)),
                new GeneratedDataset("blobs", String.format(Locale.ROOT, "Gaussian blobs: %d classes x %d points in %d-D, std %s",
                        GaussianBlobs.DEFAULT_CLASSES, GaussianBlobs.DEFAULT_POINTS_PER_CLASS, GaussianBlobs.DEFAULT_DIMS,
                        GaussianBlobs.DEFAULT_STD),
                        () -> GaussianBlobs.generate(GaussianBlobs.DEFAULT_CLASSES, GaussianBlobs.DEFAULT_DIMS,
                                GaussianBlobs.DEFAULT_POINTS_PER_CLASS, GaussianBlobs.DEFAULT_STD, DEFAULT_SEED)),
                new GeneratedDataset("xor", String.format(Locale.ROOT, "XOR: 2 classes x %d points in 2-D, noise %s",
                        Xor.DEFAULT_POINTS_PER_CLASS, Xor.DEFAULT_NOISE),
                        () -> Xor.generate(Xor.DEFAULT_POINTS_PER_CLASS, Xor.DEFAULT_NOISE, DEFAULT_SEED)));
    }

    public Path dataDir() { return dataDir; }

    public List<CatalogEntry> entries() { return entries; }

    public List<String> names() { return entries.stream().map(CatalogEntry::name).toList(); }

    /** The entry called {@code name}; an IllegalArgumentException naming the known ones otherwise. */
    public CatalogEntry entry(String name) {
        for (CatalogEntry e : entries) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", names()));
    }

    public Dataset load(String name) throws IOException {
        return entry(name).load();
    }
}
