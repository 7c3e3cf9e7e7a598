package dev.nnlab.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The sentences of a text file: one per non-blank line, its words split on whitespace (the format
 * of word2vec.c, gensim's {@code LineSentence} and PTB). Nothing is lowercased or stripped.
 *
 * <p>Stability: stable.
 */
public record TextFileSentences(Path file) implements SentenceSource {

    @Override
    public SentenceReader open(int part, int parts) throws IOException {
        TextLines lines = TextLines.open(file, part, parts);
        return new SentenceReader() {
            @Override public String[] next() throws IOException {
                for (String l = lines.next(); l != null; l = lines.next()) {
                    String[] w = TextLines.words(l);
                    if (w.length > 0) return w;
                }
                return null;
            }

            @Override public void close() throws IOException { lines.close(); }
        };
    }
}
