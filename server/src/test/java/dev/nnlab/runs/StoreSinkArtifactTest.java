package dev.nnlab.runs;

import dev.nnlab.spi.RunSink;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.SqliteDialect;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The host's sink stores what a family hands it, and a file it cannot store becomes an event, not a failed run. */
class StoreSinkArtifactTest {
    @TempDir
    Path dir;

    private static long run(Store store) {
        Experiment e = store.experiments().getOrCreate("sink", null);
        long id = store.runs().create(new NewRun(e.id(), "r", "softmax", Provenance.UNKNOWN, null, Map.of())).id();
        store.runs().markRunning(id);
        return id;
    }

    @Test
    void bytes_files_and_writers_all_land_in_the_store() throws IOException {
        try (Store store = Store.open(dir.resolve("nnlab.db")); MetricWriter w = store.newMetricWriter()) {
            long id = run(store);
            RunSink sink = new StoreSink(id, w, store.artifacts(), TrialListener.NONE, new AtomicBoolean());
            sink.artifact("a.txt", "text/plain", "bytes".getBytes(StandardCharsets.UTF_8));
            sink.artifact("b.txt", "text/plain", Files.writeString(dir.resolve("b"), "file"));
            sink.artifact("c.txt", "text/plain", out -> out.write("writer".getBytes(StandardCharsets.UTF_8)));
            assertThat(store.artifacts().list(id)).extracting(a -> a.name() + "=" + a.size()).containsExactly("a.txt=5", "b.txt=4", "c.txt=6");
        }
    }

    @Test
    void a_file_that_cannot_be_stored_becomes_an_error_event_and_the_run_goes_on() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("occupied"), "a file where the artifact folder should be");
        try (Store store = Store.open(new SqliteDialect(dir.resolve("nnlab.db")), Store.Options.defaults(), notADirectory);
             MetricWriter w = store.newMetricWriter()) {
            long id = run(store);
            RunSink sink = new StoreSink(id, w, store.artifacts(), TrialListener.NONE, new AtomicBoolean());

            sink.artifact("confusion_matrix.json", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
            sink.metric("test_acc", 1, 1, 0.9);
            w.flush();

            assertThat(store.artifacts().list(id)).isEmpty();
            assertThat(store.events().list(id)).singleElement().satisfies(e -> {
                assertThat(e.level()).isEqualTo(RunEvent.Level.ERROR);
                assertThat(e.code()).isEqualTo("artifact_failed");
                assertThat(e.message()).contains("confusion_matrix.json");
                assertThat(e.hint()).contains(notADirectory.toString());
            });
            assertThat(store.metrics().summaries(List.of(id)).get(id)).isNotEmpty();
        }
    }

    @Test
    void a_bad_name_is_the_plugins_mistake_and_throws_before_anything_is_written() throws IOException {
        try (Store store = Store.open(dir.resolve("nnlab.db")); MetricWriter w = store.newMetricWriter()) {
            long id = run(store);
            RunSink sink = new StoreSink(id, w, store.artifacts(), TrialListener.NONE, new AtomicBoolean());
            assertThatThrownBy(() -> sink.artifact("../escape.png", "image/png", new byte[] {1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"../escape.png\"");
            assertThatThrownBy(() -> sink.artifact("ok.png", "image/png\r\nX-Evil: 1", new byte[] {1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("media type");
            assertThat(store.artifacts().list(id)).isEmpty();
            assertThat(store.artifacts().directory()).doesNotExist();
        }
    }
}
