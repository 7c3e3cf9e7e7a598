package dev.nnlab.spi;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a training run reports what happens. Plugins never touch a database or HTTP: they call
 * this, and the host decides what is stored and shown. Calls come from the training thread and
 * must be cheap: the host's implementation only enqueues, except for artifacts, which it writes
 * at once (a run stores a few, typically at its end).
 *
 * <p>Standard metric keys: {@code train_loss}, {@code train_acc}, {@code val_loss}, {@code val_acc},
 * {@code test_loss}, {@code test_acc}, {@code lr}. Layer statistic names are those of
 * {@code dev.nnlab.training.LayerStats}.
 *
 * <p>Stability: stable; grows by default methods.
 */
public interface RunSink {

    /** One point of a learning curve: {@code step} counts optimizer steps, {@code epoch} may be fractional. */
    void metric(String key, long step, double epoch, double value);

    /** One per-layer statistic, e.g. ("dense0", "dead_fraction", 0.12). */
    void layerStat(long step, String layer, String stat, double value);

    /** A diagnostic or notable event, with a plain-language hint for the learner. */
    void event(long step, Severity severity, String code, String message, String hint);

    /**
     * A small file the run produced, held in memory (a confusion matrix as JSON, a PNG of weights).
     * Same name twice in a run: the newer replaces the older. Larger files: the streaming variants.
     *
     * <p>Names and media types follow {@link ArtifactName}; a bad one throws
     * {@link IllegalArgumentException}. A host that cannot store the artifact (disk full) does not
     * throw: it records an {@code artifact_failed} event, and the run goes on.
     */
    default void artifact(String name, String mediaType, byte[] bytes) {
        artifact(name, mediaType, out -> out.write(bytes));
    }

    /** A file the run wrote to disk, streamed into the host's storage; the caller may delete it afterwards. */
    default void artifact(String name, String mediaType, Path file) {
        artifact(name, mediaType, out -> Files.copy(file, out));
    }

    /**
     * A file written by {@code writer} straight into the host's storage, never held whole in memory
     * (a checkpoint). The other two variants end here; a sink that keeps no files still checks the name.
     */
    default void artifact(String name, String mediaType, ArtifactWriter writer) {
        ArtifactName.check(name);
        ArtifactName.checkMediaType(mediaType);
    }

    /** True once the host asked the run to stop; a family checks it between steps and returns STOPPED. */
    default boolean stopRequested() { return false; }

    enum Severity { INFO, WARNING, ERROR }
}
