package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.spi.RunSink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run's final weights as an artifact, in {@link Checkpoint}'s format (parameters and buffers,
 * no optimizer state), so that a later run can load them ({@code Checkpoint.load(file, params, null)}):
 * evaluation, fine-tuning, transfer learning. Checkpoint writes a file, so the weights go to a
 * temporary file first and stream from there into the sink; they are never copied whole in memory.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class CheckpointArtifact {
    public static final String NAME = "final_weights.ckpt";
    public static final String MEDIA_TYPE = "application/octet-stream";

    private CheckpointArtifact() {}

    /**
     * Stores {@code params} with {@code metadata} ({@link Checkpoint#EPOCH}, {@link Checkpoint#STEP},
     * {@link Checkpoint#SEED}) as {@value #NAME}. A temporary file that cannot be written becomes an
     * {@code artifact_failed} event, as a store failure would.
     */
    public static void report(RunSink sink, long step, Parameters params, Map<String, Long> metadata) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("nnlab-checkpoint");
            Path file = dir.resolve(NAME);
            Checkpoint.save(file, params, null, metadata);
            sink.artifact(NAME, MEDIA_TYPE, file);
        } catch (IOException e) {
            sink.event(step, RunSink.Severity.ERROR, "artifact_failed", "artifact " + NAME + " could not be written: " + e,
                    "The run itself is not affected; check the free space of the temporary folder ("
                            + System.getProperty("java.io.tmpdir") + ").");
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) return;
        try {
            Files.deleteIfExists(dir.resolve(NAME));
            Files.deleteIfExists(dir.resolve(NAME + ".tmp"));
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // A leftover in the temporary folder harms nothing.
        }
    }
}
