package dev.nnlab.plugins.word2vec.eval;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluationTest {
    /** man -> king is woman -> queen along the third axis; apple points away from all of them. */
    static final WordVectors VECTORS = new WordVectors(new String[] {"man", "king", "woman", "queen", "apple"}, new float[] {
            1, 0, 0,
            1, 0, 1,
            0, 1, 0,
            0, 1, 1,
            0, 0, -1}, 3, 3);

    static BufferedReader text(String s) { return new BufferedReader(new StringReader(s)); }

    @Test
    void spearman_equals_the_hand_computed_value_with_ties_sharing_their_mean_rank() {
        // Ranks of y: 1, 2, 3.5, 5, 3.5; deviations (-2,-1,0,1,2) and (-2,-1,.5,2,.5): 8 / sqrt(10 * 9.5).
        assertThat(Spearman.correlation(new double[] {1, 2, 3, 4, 5}, new double[] {5, 6, 7, 8, 7}))
                .isCloseTo(8 / Math.sqrt(95), within(1e-12));
        // Without ties it is 1 - 6 sum d^2 / (n (n^2 - 1)) = 1 - 12 / 60.
        assertThat(Spearman.correlation(new double[] {1, 2, 3, 4}, new double[] {10, 30, 20, 40})).isCloseTo(0.8, within(1e-12));
        assertThat(Spearman.correlation(new double[] {1, 2, 3}, new double[] {3, 2, 1})).isCloseTo(-1, within(1e-12));
    }

    @Test
    void analogies_are_answered_by_three_cos_add_and_unknown_words_only_lower_coverage() throws IOException {
        AnalogyQuestions q = AnalogyQuestions.read(text("""
                : gender
                Man King Woman Queen
                man king woman apple
                man king prince princess
                """), "test");
        assertThat(q.questions()).hasSize(3);
        assertThat(q.questions().getFirst().section()).isEqualTo("gender");
        AnalogyQuestions.Score s = q.score(VECTORS);
        assertThat(s.asked()).isEqualTo(2);
        assertThat(s.correct()).isEqualTo(1);
        assertThat(s.accuracy()).isEqualTo(0.5);
        assertThat(s.coverage()).isCloseTo(2 / 3.0, within(1e-12));
    }

    @Test
    void an_analogy_file_in_another_format_is_refused_at_its_first_bad_line() {
        assertThatThrownBy(() -> AnalogyQuestions.read(text(": s\nman king woman queen\nman,king,woman,queen\n"), "q.csv"))
                .isInstanceOf(EvaluationFormatException.class)
                .hasMessageContaining("q.csv line 3").hasMessageContaining("man,king,woman,queen")
                .hasMessageContaining("questions-words.txt");
        assertThatThrownBy(() -> AnalogyQuestions.read(text("# only a comment\n"), "empty.txt"))
                .isInstanceOf(EvaluationFormatException.class).hasMessageContaining("before any question");
    }

    @Test
    void similarity_pairs_skip_comments_and_correlate_ratings_with_cosines() throws IOException {
        SimilarityPairs p = SimilarityPairs.read(text("""
                # Word 1\tWord 2\tHuman (mean)
                king\tqueen\t8.5
                man\tking\t7.0
                Woman\tApple\t0.5
                man\tunicorn\t3
                """), "ws.tsv");
        assertThat(p.pairs()).hasSize(4);
        SimilarityPairs.Score s = p.score(VECTORS);
        // cos(king, queen) = 0.5, cos(man, king) = 0.707, cos(woman, apple) = 0: ranks 2, 3, 1 against 3, 2, 1.
        assertThat(s.asked()).isEqualTo(3);
        assertThat(s.coverage()).isEqualTo(0.75);
        assertThat(s.spearman()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void a_similarity_file_without_numeric_ratings_is_refused() {
        assertThatThrownBy(() -> SimilarityPairs.read(text("word1\tword2\tPOS\tSimLex999\nold\tnew\tA\t1.58\n"), "SimLex-999.txt"))
                .isInstanceOf(EvaluationFormatException.class)
                .hasMessageContaining("SimLex-999.txt line 1").hasMessageContaining("word1<TAB>word2<TAB>number");
        assertThatThrownBy(() -> SimilarityPairs.read(text("a b 3\n"), "spaces.txt"))
                .isInstanceOf(EvaluationFormatException.class).hasMessageContaining("line 1");
    }

    @Test
    void nearest_neighbours_are_ranked_by_cosine_and_exclude_the_query() {
        List<Neighbour> n = VECTORS.nearest("king", 2);
        assertThat(n).extracting(Neighbour::word).containsExactly("man", "queen");
        assertThat(n.getFirst().similarity()).isCloseTo(Math.sqrt(0.5), within(1e-6));
    }

    @Test
    void a_query_word_outside_the_vocabulary_is_refused_by_name() {
        assertThatThrownBy(() -> VECTORS.nearest("unicorn", 3)).isInstanceOf(UnknownWordException.class)
                .hasMessageContaining("'unicorn' is not in the vocabulary of 5 words");
    }
}
