package dev.nnlab.sweep;

import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.ParamSchema;
import dev.nnlab.sweep.SweepOptions.Halving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The planning side of successive halving ({@link SweepOptions.Halving}): checks a spec's
 * {@code halving} against the rest of the spec, plans rung 0, and turns the trials a rung promotes
 * into the next rung's trials (the same resolved parameters and seed, more epochs).
 */
public final class HalvingPlanner {
    private HalvingPlanner() {}

    /** The spec rung 0 is planned from: {@code epochs} set to the first rung's; the spec itself when it has no halving. */
    static ExperimentSpec rungZero(String source, ExperimentSpec spec, ParamSchema schema) {
        Halving h = SweepOptions.parse(source, spec.document()).halving();
        if (h == null) return spec;
        if (spec.random() == null) {
            throw new SpecException(source, "$.halving", "successive halving chooses among the trials of a random search; "
                    + "add \"random\" with at least 2 trials");
        }
        if (SweepPlanner.count(spec) / Math.max(1, spec.seeds().size()) < 2) {
            throw new SpecException(source, "$.random.trials", spec.random().trials() + " trial leaves nothing to choose; "
                    + "successive halving needs at least 2 trials");
        }
        String why = "is set by $.halving.epochs, one value per rung; leave it out here";
        if (spec.params().containsKey("epochs")) throw new SpecException(source, "$.params.epochs", why);
        if (spec.grid().containsKey("epochs")) throw new SpecException(source, "$.grid.epochs", why);
        if (spec.random().params().containsKey("epochs")) throw new SpecException(source, "$.random.params.epochs", why);
        for (int i = 0; i < spec.variants().size(); i++) {
            if (spec.variants().get(i).containsKey("epochs")) throw new SpecException(source, "$.variants[" + i + "].epochs", why);
        }
        for (int i = 0; i < h.epochs().size(); i++) {
            String path = "$.halving.epochs[" + i + "]";
            try {
                ParamSchema.coerce(schema.spec("epochs"), h.epochs().get(i), path);
            } catch (InvalidParamException e) {
                throw new SpecException(source, e.path(), e.getMessage().substring(e.path().length() + 2));
            }
        }
        if (h.metric().startsWith("val_") && schema.spec("valFraction") != null) {
            Object given = spec.params().get("valFraction");
            boolean none = given instanceof Number n ? n.doubleValue() == 0
                    : given == null && ((Number) schema.spec("valFraction").defaultValue()).doubleValue() == 0;
            if (none || spec.grid().getOrDefault("valFraction", List.of()).stream().anyMatch(v -> v instanceof Number n && n.doubleValue() == 0)) {
                throw new SpecException(source, "$.halving.metric", "\"" + h.metric() + "\" needs a validation part, and valFraction is 0; "
                        + "rank by train_loss or train_acc, or set valFraction above 0");
            }
        }
        return spec.withParam("epochs", h.epochs().getFirst());
    }

    /**
     * The next rung's trials: each promoted trial again, from its own seed and from scratch, for
     * {@code epochs} epochs. Indices continue after {@code firstIndex}.
     */
    public static List<Trial> nextRung(List<Trial> promoted, int rung, int epochs, int firstIndex) {
        List<Trial> out = new ArrayList<>();
        for (Trial t : promoted) {
            Map<String, Object> params = new LinkedHashMap<>(t.params());
            params.put("epochs", epochs);
            String label = t.label().replaceAll(" \\[rung \\d+]$", "") + " [rung " + rung + "]";
            out.add(new Trial(firstIndex + out.size(), label, t.varied(), Map.copyOf(params)));
        }
        return out;
    }

    /** Trials that differ only in their seed and epochs share a configuration: rungs rank configurations. */
    public static Map<String, Object> configuration(Map<String, Object> params) {
        Map<String, Object> c = new java.util.TreeMap<>(params);
        c.remove("seed");
        c.remove("epochs");
        return c;
    }
}
