package dev.nnlab.spi;

import dev.nnlab.data.Dataset;

import java.util.List;
import java.util.Map;

/**
 * Everything one trial needs, and nothing of the launching host: resolved parameters (every
 * default filled in, see {@link ParamSchema#resolve}), the data already split, early stopping, and
 * how many threads it may use. A worker machine can rebuild it from a run's recorded configuration.
 *
 * @param params        resolved, typed parameters: Integer, Double, Boolean, String, List&lt;Integer&gt;
 * @param train         the training part; {@code validation} and {@code test} may be empty but never null
 * @param earlyStopping null when the spec asked for none
 * @param threads       kernel threads the run may use
 *
 * <p>Stability: stable; grows by new components only through a new constructor.
 */
public record TrainingJob(Map<String, Object> params, Dataset train, Dataset validation, Dataset test,
                          EarlyStopping earlyStopping, int threads) {

    public TrainingJob {
        params = Map.copyOf(params);
    }

    /** Stop when {@code metric} has not improved by {@code minDelta} for {@code patience} epochs. */
    public record EarlyStopping(String metric, int patience, double minDelta) {
        /** Losses and errors improve downwards; accuracies upwards. */
        public boolean minimize() {
            return metric.endsWith("loss") || metric.endsWith("error") || metric.endsWith("perplexity");
        }
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
