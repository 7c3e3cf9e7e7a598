package dev.nnlab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Reads the lines of a UTF-8 text file, or of one byte-range share of it, strictly: a NUL byte
 * (a binary file) or a malformed UTF-8 sequence fails with an {@link IOException} naming the file
 * and the byte offset, instead of turning into replacement characters a model would then learn.
 * Lines end at {@code \n}; a {@code \r} before it is dropped.
 *
 * <p>Share {@code part} of {@code parts} holds the lines that <em>start</em> in bytes
 * {@code [size part/parts, size (part+1)/parts)}, so the shares are disjoint and complete.
 *
 * <p>Stability: evolving.
 */
public final class TextLines implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    /** Read ahead from the channel: bytes [pos, limit) of it are not consumed yet. */
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
    private final long end;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final MessageDigest digest;
    private long offset;
    private byte[] line = new byte[256];

    private TextLines(Path file, long start, long end, MessageDigest digest) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.end = end;
        this.digest = digest;
        long from = start;
        if (start > 0) {
            // Start after the line break that precedes the share: the line running into it belongs to the share before.
            channel.position(start - 1);
            from = start - 1;
        }
        this.offset = from;
        if (start > 0) {
            int b;
            while ((b = read()) >= 0) {
                offset++;
                if (b == '\n') break;
            }
        }
    }

    /** The next byte (0..255), or -1 at the end of the file. */
    private int read() throws IOException {
        if (!buffer.hasRemaining()) {
            buffer.clear();
            int n;
            do {
                n = channel.read(buffer);
            } while (n == 0);
            buffer.flip();
            if (n < 0) return -1;
        }
        return buffer.get() & 0xff;
    }

    /** Every line of {@code file}. */
    public static TextLines open(Path file) throws IOException {
        return new TextLines(file, 0, Long.MAX_VALUE, null);
    }

    /** The lines of share {@code part} of {@code parts}. */
    public static TextLines open(Path file, int part, int parts) throws IOException {
        SentenceSource.checkPart(part, parts);
        long size = java.nio.file.Files.size(file);
        long start = size * part / parts, stop = size * (part + 1) / parts;
        return new TextLines(file, start, part == parts - 1 ? Long.MAX_VALUE : stop, null);
    }

    /** Every line, checked, while computing {@code "sha256:<hex>"} of the file's bytes; returns the checksum. */
    public static String checkAndHash(Path file, LineConsumer each) throws IOException {
        MessageDigest d = Sha256.digest();
        try (TextLines lines = new TextLines(file, 0, Long.MAX_VALUE, d)) {
            for (String l = lines.next(); l != null; l = lines.next()) each.accept(l);
        }
        return "sha256:" + Sha256.hex(d.digest());
    }

    @FunctionalInterface
    public interface LineConsumer {
        void accept(String line) throws IOException;
    }

    /** The next line without its line break, or null at the end of the file or share. */
    public String next() throws IOException {
        if (offset >= end) return null;
        long lineStart = offset;
        int n = 0;
        int b;
        boolean any = false;
        int high = 0;
        while ((b = read()) >= 0) {
            any = true;
            offset++;
            if (b == 0) throw new IOException(file + " looks binary, not text: a NUL byte at offset " + (offset - 1));
            if (b == '\n') break;
            if (n == line.length) line = java.util.Arrays.copyOf(line, n * 2);
            line[n++] = (byte) b;
            high |= b;
        }
        if (!any) return null;
        if (digest != null) {
            digest.update(line, 0, n);
            if (b == '\n') digest.update((byte) '\n');
        }
        int len = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
        // ASCII is valid UTF-8 and decodes byte for byte: skip the decoder (most corpora's lines, every PTB line).
        if (high < 0x80) return new String(line, 0, len, StandardCharsets.ISO_8859_1);
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text: malformed bytes in the line starting at byte offset " + lineStart
                    + " (nnlab reads text datasets as UTF-8 only)");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** The words of {@code line}: maximal runs of non-whitespace characters. */
    public static String[] words(String line) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int i = 0, n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) i++;
            int s = i;
            while (i < n && !Character.isWhitespace(line.charAt(i))) i++;
            if (i > s) out.add(line.substring(s, i));
        }
        return out.toArray(new String[0]);
    }
}
