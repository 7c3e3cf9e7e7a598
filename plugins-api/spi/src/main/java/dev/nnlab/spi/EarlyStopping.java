package dev.nnlab.spi;

/**
 * An early-stopping rule, as an experiment spec writes it ({@code "earlyStopping": {"metric":
 * "val_loss", "patience": 3, "minDelta": 0}}), as a run's configuration stores it, and as a
 * {@link TrainingJob} hands it to a family: stop when {@code metric} has not improved by more than
 * {@code minDelta} for {@code patience} epochs in a row. The training loop's
 * {@code dev.nnlab.training.BestEpochTracker} applies it.
 *
 * <p>Stability: stable. Its JSON form (the component names) is stored with every run.
 */
public record EarlyStopping(String metric, int patience, double minDelta) {

    public EarlyStopping {
        if (metric == null || metric.isBlank()) throw new IllegalArgumentException("earlyStopping.metric is missing");
        if (patience < 1) throw new IllegalArgumentException("earlyStopping.patience = " + patience + " must be >= 1");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("earlyStopping.minDelta = " + minDelta + " must be >= 0");
    }

    /** Losses, errors and perplexities improve downwards; accuracies upwards. */
    public boolean minimize() {
        return metric.endsWith("loss") || metric.endsWith("error") || metric.endsWith("perplexity") || metric.endsWith("ppl");
    }
}
