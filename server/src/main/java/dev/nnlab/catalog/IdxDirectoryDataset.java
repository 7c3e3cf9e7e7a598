package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.IdxReader;

import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A full IDX dataset (MNIST, Fashion-MNIST) read from the first directory that holds its four
 * files under their original names, each raw or gzipped ({@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}).
 * Loads as train (60,000) then test (10,000), pixels 0..255.
 */
final class IdxDirectoryDataset implements CatalogEntry {
    static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final List<String> FILES = List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final String name;
    private final String description;
    private final List<String> classNames;
    private final List<Path> directories;
    private final String howToGet;

    /** @param directories where to look, in order; the first with all four files wins */
    IdxDirectoryDataset(String name, String description, List<String> classNames, List<Path> directories, String howToGet) {
        this.name = name;
        this.description = description;
        this.classNames = classNames;
        this.directories = List.copyOf(directories);
        this.howToGet = howToGet;
    }

    @Override public String name() { return name; }

    @Override public List<DataKind> kinds() { return List.of(DataKind.IMAGE); }

    @Override public String description() { return description; }

    @Override
    public Availability availability() {
        for (Path dir : directories) {
            List<Path> files = resolve(dir);
            if (files != null) {
                long bytes = 0;
                for (Path f : files) bytes += sizeOf(f);
                return new Availability(true, dir.toString(), bytes, "");
            }
        }
        return new Availability(false, directories.getFirst().toString(), 0, howToGet);
    }

    @Override
    public Dataset labelled() throws IOException {
        for (Path dir : directories) {
            List<Path> f = resolve(dir);
            if (f != null) {
                return IdxReader.imageDataset(name, classNames, IdxReader.readImages(f.get(0)), IdxReader.readLabels(f.get(1)),
                        IdxReader.readImages(f.get(2)), IdxReader.readLabels(f.get(3)));
            }
        }
        StringBuilder msg = new StringBuilder("dataset '" + name + "' is not available. Looked in:");
        for (Path dir : directories) msg.append("\n  ").append(dir).append(": ").append(missing(dir));
        msg.append("\nGet it with: ").append(howToGet)
                .append("\n(or point --data-dir or NNLAB_DATA at a directory whose ").append(name)
                .append("/ folder holds the four files, raw or .gz)");
        throw new DatasetUnavailableException(msg.toString());
    }

    /** The four files in {@link #FILES} order, each the raw or the .gz name, or null if any is missing. */
    static List<Path> resolve(Path dir) {
        List<Path> found = new ArrayList<>(FILES.size());
        for (String base : FILES) {
            Path file = find(dir, base);
            if (file == null) return null;
            found.add(file);
        }
        return found;
    }

    private static Path find(Path dir, String base) {
        for (Path candidate : List.of(dir.resolve(base), dir.resolve(base + ".gz"))) {
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    private static String missing(Path dir) {
        if (!Files.isDirectory(dir)) return "no such directory";
        List<String> absent = new ArrayList<>();
        for (String base : FILES) if (find(dir, base) == null) absent.add(base + "[.gz]");
        return "missing " + String.join(", ", absent);
    }

    private static long sizeOf(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0; // listed as present; load() will report the real problem
        }
    }
}
