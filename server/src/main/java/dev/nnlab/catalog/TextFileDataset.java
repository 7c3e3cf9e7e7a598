package dev.nnlab.catalog;

import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TextFileSentences;
import dev.nnlab.data.TextLines;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TokenStreams.Level;
import dev.nnlab.data.TokenStreams.Part;
import dev.nnlab.spi.DataKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A dataset that is one UTF-8 text file: {@code tinyshakespeare}, or any file a user names as
 * {@code text:FILE} (words) or {@code chars:FILE} (characters).
 *
 * <p>As token streams the file is cut, in reading order, into 90% train, 5% validation and 5% test:
 * by lines at word level (each line's whitespace-separated words, then {@code <eos>}), by characters
 * at character level (the newline is a character). At word level it is also a text corpus: one
 * sentence per non-blank line, streamed from the file.
 *
 * <p>A file that is not UTF-8 text (a NUL byte, a malformed sequence) is refused with the offset.
 */
final class TextFileDataset implements CatalogEntry {
    static final double TRAIN_SHARE = 0.90;
    static final double VALIDATION_SHARE = 0.05;

    private final String name;
    private final String description;
    private final Path file;
    private final Level level;
    private final String whenMissing;

    /** @param whenMissing the message's tail when the file is not there: where nnlab looked and how to get it */
    TextFileDataset(String name, String description, Path file, Level level, String whenMissing) {
        this.name = name;
        this.description = description;
        this.file = file;
        this.level = level;
        this.whenMissing = whenMissing;
    }

    @Override public String name() { return name; }

    @Override public String description() { return description; }

    @Override public List<DataKind> kinds() {
        return level == Level.WORD ? List.of(DataKind.TOKEN_STREAM, DataKind.TEXT_CORPUS) : List.of(DataKind.TOKEN_STREAM);
    }

    @Override
    public Availability availability() {
        if (!Files.isRegularFile(file)) return new Availability(false, file.toString(), 0, whenMissing);
        try {
            return new Availability(true, file.toString(), Files.size(file), "");
        } catch (IOException e) {
            return new Availability(false, file.toString(), 0, "cannot read it: " + e.getMessage());
        }
    }

    @Override
    public TokenStreams tokens() throws IOException {
        requireFile();
        long[] units = new long[1];
        String checksum = TextLines.checkAndHash(file, line -> units[0] += level == Level.WORD
                ? (TextLines.words(line).length > 0 ? 1 : 0) : line.codePointCount(0, line.length()) + 1);
        long trainEnd = Math.round(units[0] * TRAIN_SHARE), validationEnd = Math.round(units[0] * (TRAIN_SHARE + VALIDATION_SHARE));
        TokenStreams.Builder b = TokenStreams.builder(name, level);
        long[] seen = new long[1];
        try (TextLines lines = TextLines.open(file)) {
            for (String line = lines.next(); line != null; line = lines.next()) {
                if (level == Level.WORD) {
                    String[] words = TextLines.words(line);
                    if (words.length == 0) continue;
                    Part part = part(seen[0]++, trainEnd, validationEnd);
                    for (String w : words) b.add(part, w);
                    b.endLine(part);
                } else {
                    line.codePoints().forEach(cp -> b.add(part(seen[0]++, trainEnd, validationEnd), Character.toString(cp)));
                    b.add(part(seen[0]++, trainEnd, validationEnd), "\n");
                }
            }
        }
        if (b.size(Part.TRAIN) == 0) throw new IllegalArgumentException(name + ": " + file + " holds no text to train on");
        return b.build(checksum, 0);
    }

    @Override
    public TextCorpus corpus() throws IOException {
        if (level != Level.WORD) return CatalogEntry.super.corpus();
        requireFile();
        String checksum = TextLines.checkAndHash(file, line -> {});
        return TextCorpus.counted(name, checksum, new TextFileSentences(file));
    }

    private static Part part(long index, long trainEnd, long validationEnd) {
        return index < trainEnd ? Part.TRAIN : index < validationEnd ? Part.VALIDATION : Part.TEST;
    }

    private void requireFile() throws DatasetUnavailableException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetUnavailableException("dataset '" + name + "' is not available: " + file
                    + (Files.isDirectory(file) ? " is a directory, not a file" : " does not exist") + ". " + whenMissing);
        }
    }
}
