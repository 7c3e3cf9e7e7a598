package dev.nnlab.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class Word2VecWorkloadTest {
    private static Measurement ok(String workload, String system, double throughput, Map<String, Object> extra) {
        return new Measurement(workload, system, null, 1, Measurement.Status.OK, null, throughput, "words/s", null,
                "analogy_acc", new CpuWindow.Usage(1, 1, 1), 1024, null, null, extra, null);
    }

    @Test
    void the_four_word_workloads_share_settings_and_differ_in_model_rate_and_epochs() {
        assertThat(Workload.find("w6g")).isSameAs(Workload.W6g);
        assertThat(Workload.W6g.epochs()).isEqualTo(5);
        assertThat(Workload.W7.epochs()).isEqualTo(1);
        Map<String, Object> sg = Word2VecWorkload.params(Workload.W6g, 5), cbow = Word2VecWorkload.params(Workload.W7, 1);
        assertThat(sg).containsEntry("model", "skipgram").containsEntry("lr", 0.025).containsEntry("epochs", 5)
                .containsEntry("sample", 1e-4).containsEntry("minCount", 5).containsEntry("negative", 5).containsEntry("window", 5);
        assertThat(cbow).containsEntry("model", "cbow").containsEntry("lr", 0.05).containsEntry("sharedNegatives", false);
        // gensim's min_alpha 1e-4 on both.
        assertThat((double) cbow.get("lr") * (double) cbow.get("minLrFraction")).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void the_peers_get_the_corpus_file_nnlab_reads_and_other_workloads_get_nothing(@TempDir Path data) {
        BenchSettings s = new BenchSettings(data, data, 2, 1, true, null, 0, null);
        PrintStream log = new PrintStream(new ByteArrayOutputStream(), true);
        assertThat(Word2VecWorkload.peerArgs(Workload.W6, s, log)).containsExactly("--corpus", data.resolve("ptb/ptb.train.txt").toString());
        assertThat(Word2VecWorkload.peerArgs(Workload.W1, s, log)).isEmpty();
    }

    @Test
    void the_warm_up_corpus_is_the_first_lines_up_to_the_word_count(@TempDir Path dir) throws Exception {
        Path from = Files.write(dir.resolve("c.txt"), List.of("a b c", "", "d e", "f g h i", "j"));
        Path to = dir.resolve("head.txt");
        Word2VecWorkload.head(from, to, 5);
        assertThat(Files.readAllLines(to)).containsExactly("a b c", "", "d e");
    }

    @Test
    void the_in_memory_corpus_holds_every_sentence_once_across_shares_and_one_string_per_distinct_word(@TempDir Path dir) throws Exception {
        Path file = Files.write(dir.resolve("c.txt"), List.of("the cat sat", "", "the dog", "a cat the end"));
        dev.nnlab.data.SentenceSource src = Word2VecWorkload.inMemory(file);
        List<String[]> read = new java.util.ArrayList<>();
        for (int part = 0; part < 2; part++) {
            try (dev.nnlab.data.SentenceReader r = src.open(part, 2)) {
                for (String[] sentence = r.next(); sentence != null; sentence = r.next()) read.add(sentence);
            }
        }
        assertThat(read).extracting(x -> String.join(" ", x)).containsExactly("the cat sat", "the dog", "a cat the end");
        assertThat(read.get(0)[0]).isSameAs(read.get(1)[0]).isSameAs(read.get(2)[2]);
        assertThat(read.get(0)[1]).isSameAs(read.get(2)[1]);
    }

    @Test
    void the_quality_table_puts_each_sides_analogy_coverage_and_similarities_side_by_side() {
        List<Measurement> all = List.of(
                ok("W6g", "nnlab", 1_200_000, Map.of("analogy_acc", 0.195, "analogy_questions", 8322, "wordsim353", 0.55, "simlex999", 0.36)),
                ok("W6g", "gensim", 700_000, Map.of("analogy_acc", 0.189, "analogy_questions", 8322, "wordsim353", 0.54)));
        String t = WordQualityTable.render(List.of(Workload.W1, Workload.W6g), all);
        assertThat(t).contains("W6g  nnlab     analogy 19.5% of 8,322 questions, WordSim-353 0.550, SimLex-999 0.360, 1,200,000 words/s");
        assertThat(t).contains("W6g  gensim    analogy 18.9% of 8,322 questions, WordSim-353 0.540, SimLex-999 -, 700,000 words/s");
        assertThat(WordQualityTable.render(List.of(Workload.W1), all)).isEmpty();
    }

    @Test
    void a_side_trained_two_ways_shows_the_other_ways_quality_under_its_own_line() {
        Map<String, Object> extra = Map.of("analogy_acc", 0.149, "analogy_questions", 8322, "wordsim353", 0.552, "simlex999", 0.318,
                "mode", "iterable", "words_per_sec_by_mode", Map.of("iterable", 700_000.0, "corpus_file", 500_000.0),
                "quality_by_mode", Map.of(
                        "iterable", Map.of("analogy_acc", 0.149, "analogy_questions", 8322, "wordsim353", 0.552, "simlex999", 0.318),
                        "corpus_file", Map.of("analogy_acc", 0.159, "analogy_questions", 8322, "wordsim353", 0.549, "simlex999", 0.327)));
        String t = WordQualityTable.render(List.of(Workload.W7g), List.of(ok("W7g", "gensim", 700_000, extra)));
        assertThat(t.lines().filter(l -> l.startsWith("  W7g")).toList()).containsExactly(
                "  W7g  gensim    analogy 14.9% of 8,322 questions, WordSim-353 0.552, SimLex-999 0.318, 700,000 words/s (iterable)",
                "  W7g  gensim    analogy 15.9% of 8,322 questions, WordSim-353 0.549, SimLex-999 0.327, 500,000 words/s (corpus_file, the slower way)");
    }
}
