package dev.nnlab.catalog;

import dev.nnlab.data.SentenceReader;
import dev.nnlab.data.TextCorpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GcideDatasetTest {
    /** Two entries in dict-gcide's dictd style: headword, pronunciation, markup, a blank line between. */
    static final String SAMPLE = """
            Apple \\Ap"ple\\, n. [OE. appel, eppel, AS. <i>[ae]ppel</i>]
               1. The fleshy pome or fruit of a rosaceous tree; the
                  farmer's "Apple" -- e.g. 'Tis sweet.

            Zebra \\Ze"bra\\, n. A wild horse of Africa.
            """;

    static String convert(String s) throws IOException {
        StringWriter out = new StringWriter();
        GcideText.convert(new BufferedReader(new StringReader(s)), out);
        return out.toString();
    }

    @Test
    void tags_are_stripped_pronunciations_split_and_words_lower_cased_to_letters_and_inner_apostrophes_one_paragraph_a_line() throws IOException {
        assertThat(convert(SAMPLE)).isEqualTo("""
                apple ap ple n oe appel eppel as ae ppel the fleshy pome or fruit of a rosaceous tree the farmer's apple e g tis sweet
                zebra ze bra n a wild horse of africa
                """);
    }

    @Test
    void very_long_paragraphs_are_cut_into_lines_of_at_most_a_thousand_words() throws IOException {
        String out = convert("word ".repeat(2500));
        assertThat(out.lines().map(l -> l.split(" ").length).toList()).containsExactly(1000, 1000, 500);
    }

    @Test
    void the_catalog_entry_converts_the_dictionary_once_and_streams_it_as_a_corpus(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("gcide.dict.dz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dict))) {
            o.write(SAMPLE.getBytes(StandardCharsets.UTF_8));
        }
        GcideDataset g = new GcideDataset(dict, dir.resolve("data"), dir.resolve("cache"));
        assertThat(g.availability().available()).isTrue();
        TextCorpus c = g.corpus();
        assertThat(c.wordCounts().count("apple")).isEqualTo(2);
        assertThat(c.totalWords()).isEqualTo(35);
        List<String> first = new ArrayList<>();
        try (SentenceReader r = c.sentences()) {
            first.addAll(List.of(r.next()));
        }
        assertThat(first.getFirst()).isEqualTo("apple");
        assertThat(dir.resolve("data/gcide/" + GcideDataset.FILE)).exists();
        assertThat(dir.resolve("cache")).doesNotExist();
        assertThat(g.availability().location()).endsWith(GcideDataset.FILE);
    }

    @Test
    void a_data_directory_that_cannot_be_written_gets_the_text_in_the_cache(@TempDir Path dir) throws IOException {
        Path dict = dir.resolve("gcide.dict.dz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dict))) {
            o.write(SAMPLE.getBytes(StandardCharsets.UTF_8));
        }
        Path data = Files.createDirectories(dir.resolve("shared"));
        assertThat(data.toFile().setWritable(false)).isTrue();
        try {
            GcideDataset g = new GcideDataset(dict, data, dir.resolve("cache"));
            assertThat(g.corpus().totalWords()).isEqualTo(35);
            assertThat(dir.resolve("cache/gcide/" + GcideDataset.FILE)).exists();
            assertThat(new GcideDataset(dict, data, dir.resolve("cache")).textFile()).isEqualTo(dir.resolve("cache/gcide/" + GcideDataset.FILE));
        } finally {
            data.toFile().setWritable(true);
        }
    }

    @Test
    void without_the_package_the_entry_is_unavailable_and_says_how_to_get_it(@TempDir Path dir) {
        GcideDataset g = new GcideDataset(dir.resolve("missing.dict.dz"), dir.resolve("data"), dir.resolve("cache"));
        assertThat(g.availability().available()).isFalse();
        assertThat(g.availability().howToGet()).contains("apt-get install dict-gcide");
        assertThatThrownBy(g::corpus).isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("dataset 'gcide' is not available").hasMessageContaining("apt-get install dict-gcide");
    }

    @Test
    void the_shipped_skipgram_vs_cbow_experiment_plans_or_says_gcide_is_not_available(@TempDir Path dir) throws Exception {
        Path spec = dev.nnlab.host.PluginJars.checkoutRoot().resolve("experiments").resolve("skipgram-vs-cbow.json");
        try (dev.nnlab.runs.Workbench wb = dev.nnlab.runs.Workbench.open(dir.resolve("n.db"), dev.nnlab.host.PluginJars.builtInPlugins(),
                dir.resolve("data"), "test", null)) {
            // The evaluation files the experiment names by catalog name, small stand-ins in the data directory.
            Path analogy = Files.createDirectories(dir.resolve("data").resolve("analogy"));
            Files.writeString(analogy.resolve("questions-words.txt"), ": capitals\nathens greece paris france\n");
            Files.writeString(analogy.resolve("wordsim353.tsv"), "# pairs\ntiger\tcat\t7.35\nbook\tpaper\t7.46\n");
            Files.writeString(analogy.resolve("simlex999.txt"), "# pairs\nold\tnew\t1.58\nsmart\tintelligent\t9.2\n");
            if (new DatasetCatalog(dir.resolve("data")).entry("gcide").availability().available()) {
                assertThat(wb.batches().plan("skipgram-vs-cbow.json", Files.readString(spec)).trials()).hasSize(2);
            } else {
                assertThatThrownBy(() -> wb.batches().plan("skipgram-vs-cbow.json", Files.readString(spec)))
                        .isInstanceOf(dev.nnlab.sweep.SpecException.class)
                        .hasMessageContaining("gcide").hasMessageContaining("not available").hasMessageContaining("dict-gcide");
            }
        }
    }

    @Test
    void the_shipped_skipgram_vs_cbow_experiment_carries_its_claim_as_lesson_checks_on_word2vecs_own_statistics() throws Exception {
        Path spec = dev.nnlab.host.PluginJars.checkoutRoot().resolve("experiments").resolve("skipgram-vs-cbow.json");
        com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(Files.readString(spec));
        // Parsed without the dataset, so a clone without dict-gcide checks the lesson too.
        dev.nnlab.lessons.Lesson lesson = dev.nnlab.lessons.Lesson.parse("skipgram-vs-cbow.json", node.get("lesson"));
        assertThat(lesson.checks()).extracting(c -> c.statistic().name())
                .containsExactly("epoch_words_per_sec", "analogy_rare_acc", "wordsim_spearman", "simlex_spearman");
        assertThat(lesson.checks()).allSatisfy(c -> assertThat(c.isComparison()).isTrue());
    }
}
