package dev.nnlab.nn;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RangeTest {

    @Test
    void open_and_closed_ends_decide_whether_the_bound_itself_is_allowed() {
        Range r = Range.closedOpen(0, 1);
        assertThat(r.contains(0)).isTrue();
        assertThat(r.contains(0.999)).isTrue();
        assertThat(r.contains(1)).isFalse();
        assertThat(r.contains(-1e-9)).isFalse();
        assertThat(Range.above(0).contains(0)).isFalse();
        assertThat(Range.above(0).contains(1e-300)).isTrue();
        assertThat(Range.ANY.contains(-1e300)).isTrue();
    }

    @Test
    void non_finite_values_are_never_allowed() {
        for (Range r : new Range[] {Range.ANY, Range.atLeast(0), Range.closed(0, 1)}) {
            assertThat(r.contains(Double.NaN)).isFalse();
            assertThat(r.contains(Double.POSITIVE_INFINITY)).isFalse();
            assertThat(r.contains(Double.NEGATIVE_INFINITY)).isFalse();
        }
    }

    @Test
    void intersecting_keeps_the_tighter_end_and_the_open_one_on_a_tie() {
        Range both = Range.openClosed(0, 1).intersect(Range.above(0)).intersect(Range.atLeast(0));
        assertThat(both).isEqualTo(Range.openClosed(0, 1));
        assertThat(Range.closed(0, 1).intersect(Range.closedOpen(0, 1))).isEqualTo(Range.closedOpen(0, 1));
        assertThat(Range.atLeast(1).intersect(Range.closed(2, 16))).isEqualTo(Range.closed(2, 16));
        assertThat(Range.atLeast(0).atMost(100)).isEqualTo(Range.closed(0, 100));
        assertThat(Range.atLeast(0).encloses(Range.closed(0, 100))).isTrue();
        assertThat(Range.closed(0, 100).encloses(Range.atLeast(0))).isFalse();
        assertThatThrownBy(() -> Range.atLeast(2).intersect(Range.closed(0, 1))).hasMessageContaining("empty range");
    }

    @Test
    void a_refusal_names_owner_field_value_and_rule_and_an_allowed_value_passes_through() {
        assertThat(Range.closedOpen(0, 1).require("dropout", "p", 0.5f)).isEqualTo(0.5f);
        assertThatThrownBy(() -> Range.closedOpen(0, 1).require("dropout", "p", 1f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dropout: p = 1.0 is not allowed; expected a number >= 0 and < 1");
        assertThatThrownBy(() -> Range.atLeast(1).require("schedule 'step'", "stepEpochs", 0))
                .hasMessage("schedule 'step': stepEpochs = 0 is not allowed; expected an integer >= 1");
        assertThatThrownBy(() -> Range.ANY.require("", "x", Double.NaN)).hasMessage("x = NaN is not allowed; expected a finite number");
        // A bound that came from a float reads as the float was written.
        assertThat(Range.closedOpen(0, 0.1f).describe()).isEqualTo(">= 0 and < 0.1");
    }
}
