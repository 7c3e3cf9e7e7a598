package dev.nnlab.data;

import dev.nnlab.data.TokenStreams.Level;
import dev.nnlab.data.TokenStreams.Part;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TokenStreamsTest {

    static TokenStreams words(String train, String validation, String test) {
        TokenStreams.Builder b = TokenStreams.builder("t", Level.WORD);
        String[][] parts = {train.split("\n"), validation.split("\n"), test.split("\n")};
        for (Part p : Part.values()) {
            for (String line : parts[p.ordinal()]) {
                String[] w = TextLines.words(line);
                if (w.length == 0) continue;
                for (String x : w) b.add(p, x);
                b.endLine(p);
            }
        }
        return b.build("sha256:x", 0);
    }

    @Test
    void word_streams_end_every_line_in_eos_and_order_the_vocabulary_by_training_count() {
        TokenStreams t = words("b a b\nc b", "a", "b");
        Vocabulary v = t.vocabulary();
        assertThat(v.tokens()).containsExactly("<unk>", "<eos>", "b", "a", "c");
        assertThat(v.count(v.id("b"))).isEqualTo(3);
        assertThat(v.count(v.eosId())).isEqualTo(2);
        assertThat(t.train()).containsExactly(2, 3, 2, 1, 4, 2, 1);
        assertThat(t.validation()).containsExactly(3, 1);
    }

    @Test
    void tokens_missing_from_the_training_part_and_a_literal_unk_are_unk() {
        TokenStreams t = words("x <unk> y", "x zebra", "<unk>");
        Vocabulary v = t.vocabulary();
        assertThat(v.contains("zebra")).isFalse();
        assertThat(t.validation()).containsExactly(v.id("x"), v.unkId(), v.eosId());
        assertThat(t.test()).containsExactly(v.unkId(), v.eosId());
        assertThat(v.tokens().stream().filter(s -> s.equals("<unk>"))).hasSize(1);
        assertThat(v.count(v.unkId())).isEqualTo(1);
    }

    @Test
    void character_streams_have_no_eos_and_keep_the_newline_as_a_token() {
        TokenStreams.Builder b = TokenStreams.builder("c", Level.CHARACTER);
        for (String ch : new String[]{"a", "b", "\n", "a"}) b.add(Part.TRAIN, ch);
        b.endLine(Part.TRAIN); // no-op at character level
        b.add(Part.VALIDATION, "z");
        TokenStreams t = b.build("sha256:y", 0);
        assertThat(t.vocabulary().eosId()).isEqualTo(-1);
        assertThat(t.vocabulary().tokens()).containsExactly("<unk>", "a", "\n", "b");
        assertThat(t.train()).hasSize(4);
        assertThat(t.validation()).containsExactly(0);
    }

    @Test
    void a_vocabulary_size_keeps_the_most_frequent_and_folds_the_rest_into_unk() {
        TokenStreams t = words("a a a b b c d", "d c b a", "");
        TokenStreams cut = t.withVocabularySize(4); // <unk>, <eos>, a, b
        assertThat(cut.vocabulary().tokens()).containsExactly("<unk>", "<eos>", "a", "b");
        assertThat(cut.vocabulary().count(0)).isEqualTo(2); // c and d
        assertThat(cut.validation()).containsExactly(0, 0, 3, 2, 1);
        assertThat(t.withVocabularySize(0)).isSameAs(t);
        assertThatThrownBy(() -> t.withVocabularySize(2)).hasMessageContaining("holds nothing but <unk> and <eos>");
    }

    @Test
    void unigram_perplexity_is_the_add_one_smoothed_training_distribution_on_the_part() {
        TokenStreams t = words("a a b", "a b", "");
        // counts: <unk> 0, <eos> 1, a 2, b 1; total 4, V 4: p(a) = 3/8, p(b) = 2/8, p(<eos>) = 2/8
        double expected = Math.exp(-(Math.log(3 / 8.0) + Math.log(2 / 8.0) + Math.log(2 / 8.0)) / 3);
        assertThat(t.unigramPerplexity(t.validation())).isCloseTo(expected, within(1e-12));
    }

    @Test
    void an_empty_training_part_is_refused() {
        assertThatThrownBy(() -> TokenStreams.builder("e", Level.WORD).add(Part.TEST, "a").build("s", 0))
                .hasMessageContaining("e: the training part holds no tokens");
    }

    @Test
    void vocabulary_from_counts_breaks_ties_by_token_so_ids_are_the_same_everywhere() {
        Vocabulary v = Vocabulary.fromCounts(Map.of("b", 2L, "a", 2L, "c", 5L), false, 0);
        assertThat(v.tokens()).containsExactly("<unk>", "c", "a", "b");
        assertThat(v.id("never")).isEqualTo(v.unkId());
    }
}
