package dev.nnlab.spi;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.data.SequenceSamples;
import dev.nnlab.data.TextCorpus;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.data.TrainingData;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything one trial needs, and nothing of the launching host: resolved parameters (every
 * default filled in, see {@link ParamSchema#resolve}), the data of one {@link DataKind}, already
 * prepared, early stopping, and how many threads it may use. A worker machine can rebuild it from a
 * run's recorded configuration.
 *
 * <p>A family reads its data with the accessor of the kind it declared: {@link #labelled()},
 * {@link #tokens()} or {@link #corpus()}; each fails with a message naming both kinds if the data is
 * of another kind. A family of several kinds switches over {@link #data()}.
 *
 * @param params        resolved, typed parameters: Integer, Double, Boolean, String, List&lt;Integer&gt;
 * @param data          the prepared data, of one of the kinds the family declared
 * @param earlyStopping null when the spec asked for none
 * @param threads       kernel threads the run may use
 * @param initialWeights the checkpoint of the run {@code initFrom} names (transfer learning), resolved by the host
 *                       from the SHA-256 recorded in the run's configuration; null when the run starts fresh
 *
 * <p>Stability: stable; grows by new components only through a new constructor.
 */
public record TrainingJob(Map<String, Object> params, TrainingData data, EarlyStopping earlyStopping, int threads,
                          Path initialWeights) {

    public TrainingJob {
        params = Map.copyOf(params);
        if (data == null) throw new IllegalArgumentException("a training job needs data");
    }

    /** A job that starts from a fresh initialisation. */
    public TrainingJob(Map<String, Object> params, TrainingData data, EarlyStopping earlyStopping, int threads) {
        this(params, data, earlyStopping, threads, null);
    }

    /** A job on labelled tensors split as given; {@code validation} and {@code test} may be empty but never null. */
    public TrainingJob(Map<String, Object> params, Dataset train, Dataset validation, Dataset test,
                       EarlyStopping earlyStopping, int threads) {
        this(params, LabelledTensors.of(train, validation, test), earlyStopping, threads);
    }

    /** This job starting from {@code checkpoint} (see {@link #initialWeights}). */
    public TrainingJob withInitialWeights(Path checkpoint) {
        return new TrainingJob(params, data, earlyStopping, threads, checkpoint);
    }

    /** The data as labelled tensors (vectors or images with class labels). */
    public LabelledTensors labelled() { return as(LabelledTensors.class, "labelled tensors (VECTOR or IMAGE)"); }

    /** The data as token streams (a vocabulary and token-id sequences). */
    public TokenStreams tokens() { return as(TokenStreams.class, "token streams (TOKEN_STREAM)"); }

    /** The data as generated sequence-task samples (adding, copy). */
    public SequenceSamples sequences() { return as(SequenceSamples.class, "sequence-task samples (SEQUENCES)"); }

    /** The data as a text corpus (sentences streamed from disk with word counts). */
    public TextCorpus corpus() { return as(TextCorpus.class, "a text corpus (TEXT_CORPUS)"); }

    private <T extends TrainingData> T as(Class<T> type, String what) {
        if (type.isInstance(data)) return type.cast(data);
        throw new IllegalStateException("this job's data is " + data.kind() + " (" + data.name() + "), not " + what
                + "; a family receives only kinds it lists in dataKinds()");
    }

    public int intParam(String name) { return ((Number) require(name)).intValue(); }
    public double doubleParam(String name) { return ((Number) require(name)).doubleValue(); }
    public boolean boolParam(String name) { return (Boolean) require(name); }
    public String stringParam(String name) { return (String) require(name); }

    @SuppressWarnings("unchecked")
    public List<Integer> intListParam(String name) { return (List<Integer>) require(name); }

    private Object require(String name) {
        Object v = params.get(name);
        if (v == null) throw new IllegalArgumentException("parameter " + name + " is not in the resolved configuration " + params.keySet());
        return v;
    }
}
