package dev.nnlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a batch spends its budget, beside what it varies:
 * <pre>{@code
 * "abortExploding": true,
 * "halving": {"metric": "val_acc", "keep": 0.34, "epochs": [1, 3, 9]}
 * }</pre>
 * {@code abortExploding} stops a run whose training loss rises above 3x its start (the notes' rule),
 * as STOPPED with the reason. {@code halving} is successive halving (Hyperband's inner loop, ASHA
 * without the asynchrony): every trial of the random search trains {@code epochs[0]} epochs (rung 0);
 * the best {@code keep} share by {@code metric} (at least one trial) trains again, from its seed and
 * from scratch, for {@code epochs[1]} epochs (rung 1), and so on. A promoted run is a new run with its
 * own recorded configuration, so it is rebuilt from that alone.
 */
public record SweepOptions(boolean abortExploding, Halving halving) {

    public static final SweepOptions NONE = new SweepOptions(false, null);

    /** The spec's fields this class reads. */
    public static final Set<String> FIELDS = Set.of("abortExploding", "halving");
    /** Metrics halving can rank by; the loss metrics rank lower first. */
    public static final List<String> METRICS = List.of("val_acc", "val_loss", "train_acc", "train_loss");
    public static final int MAX_RUNGS = 8;

    /**
     * @param metric the ranking metric, read as its last value (the end of the rung's training)
     * @param keep   the share of a rung's trials promoted to the next, in (0, 1)
     * @param epochs each rung's training length, strictly increasing
     */
    public record Halving(String metric, double keep, List<Integer> epochs) {
        public boolean lowerIsBetter() { return metric.endsWith("_loss"); }

        /** How many of {@code n} trials a rung promotes: the {@code keep} share, rounded down, at least one. */
        public int promoted(int n) { return Math.max(1, (int) Math.floor(n * keep + 1e-9)); }

        public int rungs() { return epochs.size(); }
    }

    public static SweepOptions of(ExperimentSpec spec) {
        return parse("spec", spec.document());
    }

    /** Reads and checks the fields' shape; {@link SweepPlanner} checks them against the rest of the spec. */
    public static SweepOptions parse(String source, JsonNode root) {
        if (root == null) return NONE;
        boolean abort = false;
        JsonNode a = root.get("abortExploding");
        if (a != null) {
            if (!a.isBoolean()) throw new SpecException(source, "$.abortExploding", ExperimentSpec.kind(a) + " is not allowed; expected true or false");
            abort = a.booleanValue();
        }
        Halving halving = null;
        JsonNode h = root.get("halving");
        if (h != null) {
            if (!h.isObject()) throw new SpecException(source, "$.halving", "expected an object, got " + ExperimentSpec.kind(h));
            for (var it = h.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("metric", "keep", "epochs").contains(f)) {
                    throw new SpecException(source, "$.halving." + f, "unknown field; allowed: [epochs, keep, metric]");
                }
            }
            JsonNode m = h.get("metric");
            if (m == null) throw new SpecException(source, "$.halving.metric", "missing; required, one of " + METRICS);
            if (!m.isTextual() || !METRICS.contains(m.textValue())) {
                throw new SpecException(source, "$.halving.metric", ExperimentSpec.kind(m) + " is not allowed; expected one of " + METRICS);
            }
            double keep = 0.5;
            JsonNode k = h.get("keep");
            if (k != null) {
                if (!k.isNumber() || !(k.doubleValue() > 0 && k.doubleValue() < 1)) {
                    throw new SpecException(source, "$.halving.keep", ExperimentSpec.kind(k)
                            + " is not allowed; expected a share above 0 and below 1 (0.5 keeps the better half)");
                }
                keep = k.doubleValue();
            }
            JsonNode e = h.get("epochs");
            if (e == null || !e.isArray() || e.size() < 2 || e.size() > MAX_RUNGS) {
                throw new SpecException(source, "$.halving.epochs", ExperimentSpec.kind(e)
                        + " is not allowed; expected a list of 2 to " + MAX_RUNGS + " epoch counts, one per rung, e.g. [1, 3, 9]");
            }
            List<Integer> epochs = new ArrayList<>();
            for (int i = 0; i < e.size(); i++) {
                JsonNode v = e.get(i);
                String path = "$.halving.epochs[" + i + "]";
                if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 1) {
                    throw new SpecException(source, path, ExperimentSpec.kind(v) + " is not allowed; expected a whole number of epochs >= 1");
                }
                if (i > 0 && v.intValue() <= epochs.getLast()) {
                    throw new SpecException(source, path, v.intValue() + " is not allowed; each rung trains longer than the one before ("
                            + epochs.getLast() + ")");
                }
                epochs.add(v.intValue());
            }
            halving = new Halving(m.textValue(), keep, List.copyOf(epochs));
        }
        return new SweepOptions(abort, halving);
    }
}
