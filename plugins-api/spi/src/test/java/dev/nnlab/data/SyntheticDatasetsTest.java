package dev.nnlab.data;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SyntheticDatasetsTest {

    @Test
    void spirals_have_k_times_n_points_with_n_per_class_grouped_by_class() {
        Dataset d = Spirals.generate(4, 50, 0.2, 7);
        assertThat(d.features().shape()).containsExactly(200, 2);
        assertThat(d.classCounts()).containsExactly(50, 50, 50, 50);
        assertThat(d.labels()[49]).isEqualTo(0);
        assertThat(d.labels()[50]).isEqualTo(1);
        assertThat(d.hasTestPart()).isFalse();
    }

    @Test
    void spiral_point_i_of_class_j_has_radius_i_over_n_minus_1_and_angle_from_4j() {
        Dataset d = Spirals.generate(3, 5, 0.0, 1);
        // class 2, point 4 (the arm's tip): r = 1, t = 4*2 + 4 = 12
        assertThat(d.features().get(14, 0)).isCloseTo((float) Math.sin(12), within(1e-6f));
        assertThat(d.features().get(14, 1)).isCloseTo((float) Math.cos(12), within(1e-6f));
        // class 1, point 2: r = 0.5, t = 4 + 2 = 6
        assertThat(d.features().get(7, 0)).isCloseTo((float) (0.5 * Math.sin(6)), within(1e-6f));
        assertThat(d.features().get(7, 1)).isCloseTo((float) (0.5 * Math.cos(6)), within(1e-6f));
    }

    @Test
    void spiral_noise_moves_the_angle_but_never_the_radius() {
        Dataset d = Spirals.generate(3, 11, 0.5, 3);
        for (int row = 0; row < 33; row++) {
            double r = Math.hypot(d.features().get(row, 0), d.features().get(row, 1));
            assertThat(r).isCloseTo((row % 11) / 10.0, within(1e-6));
        }
    }

    @Test
    void generators_are_deterministic_per_seed_and_differ_across_seeds() {
        assertThat(Spirals.generate(3, 100, 0.2, 5).features().toArray())
                .containsExactly(Spirals.generate(3, 100, 0.2, 5).features().toArray());
        assertThat(Spirals.generate(3, 100, 0.2, 5).features().toArray())
                .isNotEqualTo(Spirals.generate(3, 100, 0.2, 6).features().toArray());
        assertThat(GaussianBlobs.generate(3, 4, 20, 1.0, 5).features().toArray())
                .containsExactly(GaussianBlobs.generate(3, 4, 20, 1.0, 5).features().toArray());
        assertThat(Xor.generate(30, 0.1, 9).features().toArray())
                .containsExactly(Xor.generate(30, 0.1, 9).features().toArray());
        assertThat(Xor.generate(30, 0.1, 9).features().toArray())
                .isNotEqualTo(Xor.generate(30, 0.1, 10).features().toArray());
    }

    @Test
    void checksum_identifies_generator_parameters_and_seed() {
        String base = Spirals.generate(3, 100, 0.2, 5).checksum();
        assertThat(Spirals.generate(3, 100, 0.2, 5).checksum()).isEqualTo(base);
        assertThat(Spirals.generate(3, 100, 0.2, 6).checksum()).isNotEqualTo(base);
        assertThat(Spirals.generate(3, 100, 0.3, 5).checksum()).isNotEqualTo(base);
        assertThat(Spirals.generate(3, 101, 0.2, 5).checksum()).isNotEqualTo(base);
        assertThat(Xor.generate(100, 0.2, 5).checksum()).isNotEqualTo(base);
    }

    @Test
    void blobs_have_n_per_class_and_the_requested_spread_around_centers_in_the_box() {
        int n = 2000, dims = 3;
        Dataset d = GaussianBlobs.generate(2, dims, n, 0.5, 11);
        assertThat(d.features().shape()).containsExactly(2 * n, dims);
        assertThat(d.classCounts()).containsExactly(n, n);
        for (int c = 0; c < 2; c++) {
            Dataset part = d.subset("c", range(c * n, n));
            double[] mean = FeatureStatistics.mean(part.features());
            double[] std = FeatureStatistics.std(part.features(), mean);
            for (int j = 0; j < dims; j++) {
                assertThat(Math.abs(mean[j])).isLessThan(10.0 + 0.1);
                // sample std of 2000 normals: relative standard error ~1.6%
                assertThat(std[j]).isCloseTo(0.5, within(0.05));
            }
        }
    }

    @Test
    void noiseless_xor_puts_class_0_where_signs_agree_and_class_1_where_they_differ() {
        Dataset d = Xor.generate(200, 0.0, 4);
        assertThat(d.classCounts()).containsExactly(200, 200);
        int[] quadrantCounts = new int[4];
        for (int row = 0; row < 400; row++) {
            float x = d.features().get(row, 0), y = d.features().get(row, 1);
            assertThat(Math.abs(x)).isLessThan(1f);
            assertThat(Math.abs(y)).isLessThan(1f);
            assertThat(x * y >= 0).isEqualTo(d.labels()[row] == 0);
            quadrantCounts[(x >= 0 ? 0 : 1) + (y >= 0 ? 0 : 2)]++;
        }
        assertThat(quadrantCounts).containsExactly(100, 100, 100, 100);
    }

    static int[] range(int from, int count) {
        int[] r = new int[count];
        for (int i = 0; i < count; i++) r[i] = from + i;
        return r;
    }
}
