package dev.nnlab.optim.schedule;

import dev.nnlab.optim.MetricMode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link LearningRateSchedule} from a {@link ScheduleConfig}, checking every field first so
 * that a bad config is reported with the field, its value and what is allowed.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Schedules {
    /** The schedule names a config may use, in the order the UI lists them. */
    public static final List<String> NAMES = List.of("constant", "step", "inverse_time", "exponential", "cosine", "plateau");

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "constant", Set.of(),
            "step", Set.of("stepEpochs", "gamma"),
            "inverse_time", Set.of("decay"),
            "exponential", Set.of("gamma"),
            "cosine", Set.of("totalEpochs", "minLr"),
            "plateau", Set.of("mode", "factor", "patience", "threshold", "minLr"));

    private Schedules() {}

    public static LearningRateSchedule create(ScheduleConfig c) {
        String name = c.name();
        if (name == null || !FIELDS.containsKey(name)) {
            throw new IllegalArgumentException("schedule name = '" + name + "' is not allowed; allowed: " + String.join(", ", NAMES));
        }
        rejectUnusedFields(c);
        // Each constructor checks its own fields against the rule it declares (StepSchedule.GAMMA...),
        // the same constants the common parameter schema is built from.
        float lr = (float) LearningRateSchedule.BASE_LR.require("schedule '" + name + "'", "lr", c.lr());
        LearningRateSchedule base = switch (name) {
            case "constant" -> new ConstantSchedule(lr);
            case "step" -> new StepSchedule(lr, c.gamma() == null ? 0.1 : c.gamma(), required(name, "stepEpochs", c.stepEpochs()));
            case "inverse_time" -> InverseTimeSchedule.fromInitial(lr, required(name, "decay", c.decay()));
            case "exponential" -> new ExponentialSchedule(lr, required(name, "gamma", c.gamma()));
            case "cosine" -> new CosineSchedule(lr, c.minLr() == null ? 0f : c.minLr().floatValue(),
                    required(name, "totalEpochs", c.totalEpochs()));
            case "plateau" -> new ReduceOnPlateau(lr, MetricMode.parse("schedule field 'mode'", c.mode() == null ? "min" : c.mode()),
                    c.factor() == null ? ReduceOnPlateau.DEFAULT_FACTOR : c.factor(),
                    c.patience() == null ? ReduceOnPlateau.DEFAULT_PATIENCE : c.patience(),
                    c.threshold() == null ? ReduceOnPlateau.DEFAULT_THRESHOLD : c.threshold(),
                    c.minLr() == null ? 0f : c.minLr().floatValue());
            default -> throw new IllegalStateException(name);
        };
        double warmup = c.warmupEpochs() == null ? 0 : c.warmupEpochs();
        WarmupSchedule.EPOCHS_OR_NONE.require("schedule '" + name + "'", "warmupEpochs", warmup);
        return warmup > 0 ? new WarmupSchedule(base, warmup) : base;
    }

    private static void rejectUnusedFields(ScheduleConfig c) {
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("gamma", c.gamma());
        given.put("stepEpochs", c.stepEpochs());
        given.put("decay", c.decay());
        given.put("totalEpochs", c.totalEpochs());
        given.put("minLr", c.minLr());
        given.put("mode", c.mode());
        given.put("factor", c.factor());
        given.put("patience", c.patience());
        given.put("threshold", c.threshold());
        Set<String> used = FIELDS.get(c.name());
        for (Map.Entry<String, Object> e : given.entrySet()) {
            if (e.getValue() != null && !used.contains(e.getKey())) {
                throw new IllegalArgumentException("schedule field '" + e.getKey() + "' = " + e.getValue()
                        + " does not apply to schedule '" + c.name() + "'; its fields are: "
                        + (used.isEmpty() ? "none" : String.join(", ", used.stream().sorted().toList()))
                        + " (and warmupEpochs)");
            }
        }
    }

    private static <T> T required(String name, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("schedule '" + name + "' needs field '" + field + "'; it is missing");
        }
        return value;
    }
}
