package dev.nnlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextLinesTest {

    static List<String> read(Path f, int part, int parts) throws IOException {
        List<String> out = new ArrayList<>();
        try (TextLines l = TextLines.open(f, part, parts)) {
            for (String s = l.next(); s != null; s = l.next()) out.add(s);
        }
        return out;
    }

    @Test
    void shares_of_a_file_are_disjoint_and_together_every_line_once(@TempDir Path dir) throws IOException {
        StringBuilder text = new StringBuilder();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 97; i++) {
            String line = "line " + i + " " + "x".repeat(i % 13) + " é";
            lines.add(line);
            text.append(line).append('\n');
        }
        Path f = dir.resolve("t.txt");
        Files.writeString(f, text);
        for (int parts : new int[]{1, 2, 3, 7, 50}) {
            List<String> all = new ArrayList<>();
            for (int p = 0; p < parts; p++) all.addAll(read(f, p, parts));
            assertThat(all).as(parts + " shares").containsExactlyElementsOf(lines);
        }
    }

    @Test
    void a_last_line_without_a_line_break_and_windows_line_ends_read_as_lines(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("t.txt");
        Files.writeString(f, "one\r\ntwo\r\nthree");
        assertThat(read(f, 0, 1)).containsExactly("one", "two", "three");
    }

    @Test
    void ascii_lines_and_utf8_lines_both_decode(@TempDir Path dir) throws IOException {
        // ASCII lines skip the decoder; a line with multi-byte characters still goes through it.
        Path f = dir.resolve("u.txt");
        Files.write(f, "plain words\ncaf\u00e9 na\u00efve \u4e2d\ntail~\u007f\n".getBytes(StandardCharsets.UTF_8));
        assertThat(read(f, 0, 1)).containsExactly("plain words", "caf\u00e9 na\u00efve \u4e2d", "tail~\u007f");
    }

    @Test
    void a_nul_byte_is_refused_as_binary_with_its_offset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("b.bin");
        Files.write(f, new byte[]{'o', 'k', '\n', 'a', 0, 'b'});
        assertThatThrownBy(() -> read(f, 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining(f + " looks binary, not text: a NUL byte at offset 4");
    }

    @Test
    void malformed_utf8_is_refused_naming_the_line_offset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("latin1.txt");
        Files.write(f, "fine\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> read(f, 0, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining(f + " is not UTF-8 text: malformed bytes in the line starting at byte offset 5");
    }

    @Test
    void the_checksum_covers_the_bytes_and_words_split_on_any_whitespace(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.txt"), b = dir.resolve("b.txt");
        Files.writeString(a, "x y\n");
        Files.writeString(b, "x  y\n");
        assertThat(TextLines.checkAndHash(a, l -> {})).isNotEqualTo(TextLines.checkAndHash(b, l -> {}))
                .isEqualTo(TextLines.checkAndHash(a, l -> {}));
        assertThat(TextLines.words("  the\tcat  sat ")).containsExactly("the", "cat", "sat");
        assertThat(TextLines.words("   ")).isEmpty();
    }

    @Test
    void a_file_corpus_counts_its_words_and_streams_them_again_on_every_pass(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.txt");
        Files.writeString(f, "a b a\n\nc a\n");
        TextCorpus c = TextCorpus.counted("c", "sha256:c", new TextFileSentences(f));
        assertThat(c.totalWords()).isEqualTo(5);
        assertThat(c.wordCounts().word(0)).isEqualTo("a");
        assertThat(c.wordCounts().count("a")).isEqualTo(3);
        for (int pass = 0; pass < 2; pass++) {
            try (SentenceReader r = c.sentences()) {
                assertThat(r.next()).containsExactly("a", "b", "a");
                assertThat(r.next()).containsExactly("c", "a"); // the blank line is no sentence
                assertThat(r.next()).isNull();
            }
        }
    }
}
