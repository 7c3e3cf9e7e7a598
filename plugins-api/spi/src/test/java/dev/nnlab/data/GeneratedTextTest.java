package dev.nnlab.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GeneratedTextTest {

    @Test
    void markov_text_has_the_entropy_rate_it_claims() {
        MarkovText chain = MarkovText.standard(0);
        TokenStreams t = chain.generate("m", 200_000, 10, 10, 5);
        int[] x = t.train();
        int v = t.vocabulary().size();
        long[][] pairs = new long[v][v];
        long[] rows = new long[v];
        for (int i = 1; i < x.length; i++) {
            pairs[x[i - 1]][x[i]]++;
            rows[x[i - 1]]++;
        }
        double h = 0;
        for (int a = 0; a < v; a++) {
            for (int b = 0; b < v; b++) {
                if (pairs[a][b] > 0) h -= (double) pairs[a][b] / (x.length - 1) * Math.log((double) pairs[a][b] / rows[a]);
            }
        }
        // The empirical conditional entropy of a long walk converges to the chain's entropy rate.
        assertThat(h).isCloseTo(chain.entropyRate(), within(0.02));
        assertThat(chain.entropyRate()).isLessThan(chain.unigramEntropy() - 1);
        assertThat(t.vocabulary().size()).isEqualTo(MarkovText.DEFAULT_STATES + 1); // the states, <eos> among them, and <unk>
    }

    @Test
    void markov_text_is_the_same_for_the_same_seeds() {
        TokenStreams a = MarkovText.standard(3).generate("m", 500, 50, 50, 1);
        TokenStreams b = MarkovText.standard(3).generate("m", 500, 50, 50, 1);
        assertThat(a.train()).containsExactly(b.train());
        assertThat(a.checksum()).isEqualTo(b.checksum())
                .isNotEqualTo(MarkovText.standard(3).generate("m", 500, 50, 50, 2).checksum());
    }

    @Test
    void word_groups_sentences_mix_words_of_one_group_with_fillers_only() throws IOException {
        WordGroups g = WordGroups.standard(0);
        TextCorpus c = g.corpus("word-groups");
        assertThat(c.totalWords()).isEqualTo((long) WordGroups.DEFAULT_SENTENCES * WordGroups.DEFAULT_SENTENCE_LENGTH);
        assertThat(c.wordCounts().size()).isEqualTo(WordGroups.DEFAULT_GROUPS * WordGroups.DEFAULT_WORDS_PER_GROUP + WordGroups.DEFAULT_FILLERS);
        Set<String> fillers = new HashSet<>(g.fillers());
        int sentences = 0;
        try (SentenceReader r = c.sentences()) {
            for (String[] s = r.next(); s != null; s = r.next()) {
                sentences++;
                Set<Integer> groupsSeen = new HashSet<>();
                for (String w : s) {
                    if (fillers.contains(w)) continue;
                    for (int i = 0; i < g.groups().size(); i++) if (g.groups().get(i).contains(w)) groupsSeen.add(i);
                }
                assertThat(groupsSeen).hasSizeLessThanOrEqualTo(1);
            }
        }
        assertThat(sentences).isEqualTo(WordGroups.DEFAULT_SENTENCES);
        List<String> first = g.groups().getFirst();
        assertThat(first).hasSize(WordGroups.DEFAULT_WORDS_PER_GROUP);
    }

    @Test
    void in_memory_shares_cover_every_sentence_once() throws IOException {
        SentenceSource s = SentenceSource.of(List.of(new String[]{"a"}, new String[]{"b"}, new String[]{"c"}, new String[]{"d"}, new String[]{"e"}));
        StringBuilder seen = new StringBuilder();
        for (int p = 0; p < 3; p++) {
            try (SentenceReader r = s.open(p, 3)) {
                for (String[] x = r.next(); x != null; x = r.next()) seen.append(x[0]);
            }
        }
        assertThat(seen.toString()).isEqualTo("abcde");
    }
}
