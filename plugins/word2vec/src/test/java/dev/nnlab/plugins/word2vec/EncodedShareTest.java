package dev.nnlab.plugins.word2vec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncodedShareTest {
    private static List<List<Integer>> replay(EncodedShare s) {
        List<List<Integer>> out = new ArrayList<>();
        for (int k = 0; k < s.sentences(); k++) {
            List<Integer> sentence = new ArrayList<>();
            for (int i = s.sentenceStart(k); i < s.sentenceEnd(k); i++) sentence.add(s.id(i));
            out.add(sentence);
        }
        return out;
    }

    @Test
    void a_recorded_share_replays_its_sentences_in_order_skipping_empty_ones() {
        EncodedShare s = new EncodedShare(1 << 20);
        assertThat(s.recording()).isTrue();
        s.add(3); s.add(1); s.endSentence();
        s.endSentence(); // a line of out-of-vocabulary words only
        for (int i = 0; i < 70_000; i++) s.add(i % 7); // past the first growth
        s.endSentence();
        assertThat(s.replayable()).isFalse();
        s.finish();
        assertThat(s.replayable()).isTrue();
        List<List<Integer>> r = replay(s);
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).containsExactly(3, 1);
        assertThat(r.get(1)).hasSize(70_000).startsWith(0, 1, 2);
    }

    @Test
    void a_share_over_its_budget_stops_recording_and_is_never_replayed() {
        EncodedShare s = new EncodedShare(4 * 70_000);
        for (int i = 0; i < 100_000; i++) s.add(i);
        s.endSentence();
        s.finish();
        assertThat(s.replayable()).isFalse();
        assertThat(s.recording()).isFalse();
        assertThat(s.heapBytes()).isZero();
    }

    @Test
    void a_share_cut_short_by_a_stop_is_discarded() {
        EncodedShare s = new EncodedShare(1 << 20);
        s.add(1);
        s.endSentence();
        s.discard();
        s.finish();
        assertThat(s.replayable()).isFalse();
    }

    @Test
    void the_word_index_finds_every_word_and_nothing_else() {
        String[] words = new String[5000];
        for (int i = 0; i < words.length; i++) words[i] = "w" + i;
        WordIndex index = new WordIndex(words);
        for (int i = 0; i < words.length; i++) assertThat(index.indexOf(new String("w" + i))).isEqualTo(i);
        assertThat(index.indexOf("w5000")).isEqualTo(-1);
        assertThat(index.indexOf("")).isEqualTo(-1);
        assertThatThrownBy(() -> new WordIndex(new String[] {"a", "b", "a"})).hasMessageContaining("'a' is listed twice");
    }
}
