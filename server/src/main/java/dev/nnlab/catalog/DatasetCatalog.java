package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.data.MarkovText;
import dev.nnlab.data.Spirals;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.WordGroups;
import dev.nnlab.data.Xor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The datasets nnlab knows by name, each with the {@link dev.nnlab.spi.DataKind}s it provides:
 * <ul>
 *   <li>labelled images: {@code mnist-10k} (bundled), {@code mnist} and {@code fashion-mnist} (full,
 *       from the data directory), {@code fashion-mnist-32} (Fashion-MNIST zero-padded to 32x32), {@code cifar10}
 *       (the binary version, from the data directory); labelled vectors: the generated {@code spirals}, {@code blobs} and
 *       {@code xor};</li>
 *   <li>token streams: {@code ptb} (word level, also a corpus), {@code tinyshakespeare} (character
 *       level), the generated {@code markov-text};</li>
 *   <li>text corpora: {@code ptb}, {@code gcide} (Debian's dict-gcide), the generated {@code word-groups};</li>
 *   <li>generated sequence tasks: {@code adding} and {@code copy} (their length and size are the run's
 *       {@code taskLength} and {@code taskSamples});</li>
 *   <li>any UTF-8 file a user names: {@code text:FILE} (words: token streams or a corpus) and
 *       {@code chars:FILE} (characters: token streams).</li>
 * </ul>
 * Generated datasets use default sizes and seed {@value #DEFAULT_SEED}.
 *
 * <p>Real data lives under the data directory ({@code --data-dir}, else {@code $NNLAB_DATA}, else
 * {@code ~/.nnlab/data}): {@code <dataDir>/mnist/}, {@code <dataDir>/fashion-mnist/},
 * {@code <dataDir>/ptb/}, {@code <dataDir>/tinyshakespeare/}. Fashion-MNIST is also found where
 * Debian's {@code dataset-fashion-mnist} package installs it.
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
    private volatile boolean filesInDataDirOnly;

    public DatasetCatalog(Path dataDir) {
        this(dataDir, DEBIAN_FASHION_MNIST);
    }

    /** @param debianFashionDir where to look for Debian's Fashion-MNIST (tests pass their own) */
    public DatasetCatalog(Path dataDir, Path debianFashionDir) {
        this(dataDir, debianFashionDir, GcideDataset.DEBIAN_DICT);
    }

    /** @param debianGcide where to look for Debian's gcide.dict.dz (tests pass their own) */
    public DatasetCatalog(Path dataDir, Path debianFashionDir, Path debianGcide) {
        this.dataDir = dataDir;
        IdxDirectoryDataset fashion = new IdxDirectoryDataset("fashion-mnist", "Zalando's Fashion-MNIST, 60,000 train + 10,000 test (28x28, 10 classes)",
                FASHION_CLASSES, List.of(dataDir.resolve("fashion-mnist"), debianFashionDir),
                "apt-get install dataset-fashion-mnist (then, optionally, ./nnlab data get fashion-mnist)");
        this.entries = List.of(
                new BundledMnist10k(),
                new IdxDirectoryDataset("mnist", "MNIST handwritten digits, 60,000 train + 10,000 test (28x28, 10 classes)",
                        IdxDirectoryDataset.DIGITS, List.of(dataDir.resolve("mnist")), "./nnlab data get mnist"),
                fashion,
                new ZeroPaddedImages("fashion-mnist-32", "Fashion-MNIST zero-padded to 32x32 (the ResNet input of W4), "
                        + "60,000 train + 10,000 test, 10 classes", fashion, 2),
                new Cifar10Binary(dataDir),
                new PtbDataset(dataDir),
                new GcideDataset(debianGcide, dataDir),
                new TextFileDataset("tinyshakespeare", "Tiny Shakespeare (Karpathy's char-rnn): 1.1M characters, 90/5/5 split "
                        + "(character level)", dataDir.resolve("tinyshakespeare").resolve("input.txt"), TokenStreams.Level.CHARACTER,
                        lookedIn(dataDir.resolve("tinyshakespeare"), dataDir) + " Get it: save "
                        + "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt as "
                        + dataDir.resolve("tinyshakespeare").resolve("input.txt")),
                GeneratedDataset.labelled("spirals", String.format(Locale.ROOT, "CS231n spirals: %d classes x %d points, noise %s",
                        Spirals.DEFAULT_CLASSES, Spirals.DEFAULT_POINTS_PER_CLASS, Spirals.DEFAULT_NOISE),
                        () -> Spirals.generate(Spirals.DEFAULT_CLASSES, Spirals.DEFAULT_POINTS_PER_CLASS,
                                Spirals.DEFAULT_NOISE, DEFAULT_SEED)),
                GeneratedDataset.labelled("blobs", String.format(Locale.ROOT, "Gaussian blobs: %d classes x %d points in %d-D, std %s",
                        GaussianBlobs.DEFAULT_CLASSES, GaussianBlobs.DEFAULT_POINTS_PER_CLASS, GaussianBlobs.DEFAULT_DIMS,
                        GaussianBlobs.DEFAULT_STD),
                        () -> GaussianBlobs.generate(GaussianBlobs.DEFAULT_CLASSES, GaussianBlobs.DEFAULT_DIMS,
                                GaussianBlobs.DEFAULT_POINTS_PER_CLASS, GaussianBlobs.DEFAULT_STD, DEFAULT_SEED)),
                GeneratedDataset.labelled("xor", String.format(Locale.ROOT, "XOR: 2 classes x %d points in 2-D, noise %s",
                        Xor.DEFAULT_POINTS_PER_CLASS, Xor.DEFAULT_NOISE),
                        () -> Xor.generate(Xor.DEFAULT_POINTS_PER_CLASS, Xor.DEFAULT_NOISE, DEFAULT_SEED)),
                GeneratedDataset.tokens(MARKOV_TEXT, markovDescription(), DatasetCatalog::markovText),
                GeneratedDataset.corpus(WORD_GROUPS, String.format(Locale.ROOT,
                        "planted word groups: %d groups of %d words and %d fillers, %d sentences of %d words",
                        WordGroups.DEFAULT_GROUPS, WordGroups.DEFAULT_WORDS_PER_GROUP, WordGroups.DEFAULT_FILLERS,
                        WordGroups.DEFAULT_SENTENCES, WordGroups.DEFAULT_SENTENCE_LENGTH),
                        () -> WordGroups.standard(DEFAULT_SEED).corpus(WORD_GROUPS)),
                GeneratedDataset.sequences("adding", "the adding problem: sum the two marked values of taskLength random ones "
                        + "(mean squared error; answering 1 scores 0.167); taskLength and taskSamples set the samples (sequences)"),
                GeneratedDataset.sequences("copy", "sequence copy: write taskLength symbols of 8 back after a delimiter "
                        + "(cross-entropy; chance ln 8); taskLength and taskSamples set the samples (sequences)"));
    }

    public static final String MARKOV_TEXT = "markov-text";
    public static final String WORD_GROUPS = "word-groups";
    /** A user's file read as words: {@code text:/path/book.txt}. */
    public static final String TEXT_PREFIX = "text:";
    /** A user's file read as characters: {@code chars:/path/book.txt}. */
    public static final String CHARS_PREFIX = "chars:";

    public Path dataDir() { return dataDir; }

    /**
     * From now on {@code text:FILE} and {@code chars:FILE} may name only files inside the data
     * directory (after resolving symbolic links): what a server bound off loopback sets, so that a
     * request from the network cannot make it read whatever file its process can (the project ships
     * no text files of its own, so the data directory is the only place left).
     */
    public void restrictFilesToDataDir() { this.filesInDataDirOnly = true; }

    /** Whether {@link #restrictFilesToDataDir} is in force. */
    public boolean filesRestrictedToDataDir() { return filesInDataDirOnly; }

    /** The generated token streams of {@code markov-text}: the chain of seed {@value #DEFAULT_SEED}, walked with seed 1. */
    public static TokenStreams markovText() {
        return MarkovText.standard(DEFAULT_SEED).generate(MARKOV_TEXT, MarkovText.DEFAULT_TRAIN_TOKENS,
                MarkovText.DEFAULT_EVAL_TOKENS, MarkovText.DEFAULT_EVAL_TOKENS, 1);
    }

    private static String markovDescription() {
        MarkovText m = MarkovText.standard(DEFAULT_SEED);
        return String.format(Locale.ROOT, "Markov chain text: %d states, %d successors each, %d/%d/%d tokens; "
                        + "best perplexity %.2f, unigram %.2f (word level)", MarkovText.DEFAULT_STATES, MarkovText.DEFAULT_SUCCESSORS,
                MarkovText.DEFAULT_TRAIN_TOKENS, MarkovText.DEFAULT_EVAL_TOKENS, MarkovText.DEFAULT_EVAL_TOKENS,
                Math.exp(m.entropyRate()), Math.exp(m.unigramEntropy()));
    }

    /** "nnlab looked in DIR, under the data directory D (--data-dir, else $NNLAB_DATA, else ~/.nnlab/data)." */
    static String lookedIn(Path dir, Path dataDir) {
        return "nnlab looked in " + dir + ", under the data directory " + dataDir
                + " (set by --data-dir, else $NNLAB_DATA, else ~/.nnlab/data).";
    }

    /** The error of a dataset whose files are missing: which, where nnlab looked, and how to get them. */
    static String missingMessage(String name, Path dir, java.util.List<String> missing, Path dataDir, String howToGet) {
        return "dataset '" + name + "' is not available: missing " + String.join(", ", missing) + ". "
                + lookedIn(dir, dataDir) + " Get it: " + howToGet;
    }

    public List<CatalogEntry> entries() { return entries; }

    public List<String> names() { return entries.stream().map(CatalogEntry::name).toList(); }

    /**
     * The entry called {@code name}, or the file of {@code text:FILE} / {@code chars:FILE}; an
     * IllegalArgumentException naming the known ones otherwise.
     */
    public CatalogEntry entry(String name) {
        for (CatalogEntry e : entries) if (e.name().equals(name)) return e;
        for (String prefix : List.of(TEXT_PREFIX, CHARS_PREFIX)) {
            if (!name.startsWith(prefix)) continue;
            String path = name.substring(prefix.length());
            if (path.isBlank()) throw new IllegalArgumentException("'" + name + "' names no file; write " + prefix + "/path/to/file.txt");
            Path file = Path.of(path).toAbsolutePath().normalize();
            if (filesInDataDirOnly) requireInDataDir(name, file);
            boolean words = prefix.equals(TEXT_PREFIX);
            return new TextFileDataset(name, "the UTF-8 text file " + file + (words ? " as words" : " as characters") + ", 90/5/5 split",
                    file, words ? TokenStreams.Level.WORD : TokenStreams.Level.CHARACTER,
                    "Give the path of an existing UTF-8 text file, absolute or relative to the working directory "
                            + "(text:FILE reads its words, chars:FILE its characters).");
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known: " + String.join(", ", names())
                + ", or text:FILE / chars:FILE for a text file of your own");
    }

    private void requireInDataDir(String name, Path file) {
        boolean inside;
        try {
            Path dir = dataDir.toAbsolutePath().normalize();
            dir = java.nio.file.Files.exists(dir) ? dir.toRealPath() : dir;
            Path real = java.nio.file.Files.exists(file) ? file.toRealPath() : file;
            inside = real.startsWith(dir) && !real.equals(dir);
        } catch (IOException e) {
            inside = false;
        }
        if (!inside) {
            throw new IllegalArgumentException("dataset '" + name + "' names a file outside the data directory " + dataDir
                    + "; this server is not bound to loopback, so text:FILE and chars:FILE may only read files inside the "
                    + "data directory. Copy the file there and name it as text:" + dataDir.resolve("FILE.txt")
                    + " (or chars:...), or run the server on 127.0.0.1.");
        }
    }

    /** The labelled samples of {@code name} (for benchmarks and tools that train outside a run). */
    public Dataset load(String name) throws IOException {
        return entry(name).labelled();
    }
}
