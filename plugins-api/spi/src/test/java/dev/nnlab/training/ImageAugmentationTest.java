package dev.nnlab.training;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageAugmentationTest {

    /** (b, c, h, w) images with pixel value 1 + its index: every pixel distinct and non-zero. */
    private static Tensor ramp(int b, int c, int h, int w) {
        float[] x = new float[b * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        return Tensor.of(x, b, c, h, w);
    }

    @Test
    void flip_mirrors_every_row_of_every_channel_exactly() {
        Tensor t = ramp(1, 2, 2, 3);
        ImageAugmentation.flip(t.data, 0, 2, 2, 3);
        assertThat(t.data).containsExactly(3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10);
    }

    @Test
    void flip_happens_to_about_half_of_the_images_and_each_is_then_exact() {
        int n = 400;
        Tensor t = ramp(n, 1, 1, 4);
        new ImageAugmentation(true, 0, 1f, 0f, 3).apply(t, 0);
        int flipped = 0;
        for (int i = 0; i < n; i++) {
            float a = 4 * i + 1;
            float[] row = {t.data[4 * i], t.data[4 * i + 1], t.data[4 * i + 2], t.data[4 * i + 3]};
            if (row[0] == a + 3) {
                flipped++;
                assertThat(row).containsExactly(a + 3, a + 2, a + 1, a);
            } else {
                assertThat(row).containsExactly(a, a + 1, a + 2, a + 3);
            }
        }
        assertThat(flipped).isBetween(160, 240);
    }

    @Test
    void crop_with_padding_shifts_the_image_and_fills_the_border_with_zero() {
        Tensor t = ramp(1, 1, 3, 3);
        ImageAugmentation a = new ImageAugmentation(false, 2, 1f, 0f, 1);
        // out(y, x) = in(y + 1, x - 1): up one row, right one column.
        a.shift(t.data, 0, 1, 3, 3, 1, -1);
        assertThat(t.data).containsExactly(0, 4, 5, 0, 7, 8, 0, 0, 0);
    }

    @Test
    void random_crops_are_shifts_of_at_most_the_padding_and_keep_the_pixels_they_keep() {
        int n = 200, side = 8, pad = 2;
        Tensor t = ramp(n, 1, side, side);
        new ImageAugmentation(false, pad, 1f, 0f, 9).apply(t, 4);
        int moved = 0;
        for (int i = 0; i < n; i++) {
            // Find the shift from any kept pixel: pixel value v came from index v - 1.
            int o = i * side * side, dy = Integer.MIN_VALUE, dx = 0;
            for (int p = 0; p < side * side && dy == Integer.MIN_VALUE; p++) {
                float v = t.data[o + p];
                if (v != 0) {
                    int src = (int) v - 1 - o;
                    dy = src / side - p / side;
                    dx = src % side - p % side;
                }
            }
            assertThat(Math.abs(dy)).isLessThanOrEqualTo(pad);
            assertThat(Math.abs(dx)).isLessThanOrEqualTo(pad);
            if (dy != 0 || dx != 0) moved++;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int sy = y + dy, sx = x + dx;
                    float expected = sy >= 0 && sy < side && sx >= 0 && sx < side ? o + sy * side + sx + 1 : 0;
                    assertThat(t.data[o + y * side + x]).isEqualTo(expected);
                }
            }
        }
        // 24 of the 25 shifts move the image.
        assertThat(moved).isGreaterThan(n * 8 / 10);
    }

    @Test
    void scale_and_crop_of_the_whole_image_changes_nothing_and_a_half_window_is_stretched_bilinearly() {
        ImageAugmentation a = new ImageAugmentation(false, 0, 0.5f, 0f, 1);
        Tensor t = ramp(1, 1, 4, 4);
        a.zoom(t.data, 0, 1, 4, 4, 0, 0, 4, 4);
        assertThat(t.data).containsExactly(ramp(1, 1, 4, 4).data);
        // A 2x2 window at (1, 1) holds 6 7 / 10 11; stretched to 4x4, the corners keep its corners and a
        // row is 6, 6.25, 6.75, 7 (source x = (x + 0.5) / 2 - 0.5, clamped to the window).
        a.zoom(t.data, 0, 1, 4, 4, 1, 1, 2, 2);
        assertThat(t.data).containsExactly(
                6, 6.25f, 6.75f, 7,
                7, 7.25f, 7.75f, 8,
                9, 9.25f, 9.75f, 10,
                10, 10.25f, 10.75f, 11);
    }

    @Test
    void random_erasing_sets_one_rectangle_of_2_to_40_percent_to_zero_in_every_channel() {
        int n = 100, side = 16;
        Tensor t = ramp(n, 2, side, side);
        new ImageAugmentation(false, 0, 1f, 1f, 5).apply(t, 0);
        Tensor original = ramp(n, 2, side, side);
        for (int i = 0; i < n; i++) {
            int top = side, left = side, bottom = -1, right = -1, zeros = 0;
            for (int c = 0; c < 2; c++) {
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int k = ((i * 2 + c) * side + y) * side + x;
                        if (t.data[k] == 0) {
                            zeros++;
                            if (c == 0) {
                                top = Math.min(top, y);
                                bottom = Math.max(bottom, y);
                                left = Math.min(left, x);
                                right = Math.max(right, x);
                            }
                            assertThat(t.data[k + (c == 0 ? 1 : -1) * side * side]).as("both channels").isEqualTo(0f);
                        } else {
                            assertThat(t.data[k]).isEqualTo(original.data[k]);
                        }
                    }
                }
            }
            int area = (bottom - top + 1) * (right - left + 1);
            assertThat(zeros).as("a filled rectangle").isEqualTo(2 * area);
            assertThat(area).isBetween((int) Math.floor(0.02 * 256 * 0.5), (int) Math.ceil(0.4 * 256 * 1.5));
        }
    }

    @Test
    void the_same_seed_and_step_augment_identically_and_another_seed_or_step_does_not() {
        ImageAugmentation a = new ImageAugmentation(true, 3, 0.6f, 0.5f, 11), b = new ImageAugmentation(true, 3, 0.6f, 0.5f, 11);
        Tensor x = ramp(16, 3, 12, 12), y = ramp(16, 3, 12, 12), z = ramp(16, 3, 12, 12), s = ramp(16, 3, 12, 12);
        a.apply(x, 7);
        b.apply(y, 7);
        new ImageAugmentation(true, 3, 0.6f, 0.5f, 12).apply(z, 7);
        a.apply(s, 8);
        assertThat(java.util.Arrays.equals(x.data, y.data)).isTrue();
        assertThat(x.data).isNotEqualTo(z.data);
        assertThat(x.data).isNotEqualTo(s.data);
        assertThat(x.data).isNotEqualTo(ramp(16, 3, 12, 12).data);
    }

    @Test
    void parameters_at_their_defaults_turn_augmentation_off_and_out_of_range_values_are_refused() {
        Map<String, Object> off = new HashMap<>(Map.of("augFlip", false, "augCropPad", 0, "augScale", 1.0, "augErase", 0.0));
        assertThat(ImageAugmentation.fromParams(off, 1)).isNull();
        assertThat(ImageAugmentation.fromParams(Map.of("seed", 1), 1)).as("a family without the parameters").isNull();
        off.put("augCropPad", 4);
        assertThat(ImageAugmentation.fromParams(off, 1)).isNotNull();
        assertThatThrownBy(() -> new ImageAugmentation(false, 17, 1f, 0f, 1)).hasMessageContaining("augCropPad");
        assertThatThrownBy(() -> new ImageAugmentation(false, 0, 0f, 0f, 1)).hasMessageContaining("augScale");
        assertThatThrownBy(() -> new ImageAugmentation(false, 0, 1f, 1.5f, 1)).hasMessageContaining("augErase");
    }

    @Test
    void a_batch_that_is_not_images_is_left_alone() {
        Tensor v = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        new ImageAugmentation(true, 1, 0.5f, 1f, 1).apply(v, 0);
        assertThat(v.data).containsExactly(1, 2, 3, 4);
    }
}
