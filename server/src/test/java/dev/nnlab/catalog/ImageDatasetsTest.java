package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code cifar10} (the binary format, on generated files) and {@code fashion-mnist-32} (zero-padded). */
class ImageDatasetsTest {

    @TempDir
    Path dataDir;

    /** {@code records} CIFAR records: label {@code (first + r) % 10}, pixel p of channel c = (r + 7 c + p) mod 256. */
    private static byte[] cifarRecords(int records, int first) {
        byte[] b = new byte[records * Cifar10Binary.RECORD];
        for (int r = 0; r < records; r++) {
            int base = r * Cifar10Binary.RECORD;
            b[base] = (byte) ((first + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) b[base + 1 + c * 1024 + p] = (byte) (first + r + 7 * c + p);
            }
        }
        return b;
    }

    private Path writeCifar(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < 5; i++) Files.write(dir.resolve(Cifar10Binary.TRAIN_FILES.get(i)), cifarRecords(2, 2 * i));
        Files.write(dir.resolve(Cifar10Binary.TEST_FILE), cifarRecords(3, 50));
        return dir;
    }

    @Test
    void cifar10_reads_the_binary_format_as_3x32x32_planes_with_the_train_files_first() throws IOException {
        writeCifar(dataDir.resolve("cifar10"));
        DatasetCatalog catalog = new DatasetCatalog(dataDir, dataDir.resolve("no-debian"));
        assertThat(catalog.entry("cifar10").availability().available()).isTrue();
        Dataset d = catalog.load("cifar10");
        assertThat(d.features().shape()).containsExactly(13, 3, 32, 32);
        assertThat(d.testStart()).isEqualTo(10);
        assertThat(d.scale()).isEqualTo(FeatureScale.PIXELS_0_255);
        assertThat(d.classNames()).containsExactly("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                "ship", "truck");
        assertThat(d.labels()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2);
        // Sample 3 is record 1 of data_batch_2 (first = 2): green (c = 1) pixel at row 4, column 5 is (2 + 1 + 7 + 133) mod 256.
        float[] x = d.features().data;
        assertThat(x[3 * 3072 + 1024 + 4 * 32 + 5]).isEqualTo((float) ((2 + 1 + 7 + 133) % 256));
        // The last test sample's blue pixel 1023: (50 + 2 + 14 + 1023) mod 256.
        assertThat(x[12 * 3072 + 2048 + 1023]).isEqualTo((float) ((50 + 2 + 14 + 1023) % 256));
        assertThat(catalog.load("cifar10").checksum()).isEqualTo(d.checksum()).startsWith("sha256:");
    }

    @Test
    void cifar10_is_also_found_in_the_tarballs_own_folder_name() throws IOException {
        writeCifar(dataDir.resolve("cifar-10-batches-bin"));
        assertThat(new DatasetCatalog(dataDir, dataDir.resolve("no-debian")).load("cifar10").size()).isEqualTo(13);
    }

    @Test
    void cifar10_names_the_missing_file_and_the_data_directory() throws IOException {
        Path dir = writeCifar(dataDir.resolve("cifar10"));
        Files.delete(dir.resolve("data_batch_3.bin"));
        DatasetCatalog catalog = new DatasetCatalog(dataDir, dataDir.resolve("no-debian"));
        assertThat(catalog.entry("cifar10").availability().available()).isFalse();
        assertThat(catalog.entry("cifar10").availability().howToGet()).contains("data_batch_3.bin");
        assertThatThrownBy(() -> catalog.load("cifar10"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("missing data_batch_3.bin")
                .hasMessageNotContaining("data_batch_1.bin")
                .hasMessageContaining(dir.toString())
                .hasMessageContaining("data directory " + dataDir)
                .hasMessageContaining("cifar-10-binary.tar.gz");
    }

    @Test
    void cifar10_refuses_a_file_that_is_not_whole_records_and_a_label_outside_0_to_9() throws IOException {
        Path dir = writeCifar(dataDir.resolve("cifar10"));
        Files.write(dir.resolve("test_batch.bin"), new byte[Cifar10Binary.RECORD + 1]);
        DatasetCatalog catalog = new DatasetCatalog(dataDir, dataDir.resolve("no-debian"));
        assertThatThrownBy(() -> catalog.load("cifar10")).hasMessageContaining("test_batch.bin")
                .hasMessageContaining("3073-byte records");
        byte[] bad = cifarRecords(1, 0);
        bad[0] = 12;
        Files.write(dir.resolve("test_batch.bin"), bad);
        assertThatThrownBy(() -> catalog.load("cifar10")).hasMessageContaining("label 12");
    }

    @Test
    void fashion_mnist_32_is_fashion_mnist_inside_a_two_pixel_zero_border() throws IOException {
        Path debian = IdxFixtures.writeMnistLike(dataDir.resolve("debian-fashion"), true);
        DatasetCatalog catalog = new DatasetCatalog(dataDir.resolve("empty"), debian);
        Dataset small = catalog.load("fashion-mnist");
        Dataset padded = catalog.load("fashion-mnist-32");
        // The fixture's images are 2x2, so padded they are 6x6; real Fashion-MNIST's 28x28 become 32x32.
        assertThat(padded.features().shape()).containsExactly(5, 1, 6, 6);
        assertThat(padded.labels()).containsExactly(small.labels());
        assertThat(padded.testStart()).isEqualTo(small.testStart());
        assertThat(padded.classNames()).contains("Ankle boot");
        assertThat(padded.checksum()).isNotEqualTo(small.checksum());
        float[] p = padded.features().data, s = small.features().data;
        for (int i = 0; i < 5; i++) {
            double sum = 0;
            for (int y = 0; y < 6; y++) {
                for (int x = 0; x < 6; x++) {
                    float v = p[i * 36 + y * 6 + x];
                    boolean inside = y >= 2 && y < 4 && x >= 2 && x < 4;
                    assertThat(v).isEqualTo(inside ? s[i * 4 + (y - 2) * 2 + (x - 2)] : 0f);
                    sum += v;
                }
            }
            assertThat(sum).isGreaterThan(0);
        }
    }

    @Test
    void fashion_mnist_32_missing_says_so_with_the_source_dataset() {
        DatasetCatalog catalog = new DatasetCatalog(dataDir.resolve("empty"), dataDir.resolve("no-debian"));
        assertThat(catalog.entry("fashion-mnist-32").availability().available()).isFalse();
        assertThat(catalog.entry("fashion-mnist-32").availability().howToGet()).contains("fashion-mnist, padded");
        assertThatThrownBy(() -> catalog.load("fashion-mnist-32")).isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("fashion-mnist");
    }
}
