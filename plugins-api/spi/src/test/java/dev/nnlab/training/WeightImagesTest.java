package dev.nnlab.training;

import dev.nnlab.spi.RecordingSink;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WeightImagesTest {
    private static final int S = WeightImages.SCALE, G = WeightImages.GAP;

    /** weight (in = h*w, out = units) with W[i, u] = i * (u + 1): a ramp, steeper for later units. */
    private static Tensor ramps(int in, int units) {
        Tensor t = Tensor.zeros(in, units);
        for (int i = 0; i < in; i++) for (int u = 0; u < units; u++) t.set(i * (u + 1f), i, u);
        return t;
    }

    private static int grey(BufferedImage img, int unit, int cols, int h, int w, int y, int x) {
        int x0 = G + (unit % cols) * (w * S + G), y0 = G + (unit / cols) * (h * S + G);
        return img.getRaster().getSample(x0 + x * S, y0 + y * S, 0);
    }

    @Test
    void ten_templates_of_28x28_sit_in_one_row_each_scaled_from_0_to_255() {
        BufferedImage img = WeightImages.grid(ramps(784, 10), new int[] {1, 28, 28}, 10);
        assertThat(img.getWidth()).isEqualTo(10 * 28 * S + 11 * G);
        assertThat(img.getHeight()).isEqualTo(28 * S + 2 * G);
        for (int u = 0; u < 10; u++) {
            assertThat(grey(img, u, 10, 28, 28, 0, 0)).as("unit %d's smallest weight", u).isZero();
            assertThat(grey(img, u, 10, 28, 28, 27, 27)).as("unit %d's largest weight", u).isEqualTo(255);
            // pixel (14, 0) is input 392 of 783: scaled on its own min..max, the level is the same for every unit
            assertThat(grey(img, u, 10, 28, 28, 14, 0)).isEqualTo(Math.round(392f / 783f * 255f));
        }
    }

    @Test
    void more_than_ten_units_wrap_into_rows_and_stop_at_the_limit() {
        BufferedImage img = WeightImages.grid(ramps(16, 130), new int[] {4, 4}, 100);
        assertThat(img.getWidth()).isEqualTo(10 * 4 * S + 11 * G);
        assertThat(img.getHeight()).isEqualTo(10 * 4 * S + 11 * G);
    }

    @Test
    void a_unit_with_equal_weights_is_mid_grey() {
        BufferedImage img = WeightImages.grid(Tensor.zeros(9, 1), new int[] {1, 3, 3}, 10);
        assertThat(grey(img, 0, 1, 3, 3, 1, 1)).isEqualTo(128);
    }

    @Test
    void three_channels_make_a_colour_tile() {
        Tensor w = Tensor.zeros(3 * 2 * 2, 1);
        w.set(1f, 0, 0);  // red channel, pixel (0, 0)
        w.set(1f, 4 + 3, 0); // green channel, pixel (1, 1)
        BufferedImage img = WeightImages.grid(w, new int[] {3, 2, 2}, 10);
        assertThat(img.getRGB(G, G) & 0xFFFFFF).isEqualTo(0xFF0000);
        assertThat(img.getRGB(G + S, G + S) & 0xFFFFFF).isEqualTo(0x00FF00);
    }

    @Test
    void vectors_are_not_pictured_and_a_mismatched_shape_is_refused() {
        RecordingSink sink = new RecordingSink();
        WeightImages.report(sink, "w.png", ramps(2, 3), new int[] {2}, 10);
        assertThat(sink.artifacts()).isEmpty();
        assertThat(WeightImages.canShow(new int[] {4, 8, 8})).isFalse();
        assertThatThrownBy(() -> WeightImages.grid(ramps(10, 2), new int[] {1, 3, 3}, 10))
                .hasMessageContaining("10 inputs do not fit images [1, 3, 3]");
    }

    @Test
    void the_report_is_a_png_of_the_grid() throws IOException {
        RecordingSink sink = new RecordingSink();
        WeightImages.report(sink, "w.png", ramps(784, 10), new int[] {1, 28, 28}, 10);
        RecordingSink.Artifact a = sink.artifact("w.png");
        assertThat(a.mediaType()).isEqualTo("image/png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(a.bytes()));
        assertThat(png.getWidth()).isEqualTo(10 * 28 * S + 11 * G);
    }
}
