package dev.nnlab.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FashionMnistFromDebianTest {

    @TempDir
    Path dir;

    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    /** MD5s of the uncompressed fixtures, as OriginalChecksums holds those of the real files. */
    private static Map<String, String> fixtureMd5s() {
        return Map.of(
                "train-images-idx3-ubyte", IdxFixtures.hex("MD5", IdxFixtures.images(3, 0)),
                "train-labels-idx1-ubyte", IdxFixtures.hex("MD5", IdxFixtures.labels(5, 0, 4)),
                "t10k-images-idx3-ubyte", IdxFixtures.hex("MD5", IdxFixtures.images(2, 100)),
                "t10k-labels-idx1-ubyte", IdxFixtures.hex("MD5", IdxFixtures.labels(7, 2)));
    }

    @Test
    void copies_debians_gz_files_checked_by_their_decompressed_md5() throws IOException {
        Path debian = IdxFixtures.writeMnistLike(dir.resolve("debian"), true);
        Path target = dir.resolve("data/fashion-mnist");
        new FashionMnistFromDebian(debian, fixtureMd5s()).fetchInto(target, quiet);
        assertThat(target.resolve("train-labels-idx1-ubyte.gz"))
                .hasSameBinaryContentAs(debian.resolve("train-labels-idx1-ubyte.gz"));
        assertThat(new DatasetCatalog(dir.resolve("data"), dir.resolve("none")).load("fashion-mnist").size()).isEqualTo(5);
    }

    @Test
    void without_debians_package_it_says_to_apt_get_install_it() {
        assertThatThrownBy(() -> new FashionMnistFromDebian(dir.resolve("absent"), fixtureMd5s())
                .fetchInto(dir.resolve("data/fashion-mnist"), quiet))
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void a_file_with_other_contents_is_not_kept() throws IOException {
        Path debian = IdxFixtures.writeMnistLike(dir.resolve("debian"), true);
        Files.write(debian.resolve("t10k-labels-idx1-ubyte.gz"), IdxFixtures.gzip(IdxFixtures.labels(7, 3)));
        Path target = dir.resolve("fm");
        assertThatThrownBy(() -> new FashionMnistFromDebian(debian, fixtureMd5s()).fetchInto(target, quiet))
                .hasMessageContaining("MD5 mismatch, expected " + fixtureMd5s().get("t10k-labels-idx1-ubyte")
                        + " but got " + IdxFixtures.hex("MD5", IdxFixtures.labels(7, 3)));
        assertThat(target.resolve("t10k-labels-idx1-ubyte.gz")).doesNotExist();
    }
}
