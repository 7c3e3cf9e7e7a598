package dev.nnlab.spi;

import dev.nnlab.data.CorpusPreparation;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.Preparation;
import dev.nnlab.data.SequencePreparation;
import dev.nnlab.data.SequenceSamples;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TokenPreparation;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TrainingData;

import java.util.List;
import java.util.Map;

/**
 * What kind of data a family trains on. A family declares the kinds it accepts
 * ({@link ModelFamily#dataKinds()}); every dataset of the host's catalog names the kinds it can
 * provide; the host hands a trial data of exactly one kind, as the {@link TrainingData} class
 * {@link #carrier()} names, in {@link TrainingJob#data()}.
 *
 * <p>Each kind owns its preparation: the parameters it reads ({@link #preparationParams()}, which a
 * family includes in its schema, see {@link CommonParams#schemaFor}) and the typed
 * {@link Preparation} parsed from a run's resolved parameters ({@link #preparation}). The host
 * prepares (splits, preprocesses, builds vocabularies) from that record alone, and shares the result
 * between trials with the same dataset and preparation.
 *
 * <p>Stability: stable; may grow by new kinds.
 */
public enum DataKind {
    /** Labelled feature vectors {@code (N, D)}: {@link LabelledTensors}. */
    VECTOR,
    /** Labelled images {@code (N, C, H, W)}: {@link LabelledTensors}; a family that flattens (MLP, softmax) accepts these too. */
    IMAGE,
    /** A vocabulary and train / validation / test token-id sequences, for language models: {@link TokenStreams}. */
    TOKEN_STREAM,
    /** Sentences streamed from disk with word counts, for word embeddings: {@link TextCorpus}. */
    TEXT_CORPUS,
    /**
     * Generated sequence tasks (the adding problem, sequence copy) with per-sample targets:
     * {@link SequenceSamples}. Added in API 1.x (stability: evolving).
     */
    SEQUENCES;

    /** The class of {@link TrainingData} that carries this kind. */
    public Class<? extends TrainingData> carrier() {
        return switch (this) {
            case VECTOR, IMAGE -> LabelledTensors.class;
            case TOKEN_STREAM -> TokenStreams.class;
            case TEXT_CORPUS -> TextCorpus.class;
            case SEQUENCES -> SequenceSamples.class;
        };
    }

    /** The parameters this kind's preparation reads, with their defaults and allowed values. */
    public List<ParamSpec> preparationParams() {
        return switch (this) {
            case VECTOR, IMAGE -> LabelledPreparation.PARAMS;
            case TOKEN_STREAM -> TokenPreparation.PARAMS;
            case TEXT_CORPUS -> CorpusPreparation.PARAMS;
            case SEQUENCES -> SequencePreparation.PARAMS;
        };
    }

    /**
     * The typed preparation of a run, from its resolved parameters. A parameter the family's schema
     * lacks takes the default of {@link #preparationParams()}, so a family that leaves them out still
     * gets the standard preparation.
     */
    public Preparation preparation(Map<String, Object> resolved) {
        return switch (this) {
            case VECTOR, IMAGE -> LabelledPreparation.of(resolved);
            case TOKEN_STREAM -> TokenPreparation.of(resolved);
            case TEXT_CORPUS -> CorpusPreparation.of(resolved);
            case SEQUENCES -> SequencePreparation.of(resolved);
        };
    }

    /** {@code "vector"}, {@code "token_stream"}: the name in listings and JSON. */
    public String jsonName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
