package dev.nnlab.spi;

import dev.nnlab.data.TrainingData;

import java.util.Map;
import java.util.Set;

/**
 * A family of models nnlab can train: softmax regression, MLP, CNN... Provided by a plugin JAR
 * through {@code META-INF/services/dev.nnlab.spi.ModelFamily}; the built-in families are plugins
 * too, discovered exactly like a stranger's.
 *
 * <p>Implementations must have a public no-argument constructor and be stateless between
 * {@link #train} calls: the host may run several trials of one family at once, on any thread, and
 * later on another machine from the run's recorded configuration alone.
 *
 * <p>Stability: stable; grows by default methods only.
 */
public interface ModelFamily {

    /** Short stable identifier used in specs and the store: "softmax", "mlp". Lower case, [a-z0-9_-]. */
    String id();

    String displayName();

    /** One paragraph for the plugins page: what the family is and what it teaches. */
    String description();

    /** Return {@link PluginApi#VERSION}: the compiler inlines it, recording the API this plugin was built for. */
    int apiVersion();

    /**
     * Return {@link PluginApi#EVOLVING}: the revision of the API's evolving types (those marked
     * "Stability: evolving") this plugin was built against. The host refuses a plugin built for a
     * newer revision than it provides, naming both; an older one loads (evolving types only grow
     * within a major version). The default, 0, declares that the plugin relies on stable types only.
     */
    default int evolvingApiVersion() { return 0; }

    /** The plugin's own version, from its JAR manifest's Implementation-Version. */
    default String version() {
        String v = getClass().getPackage().getImplementationVersion();
        return v == null ? "unversioned" : v;
    }

    /** Every parameter with type, default and allowed values; usually {@code CommonParams.SCHEMA.with(...)}. */
    ParamSchema params();

    /** The kinds of data this family trains on. */
    Set<DataKind> dataKinds();

    /**
     * What one trial with these fully resolved parameters needs on the heap, for data of per-sample
     * {@code sampleShape} with {@code classes} classes; computed without building the model. The
     * host refuses, before anything is recorded, a configuration whose estimate exceeds the memory
     * the JVM has left. The default, {@link MemoryEstimate#UNKNOWN}, opts out of the check.
     */
    default MemoryEstimate estimateMemory(Map<String, Object> resolvedParams, int[] sampleShape, int classes) {
        return MemoryEstimate.UNKNOWN;
    }

    /**
     * Checks what the schema cannot see: that one trial's resolved parameters fit the prepared data,
     * for instance that every convolution and pooling window of a stack tiles the image it gets, or that
     * a token stream holds one BPTT window per batch row. The planner calls it for every trial once the
     * data is prepared and before anything is recorded; a refusal becomes exit 2 on the CLI and HTTP
     * 400. Throw {@link InvalidParamException} with the parameter's path ({@code $.params.layers}), its
     * value and the rule it breaks, with the numbers; an {@link IllegalArgumentException} is reported
     * at {@code $.params} with its message. Checks that need only the parameters belong in
     * {@link #params()}. Must be quick (no training) and side-effect free. Default: nothing to check.
     */
    default void checkFits(Map<String, Object> params, TrainingData data) {}

    /**
     * {@link #checkFits(Map, TrainingData)} for a trial that starts from another run's weights
     * ({@code initFrom}, transfer learning): {@code initialWeights} is that run's checkpoint (null when
     * the trial starts fresh). A family that offers {@code initFrom} checks here that the weights fit
     * its network, refusing with {@link InvalidParamException} at {@code $.params.initFrom}. The
     * default checks the parameters alone.
     */
    default void checkFits(Map<String, Object> params, TrainingData data, java.nio.file.Path initialWeights) throws java.io.IOException {
        checkFits(params, data);
    }

    /**
     * Trains one model and reports through {@code sink}. Runs on a thread the host owns. Returns
     * how it ended; an exception marks the run FAILED with the exception's message.
     */
    TrainResult train(TrainingJob job, RunSink sink) throws Exception;
}
