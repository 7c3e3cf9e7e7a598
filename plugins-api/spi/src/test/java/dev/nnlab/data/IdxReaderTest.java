package dev.nnlab.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdxReaderTest {
    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    @TempDir
    Path dir;

    /** Three 2x2 images: pixel (i, r, c) = 10 * i + 2 * r + c, and 255 in image 2's last pixel. */
    static byte[] threeImages() {
        ByteBuffer b = ByteBuffer.allocate(16 + 3 * 4);
        b.putInt(2051).putInt(3).putInt(2).putInt(2);
        for (int i = 0; i < 3; i++) for (int p = 0; p < 4; p++) b.put((byte) (10 * i + p));
        b.put(27, (byte) 255);
        return b.array();
    }

    static byte[] labels(int... values) {
        ByteBuffer b = ByteBuffer.allocate(8 + values.length);
        b.putInt(2049).putInt(values.length);
        for (int v : values) b.put((byte) v);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    @Test
    void raw_image_file_gives_dims_and_unsigned_pixels() throws IOException {
        IdxFile f = IdxReader.readImages(write("images", threeImages()));
        assertThat(f.dims()).containsExactly(3, 2, 2);
        assertThat(f.count()).isEqualTo(3);
        assertThat(f.itemSize()).isEqualTo(4);
        assertThat(f.unsigned(1, 3)).isEqualTo(13);
        assertThat(f.unsigned(2, 3)).isEqualTo(255);
    }

    @Test
    void gzip_is_detected_by_magic_bytes_not_by_file_name() throws IOException {
        IdxFile raw = IdxReader.readImages(write("images.gz", threeImages()));
        IdxFile gz = IdxReader.readImages(write("images.idx", gzip(threeImages())));
        assertThat(gz.dims()).containsExactly(3, 2, 2);
        assertThat(gz.unsigned(2, 3)).isEqualTo(255);
        assertThat(gz.sha256()).as("content hash ignores compression").isEqualTo(raw.sha256());
    }

    @Test
    void sha256_is_that_of_the_decompressed_file() throws Exception {
        byte[] bytes = threeImages();
        String expected = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(IdxReader.readImages(write("i.gz", gzip(bytes))).sha256()).isEqualTo(expected);
    }

    @Test
    void labels_file_read_as_images_names_the_file_and_both_magic_numbers() throws IOException {
        Path file = write("train-labels-idx1-ubyte", labels(1, 2, 3));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("magic number 2049")
                .hasMessageContaining("expected 2051");
    }

    @Test
    void non_idx_file_is_rejected_by_its_first_bytes() throws IOException {
        Path file = write("notes.txt", "hello world".getBytes());
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not an IDX file");
    }

    @Test
    void truncated_raw_file_says_how_many_bytes_are_missing() throws IOException {
        byte[] bytes = threeImages();
        Path file = write("short", Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("announces 3 items (12 data bytes) but only 7 bytes follow");
    }

    @Test
    void truncated_header_is_reported() throws IOException {
        Path file = write("header", Arrays.copyOf(threeImages(), 10));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("truncated header");
    }

    @Test
    void truncated_gzip_file_is_reported_as_such() throws IOException {
        byte[] gz = gzip(threeImages());
        Path file = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
    }

    @Test
    void trailing_bytes_after_the_announced_data_are_rejected() throws IOException {
        byte[] bytes = Arrays.copyOf(labels(1, 2), 12);
        Path file = write("long", bytes);
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("unexpected bytes after the 2 data bytes");
    }

    @Test
    void image_dataset_joins_train_and_test_with_pixels_in_0_255() throws IOException {
        IdxFile trainImages = IdxReader.readImages(write("ti", threeImages()));
        IdxFile trainLabels = IdxReader.readLabels(write("tl", labels(7, 0, 9)));
        IdxFile testImages = IdxReader.readImages(write("si", gzip(threeImages())));
        IdxFile testLabels = IdxReader.readLabels(write("sl", labels(1, 1, 2)));
        Dataset d = IdxReader.imageDataset("tiny", DIGITS, trainImages, trainLabels, testImages, testLabels);
        assertThat(d.features().shape()).containsExactly(6, 1, 2, 2);
        assertThat(d.sampleShape()).containsExactly(1, 2, 2);
        assertThat(d.testStart()).isEqualTo(3);
        assertThat(d.labels()).containsExactly(7, 0, 9, 1, 1, 2);
        assertThat(d.features().get(1, 0, 1, 1)).isEqualTo(13f);
        assertThat(d.features().get(5, 0, 1, 1)).isEqualTo(255f);
        assertThat(d.scale()).isEqualTo(FeatureScale.PIXELS_0_255);
        assertThat(d.checksum()).startsWith("sha256:").hasSize(7 + 64);
        assertThat(d.testPart().labels()).containsExactly(1, 1, 2);
    }

    @Test
    void image_and_label_counts_must_agree() throws IOException {
        IdxFile images = IdxReader.readImages(write("ti", threeImages()));
        IdxFile labels = IdxReader.readLabels(write("tl", labels(1, 2)));
        assertThatThrownBy(() -> IdxReader.imageDataset("tiny", DIGITS, images, labels, null, null))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("has 2 labels but")
                .hasMessageContaining("has 3 images");
    }

    @Test
    void a_label_beyond_the_class_names_is_rejected_with_its_index() throws IOException {
        IdxFile images = IdxReader.readImages(write("ti", threeImages()));
        IdxFile labels = IdxReader.readLabels(write("tl", labels(1, 10, 2)));
        assertThatThrownBy(() -> IdxReader.imageDataset("tiny", DIGITS, images, labels, null, null))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("label 10 at index 1 is outside 0..9");
    }
}
