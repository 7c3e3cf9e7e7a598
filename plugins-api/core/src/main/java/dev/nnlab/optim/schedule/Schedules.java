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
        float lr = (float) c.lr();
        check("lr", c.lr(), c.lr() > 0 && Double.isFinite(c.lr()) && lr > 0, "a finite number > 0");
        LearningRateSchedule base = switch (name) {
            case "constant" -> new ConstantSchedule(lr);
            case "step" -> new StepSchedule(lr, unitInterval("gamma", c.gamma() == null ? 0.1 : c.gamma()),
                    atLeastOne("stepEpochs", required(name, "stepEpochs", c.stepEpochs())));
            case "inverse_time" -> InverseTimeSchedule.fromInitial(lr, positive("decay", required(name, "decay", c.decay())));
            case "exponential" -> new ExponentialSchedule(lr, unitInterval("gamma", required(name, "gamma", c.gamma())));
            case "cosine" -> new CosineSchedule(lr, minLr(c, lr, false),
                    positive("totalEpochs", required(name, "totalEpochs", c.totalEpochs())));
            case "plateau" -> plateau(c, lr);
            default -> throw new IllegalStateException(name);
        };
        double warmup = c.warmupEpochs() == null ? 0 : c.warmupEpochs();
        check("warmupEpochs", warmup, warmup >= 0 && Double.isFinite(warmup), "a finite number >= 0 (0 = no warm-up)");
        return warmup > 0 ? new WarmupSchedule(base, warmup) : base;
    }

    private static LearningRateSchedule plateau(ScheduleConfig c, float lr) {
        MetricMode mode = MetricMode.parse("schedule field 'mode'", c.mode() == null ? "min" : c.mode());
        double factor = c.factor() == null ? ReduceOnPlateau.DEFAULT_FACTOR : c.factor();
        check("factor", factor, factor > 0 && factor < 1, "a number in (0, 1)");
        int patience = atLeastOne("patience", c.patience() == null ? ReduceOnPlateau.DEFAULT_PATIENCE : c.patience());
        double threshold = c.threshold() == null ? ReduceOnPlateau.DEFAULT_THRESHOLD : c.threshold();
        check("threshold", threshold, threshold >= 0 && threshold < 1, "a number in [0, 1)");
        return new ReduceOnPlateau(lr, mode, factor, patience, threshold, minLr(c, lr, true));
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

    private static float minLr(ScheduleConfig c, float lr, boolean mayEqualLr) {
        double v = c.minLr() == null ? 0 : c.minLr();
        boolean ok = v >= 0 && (mayEqualLr ? v <= lr : v < lr);
        check("minLr", v, ok, mayEqualLr ? "a number in [0, lr = " + lr + "]" : "a number in [0, lr = " + lr + ")");
        return (float) v;
    }

    private static <T> T required(String name, String field, T value) {
        if (value == null) {
            throw new IllegalArgumentException("schedule '" + name + "' needs field '" + field + "'; it is missing");
        }
        return value;
    }

    private static double positive(String field, double v) {
        check(field, v, v > 0 && Double.isFinite(v), "a finite number > 0");
        return v;
    }

    private static double unitInterval(String field, double v) {
        check(field, v, v > 0 && v <= 1, "a number in (0, 1]");
        return v;
    }

    private static int atLeastOne(String field, int v) {
        check(field, v, v >= 1, "an integer >= 1");
        return v;
    }

    private static void check(String field, Object value, boolean ok, String allowed) {
        if (!ok) {
            throw new IllegalArgumentException("schedule field '" + field + "' = " + value + " is not allowed; allowed: " + allowed);
        }
    }
}
