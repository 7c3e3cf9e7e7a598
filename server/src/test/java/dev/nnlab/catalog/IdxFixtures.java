package dev.nnlab.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/** Tiny IDX files written by the tests themselves. */
final class IdxFixtures {
    private IdxFixtures() {}

    /** {@code count} 2x2 images whose pixels are {@code first + i}. */
    static byte[] images(int count, int first) {
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * count);
        b.putInt(2051).putInt(count).putInt(2).putInt(2);
        for (int i = 0; i < 4 * count; i++) b.put((byte) (first + i));
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(2049).putInt(values.length);
        for (int v : values) b.put((byte) v);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    /** A data set folder with the four original file names: 3 train images, 2 test images. */
    static Path writeMnistLike(Path dir, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        String ext = gzipped ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + ext), images(3, 0), gzipped);
        write(dir.resolve("train-labels-idx1-ubyte" + ext), labels(5, 0, 4), gzipped);
        write(dir.resolve("t10k-images-idx3-ubyte" + ext), images(2, 100), gzipped);
        write(dir.resolve("t10k-labels-idx1-ubyte" + ext), labels(7, 2), gzipped);
        return dir;
    }

    private static void write(Path file, byte[] raw, boolean gzipped) throws IOException {
        Files.write(file, gzipped ? gzip(raw) : raw);
    }

    static String hex(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
