package dev.nnlab.catalog;

import dev.nnlab.data.SentenceReader;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.Vocabulary;
import dev.nnlab.spi.DataKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The text datasets of the catalog, read from small files written by the tests (never from real data). */
class TextDatasetsTest {

    @TempDir
    Path dataDir;

    private DatasetCatalog catalog() {
        return new DatasetCatalog(dataDir, dataDir.resolve("no-debian"));
    }

    private void ptb(String train, String valid, String test) throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("ptb"));
        Files.writeString(dir.resolve("ptb.train.txt"), train);
        Files.writeString(dir.resolve("ptb.valid.txt"), valid);
        Files.writeString(dir.resolve("ptb.test.txt"), test);
    }

    @Test
    void ptb_appends_eos_to_every_line_and_builds_its_vocabulary_from_the_training_file() throws IOException {
        // PTB's own layout: a leading space, <unk> and N in the text.
        ptb(" the cat sat <unk> \n the N cats \n", " the dog \n", " a cat \n");
        CatalogEntry e = catalog().entry("ptb");
        assertThat(e.kinds()).containsExactly(DataKind.TOKEN_STREAM, DataKind.TEXT_CORPUS);
        assertThat(e.availability().available()).isTrue();
        TokenStreams t = e.tokens();
        Vocabulary v = t.vocabulary();
        assertThat(t.level()).isEqualTo(TokenStreams.Level.WORD);
        assertThat(v.tokens()).containsExactly("<unk>", "<eos>", "the", "N", "cat", "cats", "sat");
        assertThat(t.train()).containsExactly(v.id("the"), v.id("cat"), v.id("sat"), v.unkId(), v.eosId(),
                v.id("the"), v.id("N"), v.id("cats"), v.eosId());
        assertThat(t.validation()).containsExactly(v.id("the"), v.unkId(), v.eosId()); // "dog" is not in train
        assertThat(t.test()).containsExactly(v.unkId(), v.id("cat"), v.eosId());
        assertThat(t.checksum()).startsWith("sha256:");

        TextCorpus c = e.corpus();
        assertThat(c.totalWords()).isEqualTo(7); // the training file's words, without <eos>
        try (SentenceReader r = c.sentences()) {
            assertThat(r.next()).containsExactly("the", "cat", "sat", "<unk>");
        }
    }

    @Test
    void missing_ptb_says_where_nnlab_looked_and_how_to_get_it() {
        DatasetCatalog catalog = catalog();
        assertThat(catalog.entry("ptb").availability().available()).isFalse();
        assertThatThrownBy(() -> catalog.entry("ptb").tokens())
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("dataset 'ptb' is not available: missing ptb.train.txt, ptb.valid.txt, ptb.test.txt")
                .hasMessageContaining("nnlab looked in " + dataDir.resolve("ptb"))
                .hasMessageContaining("--data-dir").hasMessageContaining("$NNLAB_DATA").hasMessageContaining("~/.nnlab/data")
                .hasMessageContaining("simple-examples.tgz");
    }

    @Test
    void tinyshakespeare_is_character_level_split_90_5_5_in_reading_order() throws IOException {
        Path dir = Files.createDirectories(dataDir.resolve("tinyshakespeare"));
        // 20 lines of 9 characters and a newline: 200 characters, 180 / 10 / 10.
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) text.append(i < 18 ? "ROMEO: ab" : "JULIET:z").append(i < 18 ? "" : "!").append('\n');
        Files.writeString(dir.resolve("input.txt"), text);
        CatalogEntry e = catalog().entry("tinyshakespeare");
        assertThat(e.kinds()).containsExactly(DataKind.TOKEN_STREAM);
        TokenStreams t = e.tokens();
        assertThat(t.level()).isEqualTo(TokenStreams.Level.CHARACTER);
        assertThat(t.train()).hasSize(180);
        assertThat(t.validation()).hasSize(10);
        assertThat(t.test()).hasSize(10);
        Vocabulary v = t.vocabulary();
        assertThat(v.eosId()).isEqualTo(-1);
        assertThat(v.contains("\n")).isTrue();
        assertThat(v.contains("J")).isFalse(); // only in validation and test: <unk>
        assertThat(t.validation()[0]).isEqualTo(v.unkId());
        assertThat(v.size()).isEqualTo(1 + "ROMEO: ab\n".chars().distinct().count());
    }

    @Test
    void missing_tinyshakespeare_names_the_file_the_data_directory_and_where_to_get_it() {
        assertThatThrownBy(() -> catalog().entry("tinyshakespeare").tokens())
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(dataDir.resolve("tinyshakespeare").resolve("input.txt") + " does not exist")
                .hasMessageContaining("$NNLAB_DATA").hasMessageContaining("karpathy/char-rnn");
    }

    @Test
    void a_users_text_file_is_words_or_characters_by_its_prefix(@TempDir Path dir) throws IOException {
        Path book = dir.resolve("book.txt");
        Files.writeString(book, "Call me Ishmael.\n\nSome years ago\n");
        CatalogEntry words = catalog().entry("text:" + book);
        assertThat(words.kinds()).containsExactly(DataKind.TOKEN_STREAM, DataKind.TEXT_CORPUS);
        assertThat(words.tokens().train()).hasSize(3 + 1 + 3 + 1); // two non-blank lines, each with <eos>; all in train
        assertThat(words.corpus().totalWords()).isEqualTo(6);
        CatalogEntry chars = catalog().entry("chars:" + book);
        assertThat(chars.kinds()).containsExactly(DataKind.TOKEN_STREAM);
        TokenStreams c = chars.tokens();
        assertThat(c.train().length + c.validation().length + c.test().length).isEqualTo(Files.readString(book).length());
        assertThatThrownBy(chars::corpus).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("holds no text corpus");
    }

    @Test
    void a_missing_binary_or_non_utf8_text_file_gets_a_clear_error(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("nope.txt");
        assertThat(catalog().entry("text:" + missing).availability().available()).isFalse();
        assertThatThrownBy(() -> catalog().entry("text:" + missing).tokens())
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining(missing + " does not exist").hasMessageContaining("UTF-8 text file");
        assertThatThrownBy(() -> catalog().entry("text:" + dir).corpus()).hasMessageContaining("is a directory, not a file");

        Path image = dir.resolve("image.png");
        Files.write(image, new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
        assertThatThrownBy(() -> catalog().entry("chars:" + image).tokens()).isInstanceOf(IOException.class)
                .hasMessageContaining(image + " is not UTF-8 text");
        Path nul = dir.resolve("nul.dat");
        Files.write(nul, new byte[]{'a', 'b', 0, 'c'});
        assertThatThrownBy(() -> catalog().entry("text:" + nul).corpus()).isInstanceOf(IOException.class)
                .hasMessageContaining(nul + " looks binary, not text: a NUL byte at offset 2");
        Path empty = Files.writeString(dir.resolve("empty.txt"), "\n\n");
        assertThatThrownBy(() -> catalog().entry("text:" + empty).tokens()).hasMessageContaining("holds no text to train on");
        assertThatThrownBy(() -> catalog().entry("text:")).hasMessageContaining("'text:' names no file");
    }

    @Test
    void generated_text_datasets_are_always_there_with_their_kind() throws IOException {
        assertThat(catalog().entry("markov-text").kinds()).containsExactly(DataKind.TOKEN_STREAM);
        assertThat(catalog().entry("markov-text").tokens().train()).hasSize(60_000);
        assertThat(catalog().entry("word-groups").kinds()).containsExactly(DataKind.TEXT_CORPUS);
        assertThat(catalog().entry("word-groups").corpus().totalWords()).isEqualTo(40_000);
        assertThat(catalog().entry("mnist-10k").kinds()).containsExactly(DataKind.IMAGE);
        assertThat(catalog().entry("spirals").kinds()).containsExactly(DataKind.VECTOR);
        assertThatThrownBy(() -> catalog().entry("spirals").tokens()).hasMessageContaining("dataset 'spirals' holds no token streams; it holds [VECTOR]");
    }
}
