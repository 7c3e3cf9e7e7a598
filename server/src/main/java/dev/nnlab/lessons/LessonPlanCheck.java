package dev.nnlab.lessons;

import dev.nnlab.spi.ParamSchema;
import dev.nnlab.store.Param;
import dev.nnlab.sweep.SpecException;
import dev.nnlab.sweep.SpecParts;
import dev.nnlab.sweep.Trial;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a lesson against the planned trials before anything is recorded: every group names
 * parameters of the family and matches at least one trial, and an epoch a check reads is one every
 * trial of its groups reaches. A check that could never be measured is a mistake in the spec.
 */
public final class LessonPlanCheck {
    private LessonPlanCheck() {}

    public static void validate(String source, Lesson lesson, List<Trial> trials, ParamSchema schema) {
        if (lesson == null) return;
        for (Check c : lesson.checks()) {
            List<Trial> a = members(source, c.group(), c.path() + ".group", trials, schema);
            epochs(source, c, a, c.path() + ".group");
            enough(source, c, a, c.path() + ".group");
            if (c.other() != null) {
                List<Trial> b = members(source, c.other(), c.path() + ".other", trials, schema);
                epochs(source, c, b, c.path() + ".other");
                enough(source, c, b, c.path() + ".other");
                if (a.equals(b)) throw new SpecException(source, c.path() + ".other", "selects the same trials as the group; compare two different groups");
            }
        }
    }

    private static List<Trial> members(String source, Map<String, Object> group, String path, List<Trial> trials, ParamSchema schema) {
        for (var e : group.entrySet()) {
            if (e.getKey().equals(SpecParts.KEY) && trials.stream().anyMatch(t -> t.varied().containsKey(SpecParts.KEY))) continue;
            if (schema.spec(e.getKey()) == null) {
                throw new SpecException(source, path + "." + e.getKey(), "unknown parameter \"" + e.getKey()
                        + "\"; this family's parameters are " + schema.specs().stream().map(s -> s.name()).toList());
            }
        }
        List<Trial> out = trials.stream().filter(t -> matches(group, withPart(t))).toList();
        if (out.isEmpty()) {
            String key = group.keySet().stream().filter(k -> trials.stream().noneMatch(t -> same(group.get(k), withPart(t).get(k))))
                    .findFirst().orElse(group.keySet().iterator().next());
            Set<String> planned = new LinkedHashSet<>();
            for (Trial t : trials) planned.add(Param.of(key, withPart(t).get(key)).value());
            throw new SpecException(source, path, "no planned trial has " + key + "=" + Param.of(key, group.get(key)).value()
                    + (group.size() > 1 ? " together with the group's other values" : "") + "; the trials' values of " + key + " are " + planned);
        }
        return out;
    }

    private static void enough(String source, Check c, List<Trial> members, String path) {
        if (c.trials() > members.size()) {
            throw new SpecException(source, c.path() + ".trials", c.trials() + " trials are never reached: the group at " + path
                    + " has " + members.size() + " planned trial(s)");
        }
    }

    private static void epochs(String source, Check c, List<Trial> members, String path) {
        epoch(source, c.statistic().at(), c.path() + ".at.epoch", members);
        epoch(source, c.statistic().relativeTo(), c.path() + ".relative_to.epoch", members);
    }

    private static void epoch(String source, Statistic.At at, String path, List<Trial> members) {
        if (!(at instanceof Statistic.At.Epoch(int epoch))) return;
        for (Trial t : members) {
            Object e = t.params().get("epochs");
            if (e instanceof Number n && n.intValue() < epoch) {
                throw new SpecException(source, path, "epoch " + epoch + " is never reached: trial "
                        + (t.index() + 1) + " (" + t.label() + ") trains " + n.intValue() + " epoch(s)");
            }
        }
    }

    /** A trial's parameters as its run records them: with its part ({@link SpecParts}) when it has one. */
    private static Map<String, Object> withPart(Trial t) {
        if (!(t.varied().get(SpecParts.KEY) instanceof String part)) return t.params();
        Map<String, Object> p = new java.util.LinkedHashMap<>(t.params());
        p.put(SpecParts.KEY, part);
        return p;
    }

    /** A run (its resolved parameters) is in a group when it has every value the group names. */
    public static boolean matches(Map<String, Object> group, Map<String, Object> params) {
        for (var e : group.entrySet()) if (!same(e.getValue(), params.get(e.getKey()))) return false;
        return true;
    }

    /** Equal as stored parameters: numbers by value (0.01 == 1e-2, 1 == 1.0), the rest by their text. */
    static boolean same(Object groupValue, Object runValue) {
        if (runValue == null) return false;
        Param a = Param.of("k", groupValue), b = Param.of("k", runValue);
        if (a.type() == Param.Type.NUMBER && b.type() == Param.Type.NUMBER) return a.number() == b.number();
        return a.type() == b.type() && a.value().equals(b.value());
    }
}
