package dev.nnlab.catalog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * Writes fetched data files through {@code NAME.part} and gives them their final name only once
 * their MD5 matches: a partial or wrong file never sits where the catalog would read it.
 */
final class VerifiedFile {
    private VerifiedFile() {}

    /** Streams {@code in} to {@code target}, hashing what is written. */
    static void write(InputStream in, Path target, String expectedMd5, String what) throws IOException {
        Path part = partOf(target);
        MessageDigest md5 = md5();
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(part), md5)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        accept(part, target, expectedMd5, HexFormat.of().formatHex(md5.digest()), what);
    }

    /** Copies {@code source} (raw or .gz) to {@code target}, checking the MD5 of the copy's decompressed contents. */
    static void copy(Path source, Path target, String expectedContentMd5) throws IOException {
        Path part = partOf(target);
        Files.copy(source, part, StandardCopyOption.REPLACE_EXISTING);
        accept(part, target, expectedContentMd5, contentMd5(part), source.toString());
    }

    /** MD5 hex of a file's contents, decompressed first when it is gzipped (by its magic bytes). */
    static String contentMd5(Path file) throws IOException {
        MessageDigest md5 = md5();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            in.mark(2);
            boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            (gzipped ? new GZIPInputStream(in, 1 << 16) : in).transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), md5));
        }
        return HexFormat.of().formatHex(md5.digest());
    }

    private static void accept(Path part, Path target, String expected, String actual, String what) throws IOException {
        if (!actual.equals(expected)) {
            Files.deleteIfExists(part);
            throw new IOException(what + ": MD5 mismatch, expected " + expected + " but got " + actual
                    + "; deleted " + part + ". The source is corrupt or not the original data.");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
