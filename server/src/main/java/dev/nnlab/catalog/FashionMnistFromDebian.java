package dev.nnlab.catalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./nnlab data get fashion-mnist}: Fashion-MNIST comes from Debian's
 * {@code dataset-fashion-mnist} package (the four original .gz files in
 * {@code /usr/share/datasets/fashion-mnist/}). nnlab reads them there directly; this copies them
 * into {@code <dataDir>/fashion-mnist/}, each verified by the MD5 of its decompressed contents
 * (Debian re-gzipped them, so the .gz bytes differ from Zalando's but the data does not).
 */
public final class FashionMnistFromDebian {
    private final Path debianDir;
    private final Map<String, String> expectedMd5;

    public FashionMnistFromDebian() {
        this(DatasetCatalog.DEBIAN_FASHION_MNIST, OriginalChecksums.FASHION_MNIST_MD5);
    }

    FashionMnistFromDebian(Path debianDir, Map<String, String> expectedMd5) {
        this.debianDir = debianDir;
        this.expectedMd5 = new TreeMap<>(expectedMd5);
    }

    public void fetchInto(Path targetDir, PrintStream log) throws IOException {
        for (String name : expectedMd5.keySet()) {
            if (!Files.isRegularFile(debianDir.resolve(name + ".gz"))) {
                throw new IOException("Fashion-MNIST is installed by Debian's package: run 'sudo apt-get install "
                        + "dataset-fashion-mnist'. nnlab then reads it from " + debianDir + " directly (and "
                        + "'./nnlab data get fashion-mnist' copies it into " + targetDir + "). Missing now: "
                        + debianDir.resolve(name + ".gz"));
            }
        }
        Files.createDirectories(targetDir);
        for (Map.Entry<String, String> e : expectedMd5.entrySet()) {
            Path target = targetDir.resolve(e.getKey() + ".gz");
            VerifiedFile.copy(debianDir.resolve(e.getKey() + ".gz"), target, e.getValue());
            log.println("fashion-mnist: " + target + " (decompressed MD5 " + e.getValue() + " ok)");
        }
    }
}
