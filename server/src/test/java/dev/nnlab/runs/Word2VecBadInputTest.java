package dev.nnlab.runs;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunQuery;
import dev.nnlab.sweep.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * word2vec's data-dependent rules refuse a batch before anything is recorded (the planner asks the
 * family through ModelFamily.checkFits once the corpus is counted), and a good batch still records.
 */
class Word2VecBadInputTest {

    static Workbench open(Path dir) {
        return Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null);
    }

    static void record(Workbench wb, String spec) throws Exception {
        wb.batches().record("spec.json", wb.batches().plan("spec.json", spec));
    }

    @Test
    void a_min_count_above_every_word_count_is_refused_and_nothing_is_recorded(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("few.txt"), "a b a c a d\n");
        try (Workbench wb = open(dir)) {
            assertThatThrownBy(() -> record(wb, """
                    {"name":"w","family":"word2vec","dataset":"text:%s","params":{"minCount":4}}""".formatted(text)))
                    .isInstanceOf(SpecException.class)
                    .hasMessageContaining("$.params").hasMessageContaining("minCount=4 leaves an empty vocabulary");
            assertThat(wb.store().runs().list(RunQuery.all())).isEmpty();
            assertThat(wb.store().experiments().list()).isEmpty();
        }
    }

    @Test
    void a_corpus_no_longer_than_the_window_is_refused_and_a_longer_one_records(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("tiny.txt"), "the cat sat\n");
        try (Workbench wb = open(dir)) {
            assertThatThrownBy(() -> record(wb, """
                    {"name":"w","family":"word2vec","dataset":"text:%s","params":{"minCount":1,"window":5}}""".formatted(text)))
                    .isInstanceOf(SpecException.class).hasMessageContaining("holds 3 words").hasMessageContaining("window=5");
            assertThat(wb.store().runs().list(RunQuery.all())).isEmpty();
            record(wb, """
                    {"name":"w","family":"word2vec","dataset":"text:%s","params":{"minCount":1,"window":2}}""".formatted(text));
            assertThat(wb.store().runs().list(RunQuery.all())).hasSize(1);
        }
    }

    @Test
    void a_window_of_zero_is_refused_by_the_planner(@TempDir Path dir) {
        try (Workbench wb = open(dir)) {
            assertThatThrownBy(() -> wb.batches().plan("spec.json", """
                    {"name":"w","family":"word2vec","dataset":"word-groups","params":{"window":0}}"""))
                    .isInstanceOf(SpecException.class).hasMessageContaining("$.params.window").hasMessageContaining(">= 1");
        }
    }
}
