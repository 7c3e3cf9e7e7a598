package dev.nnlab.plugins.word2vec;

import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RecordingSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.nnlab.plugins.word2vec.Word2VecTest.CORPUS;
import static dev.nnlab.plugins.word2vec.Word2VecTest.FAMILY;
import static dev.nnlab.plugins.word2vec.Word2VecTest.GROUPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Evaluation files named by a run: generated here from the planted groups, so the test needs no data folder. */
class RunEvaluationTest {
    @TempDir
    Path dir;

    /** Pairs within a group rated 9, across groups 1: vectors that recover the groups correlate strongly. */
    private Path similarity() throws IOException {
        List<String> lines = new ArrayList<>(List.of("# generated: word1<TAB>word2<TAB>rating"));
        List<List<String>> g = GROUPS.groups();
        for (int i = 0; i < g.size(); i++) {
            lines.add(g.get(i).get(0) + "\t" + g.get(i).get(1) + "\t9");
            lines.add(g.get(i).get(2) + "\t" + g.get(i).get(3) + "\t8.5");
            lines.add(g.get(i).get(0) + "\t" + g.get((i + 1) % g.size()).get(0) + "\t1");
            lines.add(g.get(i).get(1) + "\t" + g.get((i + 1) % g.size()).get(2) + "\t0.5");
        }
        lines.add("zebra\tgiraffe\t7"); // outside the vocabulary: lowers coverage, not the score
        return Files.write(dir.resolve("similarity.tsv"), lines);
    }

    /** Three questions over planted words and one with a word the corpus never has. */
    private Path analogies() throws IOException {
        List<List<String>> g = GROUPS.groups();
        return Files.write(dir.resolve("questions.txt"), List.of(": planted",
                g.get(0).get(0) + " " + g.get(0).get(1) + " " + g.get(1).get(0) + " " + g.get(1).get(1),
                g.get(1).get(0) + " " + g.get(1).get(1) + " " + g.get(2).get(0) + " " + g.get(2).get(1),
                g.get(2).get(0) + " " + g.get(2).get(1) + " " + g.get(0).get(0) + " " + g.get(0).get(1),
                g.get(0).get(0) + " " + g.get(0).get(1) + " " + g.get(1).get(0) + " unicorn"));
    }

    private Map<String, Object> params(Object... kv) {
        Map<String, Object> given = new HashMap<>(Map.of("dim", 20, "minCount", 1));
        for (int i = 0; i < kv.length; i += 2) given.put((String) kv[i], kv[i + 1]);
        return FAMILY.params().resolve(given, "$.params");
    }

    @Test
    void a_run_records_analogy_accuracy_with_coverage_and_both_similarity_scores() throws IOException {
        String sim = similarity().toString();
        RecordingSink sink = Word2VecTest.train(CORPUS, 2, "epochs", 3, "analogy", analogies().toString(),
                "wordsim", sim, "simlex", sim);
        assertThat(sink.last("analogy_coverage")).isEqualTo(0.75);
        assertThat(sink.last("analogy_questions")).isEqualTo(3);
        assertThat(sink.last("analogy_acc")).isBetween(0.0, 1.0);
        assertThat(sink.last("wordsim_spearman")).isGreaterThan(0.6);
        assertThat(sink.last("simlex_spearman")).isEqualTo(sink.last("wordsim_spearman"));
        assertThat(sink.last("wordsim_coverage")).isLessThan(1).isGreaterThan(0.9);
    }

    @Test
    void untrained_vectors_score_near_zero_on_the_same_pairs() throws IOException {
        RecordingSink sink = Word2VecTest.train(CORPUS, 1, "epochs", 1, "lr", 1e-9, "wordsim", similarity().toString());
        assertThat(Math.abs(sink.last("wordsim_spearman"))).isLessThan(0.5);
    }

    @Test
    void without_evaluation_files_no_score_is_recorded() throws IOException {
        RecordingSink sink = Word2VecTest.train(CORPUS, 1, "epochs", 1);
        assertThat(sink.values("analogy_acc")).isEmpty();
        assertThat(sink.values("wordsim_spearman")).isEmpty();
    }

    @Test
    void an_analogy_file_in_an_unknown_format_is_refused_at_planning_naming_param_line_and_format() throws IOException {
        Path csv = Files.writeString(dir.resolve("questions.csv"), "a,b,c,d\n");
        assertThatThrownBy(() -> FAMILY.checkFits(params("analogy", csv.toString()), CORPUS))
                .isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("$.params.analogy").hasMessageContaining("line 1").hasMessageContaining("questions-words.txt");
    }

    @Test
    void a_missing_file_and_a_missing_catalog_file_are_refused_at_planning() {
        assertThatThrownBy(() -> FAMILY.checkFits(params("wordsim", dir.resolve("nope.tsv").toString()), CORPUS))
                .isInstanceOf(InvalidParamException.class).hasMessageContaining("$.params.wordsim").hasMessageContaining("no file");
        String previous = System.getProperty(RunEvaluation.DATA_DIR_PROPERTY);
        System.setProperty(RunEvaluation.DATA_DIR_PROPERTY, dir.toString());
        try {
            assertThatThrownBy(() -> FAMILY.checkFits(params("simlex", "simlex999"), CORPUS))
                    .isInstanceOf(InvalidParamException.class).hasMessageContaining("$.params.simlex")
                    .hasMessageContaining(dir.resolve("analogy").resolve("simlex999.txt").toString());
        } finally {
            if (previous == null) System.clearProperty(RunEvaluation.DATA_DIR_PROPERTY);
            else System.setProperty(RunEvaluation.DATA_DIR_PROPERTY, previous);
        }
    }

    @Test
    void catalog_names_resolve_in_the_data_directory() throws IOException {
        Files.createDirectories(dir.resolve("analogy"));
        Files.copy(similarity(), dir.resolve("analogy").resolve("wordsim353.tsv"));
        String previous = System.getProperty(RunEvaluation.DATA_DIR_PROPERTY);
        System.setProperty(RunEvaluation.DATA_DIR_PROPERTY, dir.toString());
        try {
            assertThat(RunEvaluation.of(params("wordsim", "wordsim353")).wordsim().pairs()).hasSize(4 * GROUPS.groups().size() + 1);
        } finally {
            if (previous == null) System.clearProperty(RunEvaluation.DATA_DIR_PROPERTY);
            else System.setProperty(RunEvaluation.DATA_DIR_PROPERTY, previous);
        }
    }

    @Test
    void skip_gram_with_negatives_shared_per_centre_word_recovers_the_planted_groups() throws IOException {
        RecordingSink sink = Word2VecTest.train(CORPUS, 2, "model", "skipgram", "epochs", 3, "sharedNegatives", true);
        assertThat(Word2VecTest.groupRecovery(Word2VecTest.vectors(sink))).isGreaterThan(0.9);
        assertThat(sink.last("epoch_loss")).isFinite().isGreaterThan(0);
    }
}
