package dev.nnlab.store;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class ArtifactStoreTest extends StoreOnEachBackend {

    @Test
    void content_lands_in_a_file_named_by_its_sha256_beside_the_database() throws Exception {
        Run run = StoreFixture.run(store, "r", Map.of());
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        Artifact a = store.artifacts().put(run.id(), "weights.png", "image/png", png);

        String sha = sha256(png);
        assertThat(a.sha256()).isEqualTo(sha);
        assertThat(a.size()).isEqualTo(7);
        Path file = dir.resolve("nnlab-artifacts/sha256/" + sha.substring(0, 2) + "/" + sha);
        assertThat(store.artifacts().file(a)).isEqualTo(file);
        assertThat(Files.readAllBytes(file)).isEqualTo(png);
        assertThat(store.artifacts().get(run.id(), "weights.png")).contains(a);
        assertThat(store.artifacts().get(run.id(), "missing")).isEmpty();
        assertThat(tempFiles()).as("nothing is left in tmp/").isEmpty();
    }

    @Test
    void streamed_content_is_hashed_and_sized_without_being_held_whole() throws Exception {
        Run run = StoreFixture.run(store, "r", Map.of());
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[1 << 16];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 31);
        // 32 MiB through a 64 KiB buffer: the stream reaches the file as it is written.
        Artifact a = store.artifacts().put(run.id(), "big.bin", "application/octet-stream", out -> {
            for (int i = 0; i < 512; i++) {
                out.write(chunk);
                expected.update(chunk);
            }
        });
        assertThat(a.size()).isEqualTo(512L * chunk.length);
        assertThat(a.sha256()).isEqualTo(HexFormat.of().formatHex(expected.digest()));
        assertThat(Files.size(store.artifacts().file(a))).isEqualTo(a.size());
    }

    @Test
    void equal_content_is_stored_once_for_every_row_that_names_it() throws IOException {
        Run a = StoreFixture.run(store, "a", Map.of());
        Run b = StoreFixture.run(store, "b", Map.of());
        byte[] same = "same bytes".getBytes(StandardCharsets.UTF_8);
        store.artifacts().put(a.id(), "x.txt", "text/plain", same);
        store.artifacts().put(b.id(), "y.txt", "text/plain", same);
        store.artifacts().put(b.id(), "z.txt", "text/plain", same);
        assertThat(contentFiles()).hasSize(1);
        assertThat(store.artifacts().list(b.id())).extracting(Artifact::name, Artifact::sha256)
                .containsExactly(tuple("y.txt", sha256(same)), tuple("z.txt", sha256(same)));
    }

    @Test
    void the_same_name_twice_replaces_the_row_and_drops_the_old_file_no_one_else_holds() throws IOException {
        Run run = StoreFixture.run(store, "r", Map.of());
        Run other = StoreFixture.run(store, "other", Map.of());
        byte[] v1 = "v1".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "v2!".getBytes(StandardCharsets.UTF_8);
        byte[] v3 = "v3??".getBytes(StandardCharsets.UTF_8);
        Artifact first = store.artifacts().put(run.id(), "report.txt", "text/plain", v1);
        store.artifacts().put(other.id(), "copy.txt", "text/plain", v2);
        store.artifacts().put(run.id(), "report.txt", "text/markdown", v2);

        assertThat(store.artifacts().list(run.id())).extracting(Artifact::name, Artifact::mediaType, Artifact::size)
                .containsExactly(tuple("report.txt", "text/markdown", 3L));
        assertThat(store.artifacts().file(first)).doesNotExist();

        // v2 is still held by the other run: replacing it here must keep its file.
        Artifact third = store.artifacts().put(run.id(), "report.txt", "text/plain", v3);
        assertThat(Files.readAllBytes(store.artifacts().file(store.artifacts().get(other.id(), "copy.txt").orElseThrow())))
                .isEqualTo(v2);
        assertThat(Files.readAllBytes(store.artifacts().file(third))).isEqualTo(v3);
        assertThat(contentFiles()).hasSize(2);
    }

    @Test
    void deleting_a_run_deletes_its_rows_and_the_files_no_other_run_holds() throws IOException {
        Run doomed = StoreFixture.run(store, "doomed", Map.of());
        Run kept = StoreFixture.run(store, "kept", Map.of());
        byte[] shared = "shared".getBytes(StandardCharsets.UTF_8);
        byte[] own = "only the doomed run's".getBytes(StandardCharsets.UTF_8);
        store.artifacts().put(doomed.id(), "shared.txt", "text/plain", shared);
        Artifact ownArtifact = store.artifacts().put(doomed.id(), "own.txt", "text/plain", own);
        Artifact keptArtifact = store.artifacts().put(kept.id(), "shared.txt", "text/plain", shared);

        assertThat(store.runs().delete(doomed.id())).isTrue();

        assertThat(store.artifacts().list(doomed.id())).isEmpty();
        assertThat(store.artifacts().file(ownArtifact)).doesNotExist();
        assertThat(Files.readAllBytes(store.artifacts().file(keptArtifact))).isEqualTo(shared);
        assertThat(contentFiles()).hasSize(1);

        assertThat(store.runs().delete(kept.id())).isTrue();
        assertThat(contentFiles()).isEmpty();
    }

    @Test
    void content_that_fails_to_write_leaves_neither_a_row_nor_a_file() throws IOException {
        Run run = StoreFixture.run(store, "r", Map.of());
        assertThatThrownBy(() -> store.artifacts().put(run.id(), "half.bin", "application/octet-stream", out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("half.bin").hasRootCauseMessage("disk full");
        assertThat(store.artifacts().list(run.id())).isEmpty();
        assertThat(contentFiles()).isEmpty();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void an_artifact_for_a_missing_run_is_refused_and_leaves_no_file() throws IOException {
        assertThatThrownBy(() -> store.artifacts().put(4242, "x.txt", "text/plain", new byte[]{1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no run 4242");
        assertThat(contentFiles()).isEmpty();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void two_stores_in_one_folder_keep_their_files_apart() {
        if (backend == Backend.POSTGRESQL) {
            // A server database has no folder of its own: its location names one (artifacts=DIR).
            assertThat(store.artifacts().directory()).isEqualTo(dir.resolve("nnlab-artifacts").toAbsolutePath());
            return;
        }
        try (Store second = Store.open(dir.resolve("second.db"))) {
            assertThat(second.artifacts().directory()).isEqualTo(dir.resolve("second-artifacts").toAbsolutePath());
            assertThat(store.artifacts().directory()).isEqualTo(dir.resolve("nnlab-artifacts").toAbsolutePath());
        }
    }

    @Test
    void opening_the_store_removes_uploads_abandoned_over_an_hour_ago_and_keeps_younger_ones() throws IOException {
        Path tmp = Files.createDirectories(store.artifacts().directory().resolve("tmp"));
        Path old = Files.writeString(tmp.resolve("upload-1.part"), "killed mid-write");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.writeString(tmp.resolve("upload-2.part"), "another process, writing now");
        store.close();
        store = backend.newLocation(dir).open();
        assertThat(old).doesNotExist();
        assertThat(young).exists();
    }

    private List<Path> contentFiles() throws IOException {
        return files(store.artifacts().directory().resolve("sha256"));
    }

    private List<Path> tempFiles() throws IOException {
        return files(store.artifacts().directory().resolve("tmp"));
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) return List.of();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
