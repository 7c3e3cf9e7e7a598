package dev.nnlab.training;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SplitTest {

    private static int[] all(Split s) {
        return IntStream.concat(IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.val())), Arrays.stream(s.test()))
                .sorted().toArray();
    }

    @Test
    void random_split_has_the_rounded_sizes_and_is_disjoint_and_complete() {
        Split s = Split.random(101, 0.7, 0.2, 42);
        // round(70.7) = 71, round(20.2) = 20, the rest 10.
        assertThat(s.train()).hasSize(71);
        assertThat(s.val()).hasSize(20);
        assertThat(s.test()).hasSize(10);
        assertThat(all(s)).containsExactly(IntStream.range(0, 101).toArray());
        assertThat(s.train()).isSorted();
    }

    @Test
    void same_seed_gives_the_same_split_and_another_seed_a_different_one() {
        Split a = Split.random(200, 0.8, 0.1, 42);
        Split b = Split.random(200, 0.8, 0.1, 42);
        Split c = Split.random(200, 0.8, 0.1, 43);
        assertThat(a.train()).containsExactly(b.train());
        assertThat(a.val()).containsExactly(b.val());
        assertThat(a.test()).containsExactly(b.test());
        assertThat(Arrays.equals(a.val(), c.val())).isFalse();
    }

    @Test
    void fractions_summing_to_one_leave_no_test_part_and_overflowing_ones_are_refused() {
        Split s = Split.random(3, 0.5, 0.5, 1);
        assertThat(s.train().length + s.val().length).isEqualTo(3);
        assertThat(s.test()).isEmpty();
        assertThatThrownBy(() -> Split.random(10, 0.8, 0.3, 1)).hasMessageContaining("must be <= 1");
    }

    @Test
    void stratified_split_keeps_each_class_share_in_every_part() {
        int[] labels = new int[100];
        for (int i = 0; i < 100; i++) labels[i] = i < 80 ? 0 : 1; // 80 of class 0, 20 of class 1
        Split s = Split.stratified(labels, 0.5, 0.25, 9);
        assertThat(count(s.train(), labels, 0)).isEqualTo(40);
        assertThat(count(s.train(), labels, 1)).isEqualTo(10);
        assertThat(count(s.val(), labels, 0)).isEqualTo(20);
        assertThat(count(s.val(), labels, 1)).isEqualTo(5);
        assertThat(count(s.test(), labels, 0)).isEqualTo(20);
        assertThat(count(s.test(), labels, 1)).isEqualTo(5);
        assertThat(all(s)).containsExactly(IntStream.range(0, 100).toArray());
        assertThat(Split.stratified(labels, 0.5, 0.25, 9).train()).containsExactly(s.train());
    }

    private static int count(int[] part, int[] labels, int c) {
        int n = 0;
        for (int i : part) if (labels[i] == c) n++;
        return n;
    }

    @Test
    void stratified_sample_takes_exactly_n_with_the_left_over_seats_by_largest_remainder() {
        int[] labels = {0, 0, 0, 0, 0, 1, 1, 1, 2, 2}; // shares 5:3:2
        int[] pick = Split.stratifiedSample(labels, 5, 7);
        // exact seats 2.5, 1.5, 1.0: floors 2+1+1, the fifth seat to the larger remainder (a tie: class 0)
        assertThat(pick).hasSize(5).isSorted().doesNotHaveDuplicates();
        assertThat(count(pick, labels, 0)).isEqualTo(3);
        assertThat(count(pick, labels, 1)).isEqualTo(1);
        assertThat(count(pick, labels, 2)).isEqualTo(1);
        assertThat(Split.stratifiedSample(labels, 5, 7)).containsExactly(pick);
        assertThat(Split.stratifiedSample(labels, 10, 7)).containsExactly(IntStream.range(0, 10).toArray());
        assertThatThrownBy(() -> Split.stratifiedSample(labels, 11, 7)).hasMessageContaining("n = 11 must be in [0, 10]");
    }
}
