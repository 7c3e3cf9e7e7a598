package dev.nnlab.spi;

/**
 * Where a training run reports what happens. Plugins never touch a database or HTTP: they call
 * this, and the host decides what is stored and shown. Calls come from the training thread and
 * must be cheap: the host's implementation only enqueues.
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

    /** A file the run produced (a confusion matrix, a checkpoint). */
    default void artifact(String name, String mediaType, byte[] bytes) {}

    /** True once the host asked the run to stop; a family checks it between steps and returns STOPPED. */
    default boolean stopRequested() { return false; }

    enum Severity { INFO, WARNING, ERROR }
}
