package dev.nnlab.plugins.word2vec;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NegativeSamplerTest {

    @Test
    void draws_follow_the_unigram_distribution_to_the_three_quarters() {
        long[] counts = {1000, 300, 81, 16, 1};
        NegativeSampler s = new NegativeSampler(counts);
        double sum = 0;
        for (long c : counts) sum += Math.pow(c, 0.75);
        int[] hits = new int[counts.length];
        SplittableRandom r = new SplittableRandom(3);
        int draws = 400_000;
        for (int i = 0; i < draws; i++) hits[s.sample(r.nextLong())]++;
        for (int w = 0; w < counts.length; w++) {
            double expected = Math.pow(counts[w], 0.75) / sum;
            assertThat(s.probabilityOf(w)).as("table probability of %d", w).isCloseTo(expected, within(1e-6));
            assertThat(hits[w] / (double) draws).as("drawn share of %d", w).isCloseTo(expected, within(0.004));
        }
    }

    @Test
    void the_table_takes_eight_bytes_a_word_where_word2vec_c_takes_400_mb() {
        long[] counts = new long[50_000];
        for (int i = 0; i < counts.length; i++) counts[i] = 1_000_000 / (i + 1) + 1;
        assertThat(new NegativeSampler(counts).heapBytes()).isLessThan(8L * counts.length + 64);
    }

    @Test
    void a_single_word_is_always_drawn() {
        NegativeSampler s = new NegativeSampler(new long[] {5});
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) assertThat(s.sample(r.nextLong())).isZero();
    }
}
