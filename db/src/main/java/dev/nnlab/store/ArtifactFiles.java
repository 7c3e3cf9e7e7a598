package dev.nnlab.store;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Content-addressed files: {@code <root>/sha256/ab/abcdef...} holds the content whose SHA-256 is
 * {@code abcdef...}, so equal content is stored once and a file never changes once placed. New
 * content is streamed into {@code <root>/tmp/} while it is hashed (never held in memory), then
 * moved into place by an atomic rename, so a reader never sees half a file.
 */
final class ArtifactFiles {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** Content written to a temporary file, hashed, not yet in place. */
    record Upload(Path temp, String sha256, long size) {}

    private final Path root;

    ArtifactFiles(Path root) {
        this.root = root.toAbsolutePath();
    }

    Path root() {
        return root;
    }

    /** Streams {@code content} into a temporary file while hashing it; the file is removed if writing fails. */
    Upload upload(Artifacts.Content content) throws IOException {
        Path tmpDir = Files.createDirectories(root.resolve("tmp"));
        Path temp = Files.createTempFile(tmpDir, "upload-", ".part");
        MessageDigest sha = sha256();
        CountingStream counted;
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
             DigestOutputStream digest = new DigestOutputStream(file, sha)) {
            counted = new CountingStream(digest);
            content.writeTo(counted);
            counted.flush();
        } catch (IOException | RuntimeException | Error e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Upload(temp, HexFormat.of().formatHex(sha.digest()), counted.count);
    }

    /** Moves an upload to its place; when equal content is already there, the upload is dropped. */
    void place(Upload u) throws IOException {
        Path target = path(u.sha256());
        if (Files.exists(target)) {
            Files.deleteIfExists(u.temp());
            return;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(u.temp(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(u.temp(), target);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(u.temp());
        }
    }

    /**
     * Deletes uploads in {@code tmp/} older than {@code age}: what a process killed mid-upload left
     * behind. Younger ones may belong to another process writing right now.
     */
    void removeStaleUploads(Duration age, Instant now) {
        Path tmp = root.resolve("tmp");
        if (!Files.isDirectory(tmp)) return;
        try (Stream<Path> parts = Files.list(tmp)) {
            for (Path p : (Iterable<Path>) parts::iterator) {
                if (p.getFileName().toString().endsWith(".part")
                        && Files.getLastModifiedTime(p).toInstant().isBefore(now.minus(age))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // Leftovers hold no row and are never read; the next open tries again.
        }
    }

    /** Where the content with this hash lives (whether or not it exists). */
    Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) throw new IllegalArgumentException("not a SHA-256: " + sha256);
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    void delete(String sha256) {
        try {
            Files.deleteIfExists(path(sha256));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete artifact file " + path(sha256), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Counts bytes on their way to the file; leaves closing to the try block that opened the file. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
