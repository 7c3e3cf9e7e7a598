package dev.nnlab.catalog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Turns Debian's {@code gcide.dict.dz} (the dictd text of the GNU Collaborative International
 * Dictionary of English; dictzip is gzip with an index, so {@link GZIPInputStream} reads it) into a
 * word2vec corpus: markup stripped (tags in angle brackets), lower-cased, only a-z and apostrophes
 * kept (apostrophes at a word's edges dropped), one paragraph per line, lines cut after
 * {@value #MAX_LINE_WORDS} words. On Debian's dict-gcide 0.48 this gives 5,404,205 words, the 5.4M
 * of WORKLOADS.md that the peers' W6g/W7g figures were measured on.
 *
 * <p>Pronunciations ({@code \Af*fat"u*ate\}) are kept, split at their syllable marks as at any
 * other non-letter: dropping them (as an earlier version did) left 5.04M words and a corpus other
 * than the one the reference figures describe. The dictd text has almost no angle-bracket tags (one
 * e-mail address); the rule is kept for other dictd exports, which have them.
 */
final class GcideText {
    static final int MAX_LINE_WORDS = 1000;

    private GcideText() {}

    /** Converts the compressed dictionary; returns the words written. */
    static long convertDictDz(InputStream dictDz, Writer out) throws IOException {
        return convert(new BufferedReader(new InputStreamReader(new GZIPInputStream(dictDz, 1 << 16), StandardCharsets.UTF_8)), out);
    }

    static long convert(BufferedReader in, Writer out) throws IOException {
        long total = 0;
        int onLine = 0;
        StringBuilder word = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String text = stripMarkup(line);
            if (text.isBlank()) {
                if (onLine > 0) out.write('\n');
                onLine = 0;
                continue;
            }
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? Character.toLowerCase(text.charAt(i)) : ' ';
                if ((c >= 'a' && c <= 'z') || c == '\'') {
                    word.append(c);
                    continue;
                }
                String w = trimApostrophes(word);
                word.setLength(0);
                if (w.isEmpty()) continue;
                if (onLine > 0) out.write(' ');
                out.write(w);
                total++;
                if (++onLine == MAX_LINE_WORDS) {
                    out.write('\n');
                    onLine = 0;
                }
            }
        }
        if (onLine > 0) out.write('\n');
        return total;
    }

    /** Drops {@code <tags>} (a tag left open runs to the end of its line); keeps everything else. */
    static String stripMarkup(String line) {
        StringBuilder b = new StringBuilder(line.length());
        boolean inTag = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inTag) { if (c == '>') inTag = false; continue; }
            if (c == '<') { inTag = true; b.append(' '); continue; }
            b.append(c);
        }
        return b.toString();
    }

    private static String trimApostrophes(StringBuilder w) {
        int from = 0, to = w.length();
        while (from < to && w.charAt(from) == '\'') from++;
        while (to > from && w.charAt(to - 1) == '\'') to--;
        return w.substring(from, to);
    }
}
