package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.MarkovText;
import dev.nnlab.data.WordGroups;
import dev.nnlab.host.PluginJars;
import dev.nnlab.spi.DataKind;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.testfamilies.BigramLanguageModel;
import dev.nnlab.testfamilies.CooccurrenceCounts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Each kind of data travels the whole way: spec -> plan -> record -> TrialRunner -> a family in its
 * own class loader -> the store, and the metrics read back. The families of token streams and text
 * corpora are test families (plugins built from {@code dev.nnlab.testfamilies}); labelled tensors go
 * to the built-in MLP.
 */
class DataKindsEndToEndTest {
    @TempDir static Path shared;
    static Path plugins;

    @BeforeAll
    static void buildPlugins() throws Exception {
        plugins = Files.createDirectories(shared.resolve("plugins"));
        PluginJars.copyBuiltIns(plugins);
        PluginJars.pack(plugins.resolve("bigram.jar"), BigramLanguageModel.class);
        PluginJars.pack(plugins.resolve("cooccurrence.jar"), CooccurrenceCounts.class);
    }

    static Workbench open(Path dir) {
        return Workbench.open(dir.resolve("n.db"), plugins, dir.resolve("data"), "test", null);
    }

    static long runOne(Workbench wb, String spec) throws Exception {
        BatchService.Batch b = wb.batches().record("spec.json", wb.batches().plan("spec.json", spec));
        assertThat(b.runIds()).hasSize(1);
        Map<Long, RunStatus> done = wb.batches().execute(b, 1, TrialListener.NONE, new AtomicBoolean());
        long id = b.runIds().getFirst();
        assertThat(done.get(id)).as(wb.store().runs().get(id).orElseThrow().error()).isEqualTo(RunStatus.FINISHED);
        return id;
    }

    static List<Double> values(Workbench wb, long id, String key) {
        return wb.store().metrics().series(id, key).stream().map(MetricPoint::value).toList();
    }

    @Test
    void token_streams_reach_a_language_model_that_learns_below_the_unigram_perplexity(@TempDir Path dir) throws Exception {
        try (Workbench wb = open(dir)) {
            long id = runOne(wb, """
                    {"name":"lm","family":"bigram","dataset":"markov-text","epochs":3}""");
            Run run = wb.store().runs().get(id).orElseThrow();
            assertThat(run.config().get("kind").asText()).isEqualTo("TOKEN_STREAM");
            assertThat(run.config().get("preparation").asText()).isEqualTo("vocabSize=0");
            assertThat(run.provenance().datasetChecksum()).isEqualTo(DatasetCatalog.markovText().checksum());

            List<Double> valPpl = values(wb, id, "val_ppl");
            assertThat(valPpl).hasSize(3);
            assertThat(valPpl.get(2)).isLessThan(valPpl.get(0));
            MarkovText chain = MarkovText.standard(DatasetCatalog.DEFAULT_SEED);
            double unigram = values(wb, id, "val_unigram_ppl").getFirst();
            // The unigram model reaches about exp(H(pi)); the bigram counts approach the chain's own exp(entropy rate).
            assertThat(unigram).isCloseTo(Math.exp(chain.unigramEntropy()), within(0.15 * unigram));
            assertThat(valPpl.getLast()).isLessThan(unigram / 3)
                    .isCloseTo(Math.exp(chain.entropyRate()), within(0.1 * Math.exp(chain.entropyRate())));
            // Tokens are what is counted: every training token, once.
            assertThat(values(wb, id, "tokens").getLast()).isEqualTo((double) MarkovText.DEFAULT_TRAIN_TOKENS);
        }
    }

    @Test
    void a_text_corpus_streams_to_a_family_whose_neighbours_recover_the_planted_groups(@TempDir Path dir) throws Exception {
        try (Workbench wb = open(dir)) {
            long id = runOne(wb, """
                    {"name":"emb","family":"cooccurrence","dataset":"word-groups","params":{"shares":3,"window":4}}""");
            assertThat(wb.store().runs().get(id).orElseThrow().config().get("kind").asText()).isEqualTo("TEXT_CORPUS");
            WordGroups planted = WordGroups.standard(DatasetCatalog.DEFAULT_SEED);
            // Three shares together read every sentence exactly once.
            assertThat(values(wb, id, "sentences")).containsExactly((double) WordGroups.DEFAULT_SENTENCES);
            assertThat(values(wb, id, "words")).containsExactly((double) WordGroups.DEFAULT_SENTENCES * WordGroups.DEFAULT_SENTENCE_LENGTH);

            Map<String, Integer> groupOf = new HashMap<>();
            for (int g = 0; g < planted.groups().size(); g++) for (String w : planted.groups().get(g)) groupOf.put(w, g);
            Map<String, String> neighbour = new HashMap<>();
            for (RunEvent e : wb.store().events().list(id)) {
                if (!e.code().equals("nearest_neighbour")) continue;
                String[] parts = e.message().split(" -> ");
                neighbour.put(parts[0], parts[1]);
            }
            assertThat(neighbour).containsKeys(groupOf.keySet().toArray(String[]::new));
            for (String w : groupOf.keySet()) {
                assertThat(groupOf.get(neighbour.get(w))).as(w + " -> " + neighbour.get(w)).isEqualTo(groupOf.get(w));
            }
        }
    }

