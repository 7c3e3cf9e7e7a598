package dev.nnlab.runs;

import dev.nnlab.store.MetricSeries;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurveSamplerTest {

    static MetricSeries series(double... values) {
        int n = values.length;
        long[] steps = new long[n], wall = new long[n];
        double[] epochs = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = 10L * i;
            wall[i] = 1000 + i;
            epochs[i] = i / 2.0;
        }
        return new MetricSeries(7, "loss", n, steps, epochs, wall, values);
    }

    @Test
    void ten_points_in_three_buckets_split_3_3_4_and_report_each_buckets_last_point_and_range() {
        // Buckets [0,3), [3,6), [6,10): floor(b*10/3) = 0, 3, 6, 10.
        List<CurveSampler.Sample> s = CurveSampler.bucketed(series(5, 1, 3, 9, 2, 4, 8, 0, 7, 6), 3);
        assertThat(s).containsExactly(
                new CurveSampler.Sample(20, 1.0, 1002, 3, 1, 5),
                new CurveSampler.Sample(50, 2.5, 1005, 4, 2, 9),
                new CurveSampler.Sample(90, 4.5, 1009, 6, 0, 8));
    }

    @Test
    void a_series_no_longer_than_max_points_is_returned_point_by_point() {
        List<CurveSampler.Sample> s = CurveSampler.bucketed(series(1, 2), 5);
        assertThat(s).containsExactly(new CurveSampler.Sample(0, 0, 1000, 1, 1, 1), new CurveSampler.Sample(10, 0.5, 1001, 2, 2, 2));
    }

    @Test
    void nan_is_skipped_by_min_and_max_but_kept_as_a_last_value() {
        List<CurveSampler.Sample> s = CurveSampler.bucketed(series(Double.NaN, 4, 2, Double.NaN, Double.NaN, Double.NaN), 2);
        assertThat(s.get(0).min()).isEqualTo(2);
        assertThat(s.get(0).max()).isEqualTo(4);
        assertThat(s.get(0).value()).isEqualTo(2);
        assertThat(s.get(1).value()).isNaN();
        assertThat(s.get(1).min()).isNaN();
        assertThat(s.get(1).max()).isNaN();
    }

    @Test
    void one_bucket_covers_everything() {
        List<CurveSampler.Sample> s = CurveSampler.bucketed(series(3, -1, 2), 1);
        assertThat(s).containsExactly(new CurveSampler.Sample(20, 1.0, 1002, 2, -1, 3));
    }

    @Test
    void raw_gives_every_point_with_min_and_max_equal_to_its_value() {
        assertThat(CurveSampler.raw(series(3, 4))).extracting(CurveSampler.Sample::max).containsExactly(3.0, 4.0);
        assertThatThrownBy(() -> CurveSampler.bucketed(series(1), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
