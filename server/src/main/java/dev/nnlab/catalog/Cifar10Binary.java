package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import dev.nnlab.data.Sha256;
import dev.nnlab.spi.DataKind;
import dev.nnlab.tensor.Tensor;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, the binary version (Krizhevsky 2009, {@code cifar-10-binary.tar.gz} extracted): five
 * training files {@code data_batch_1.bin} .. {@code data_batch_5.bin} and {@code test_batch.bin},
 * each a sequence of 3,073-byte records: one label byte (0-9), then 1,024 red, 1,024 green and
 * 1,024 blue bytes of a 32x32 image, row by row. Loads as {@code (60000, 3, 32, 32)} pixels 0..255,
 * train part first. Looked for in {@code <dataDir>/cifar10/}, then {@code <dataDir>/cifar-10-batches-bin/}
 * (the tarball's own folder name).
 */
final class Cifar10Binary implements CatalogEntry {
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
            "ship", "truck");
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final int SIDE = 32, CHANNELS = 3, PIXELS = CHANNELS * SIDE * SIDE, RECORD = 1 + PIXELS;
    static final String HOW_TO_GET = "download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz and extract its six "
            + ".bin files into the folder cifar10/ of the data directory";

    private final Path dataDir;

    Cifar10Binary(Path dataDir) {
        this.dataDir = dataDir;
    }

    @Override public String name() { return "cifar10"; }

    @Override public String description() {
        return "CIFAR-10 (Krizhevsky 2009), binary version: 50,000 train + 10,000 test colour images (3x32x32, 10 classes)";
    }

    @Override public List<DataKind> kinds() { return List.of(DataKind.IMAGE); }

    List<Path> directories() {
        return List.of(dataDir.resolve("cifar10"), dataDir.resolve("cifar-10-batches-bin"));
    }

    static List<String> allFiles() {
        List<String> all = new ArrayList<>(TRAIN_FILES);
        all.add(TEST_FILE);
        return all;
    }

    private Path complete() {
        for (Path dir : directories()) if (missing(dir).isEmpty()) return dir;
        return null;
    }

    private static List<String> missing(Path dir) {
        List<String> absent = new ArrayList<>();
        for (String f : allFiles()) if (!Files.isRegularFile(dir.resolve(f))) absent.add(f);
        return absent;
    }

    @Override
    public Availability availability() {
        Path dir = complete();
        if (dir == null) return new Availability(false, directories().getFirst().toString(), 0, "missing "
                + String.join(", ", missing(directories().getFirst())) + "; " + HOW_TO_GET);
        long bytes = 0;
        for (String f : allFiles()) {
            try {
                bytes += Files.size(dir.resolve(f));
            } catch (IOException e) {
                // listed as present; labelled() reports the real problem
            }
        }
        return new Availability(true, dir.toString(), bytes, "");
    }

    @Override
    public Dataset labelled() throws IOException {
        Path dir = complete();
        if (dir == null) {
            Path first = directories().getFirst();
            throw new DatasetUnavailableException(DatasetCatalog.missingMessage(name(), first, missing(first), dataDir, HOW_TO_GET)
                    + " (the folder " + directories().get(1) + " is read too)");
        }
        List<Path> files = new ArrayList<>();
        for (String f : allFiles()) files.add(dir.resolve(f));
        return read(name(), files, TRAIN_FILES.size());
    }

    /**
     * Reads CIFAR-10 binary files in order; the first {@code trainFiles} form the training part.
     * The checksum is the sha256 of the files' sha256s in this order.
     */
    static Dataset read(String name, List<Path> files, int trainFiles) throws IOException {
        long total = 0;
        for (Path f : files) {
            long size = Files.size(f);
            if (size == 0 || size % RECORD != 0) {
                throw new IOException(f + " is not a CIFAR-10 binary file: its " + size + " bytes are not a whole number of "
                        + RECORD + "-byte records (1 label byte + 3x32x32 pixel bytes)");
            }
            total += size / RECORD;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 16) throw new IOException("too many CIFAR-10 records: " + total);
        int n = (int) total;
        float[] pixels = new float[n * PIXELS];
        int[] labels = new int[n];
        int testStart = n, at = 0;
        StringBuilder identity = new StringBuilder();
        byte[] record = new byte[RECORD];
        for (int fi = 0; fi < files.size(); fi++) {
            if (fi == trainFiles) testStart = at;
            Path f = files.get(fi);
            MessageDigest sha = Sha256.digest();
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16), sha)) {
                long records = Files.size(f) / RECORD;
                for (long r = 0; r < records; r++, at++) {
                    if (in.readNBytes(record, 0, RECORD) < RECORD) throw new IOException(f + " is truncated at record " + r);
                    int label = record[0] & 0xff;
                    if (label >= CLASSES.size()) {
                        throw new IOException(f + ": record " + r + " has label " + label + ", outside 0..9 (is this the "
                                + "CIFAR-100 binary format, which has two label bytes?)");
                    }
                    labels[at] = label;
                    int base = at * PIXELS;
                    for (int p = 0; p < PIXELS; p++) pixels[base + p] = record[1 + p] & 0xff;
                }
            }
            identity.append(Sha256.hex(sha.digest())).append('\n');
        }
        return new Dataset(name, Tensor.of(pixels, n, CHANNELS, SIDE, SIDE), labels, CLASSES, testStart,
                FeatureScale.PIXELS_0_255, Sha256.ofText(identity.toString()));
    }
}
