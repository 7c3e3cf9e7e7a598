package dev.nnlab.data;

import dev.nnlab.spi.DataKind;

/**
 * The data of one trial, of exactly one {@link DataKind}: {@link LabelledTensors} (vectors or
 * images with class labels), {@link TokenStreams} (a vocabulary and token-id sequences) or
 * {@link TextCorpus} (sentences streamed from disk with word counts). A family reads it through
 * {@code TrainingJob.labelled()}, {@code tokens()} or {@code corpus()}, or switches over this sealed
 * type when it accepts several kinds.
 *
 * <p>Instances are prepared once by the host and shared, read-only, by every trial with the same
 * dataset and {@link Preparation}: never modify their arrays.
 *
 * <p>Stability: evolving; new kinds may be added (a switch over it needs a default branch then).
 */
public sealed interface TrainingData permits LabelledTensors, TokenStreams, TextCorpus, SequenceSamples {

    DataKind kind();

    /** The dataset's catalog name, e.g. {@code mnist-10k}, {@code ptb}, {@code text:/data/book.txt}. */
    String name();

    /** {@code "sha256:<hex>"} of the source files or of the generator and its parameters. */
    String checksum();

    /** Heap bytes this object holds (arrays, vocabulary), for the host's bounded cache; files on disk do not count. */
    long heapBytes();

    /** One line for logs: what was prepared and how big it is. */
    String describe();
}