    @Test
    void labelled_tensors_reach_a_classifier_with_their_kind_recorded(@TempDir Path dir) throws Exception {
        try (Workbench wb = open(dir)) {
            long id = runOne(wb, """
                    {"name":"mlp","family":"mlp","dataset":"spirals","epochs":2,"params":{"logEvery":5}}""");
            Run run = wb.store().runs().get(id).orElseThrow();
            assertThat(run.config().get("kind").asText()).isEqualTo("VECTOR");
            assertThat(run.config().get("split").get("seed").asLong()).isEqualTo(dev.nnlab.data.LabelledPreparation.SPLIT_SEED);
            assertThat(values(wb, id, "val_acc")).hasSize(2);
            assertThat(values(wb, id, "test_acc")).hasSize(1);
        }
    }

    @Test
    void a_text_file_is_token_streams_for_a_language_model_and_a_corpus_for_embeddings(@TempDir Path dir) throws Exception {
        Path book = dir.resolve("book.txt");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200; i++) text.append("the cat sat on the mat number ").append(i % 7).append('\n');
        Files.writeString(book, text);
        try (Workbench wb = open(dir)) {
            long lm = runOne(wb, """
                    {"name":"lm-file","family":"bigram","dataset":"text:%s","epochs":1}""".formatted(book));
            assertThat(wb.store().runs().get(lm).orElseThrow().config().get("kind").asText()).isEqualTo("TOKEN_STREAM");
            long emb = runOne(wb, """
                    {"name":"emb-file","family":"cooccurrence","dataset":"text:%s"}""".formatted(book));
            assertThat(wb.store().runs().get(emb).orElseThrow().config().get("kind").asText()).isEqualTo("TEXT_CORPUS");
            assertThat(values(wb, emb, "words")).containsExactly(200.0 * 8);
        }
    }

    @Test
    void a_dataset_of_a_kind_the_family_does_not_accept_is_refused_naming_both_and_nothing_is_recorded(@TempDir Path dir) throws Exception {
        try (Workbench wb = open(dir)) {
            assertThatThrownBy(() -> wb.batches().plan("spec.json", """
                    {"name":"x","family":"mlp","dataset":"markov-text"}"""))
                    .isInstanceOf(SpecException.class)
                    .hasMessageContaining("$.dataset")
                    .hasMessageContaining("\"markov-text\" holds [TOKEN_STREAM]")
                    .hasMessageContaining("family mlp accepts [VECTOR, IMAGE]");
            assertThatThrownBy(() -> wb.batches().plan("spec.json", """
                    {"name":"y","family":"bigram","dataset":"mnist-10k"}"""))
                    .isInstanceOf(SpecException.class)
                    .hasMessageContaining("\"mnist-10k\" holds [IMAGE]").hasMessageContaining("family bigram accepts [TOKEN_STREAM]");
            assertThat(wb.store().runs().count(null)).isZero();
            assertThat(wb.store().experiments().list()).isEmpty();
            // The kinds each family accepts pass.
            assertThat(wb.batches().plan("spec.json", """
                    {"name":"z","family":"bigram","dataset":"markov-text"}""").kind()).isEqualTo(DataKind.TOKEN_STREAM);
        }
    }

    @Test
    void a_binary_text_file_is_refused_before_anything_is_recorded(@TempDir Path dir) throws Exception {
        Path blob = dir.resolve("model.bin");
        Files.write(blob, new byte[]{'a', ' ', 'b', '\n', 0, 1, 2, 3});
        try (Workbench wb = open(dir)) {
            // Planning prepares token streams already (for the memory estimate), so the refusal comes from plan().
            assertThatThrownBy(() -> wb.batches().plan("spec.json", """
                    {"name":"bin","family":"bigram","dataset":"text:%s"}""".formatted(blob)))
                    .isInstanceOf(SpecException.class)
                    .hasMessageContaining("$.dataset").hasMessageContaining(blob.toString())
                    .hasMessageContaining("looks binary").hasMessageContaining("offset 4");
            assertThat(wb.store().runs().count(null)).isZero();
        }
    }
}
