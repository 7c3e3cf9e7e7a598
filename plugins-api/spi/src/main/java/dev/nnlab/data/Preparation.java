package dev.nnlab.data;

/**
 * How a {@link dev.nnlab.spi.DataKind}'s raw data becomes a trial's {@link TrainingData}: the split,
 * preprocessing and vocabulary choices, as a typed value parsed once from a run's resolved
 * parameters ({@link dev.nnlab.spi.DataKind#preparation}). Equal preparations of one dataset give
 * equal data, so the host caches prepared data by dataset and {@link #key()}.
 *
 * <p>Stability: evolving; a kind may gain preparation parameters (with defaults that keep old runs' meaning).
 */
public sealed interface Preparation permits LabelledPreparation, TokenPreparation, CorpusPreparation, SequencePreparation {

    /** A canonical text of every choice, e.g. {@code "valFraction=0.1 preprocess=scale trainSamples=0"}. */
    String key();
}
