package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LessonVerdict;
import dev.nnlab.store.Store;
import dev.nnlab.sweep.ExperimentSpec;
import dev.nnlab.sweep.SpecException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lessons for the CLI and the HTTP API: evaluates a batch's lesson when the batch ends and records
 * the verdict, reads an experiment's verdicts, and lists the shipped lessons with their last verdict.
 */
public final class LessonService {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Store store;

    public LessonService(Store store) {
        this.store = store;
    }

    /** Evaluates {@code lesson} on the batch's runs and records the verdict; null when there is no lesson. */
    public LessonVerdict evaluate(long experimentId, Lesson lesson, List<Long> runIds) {
        if (lesson == null) return null;
        Verdict v = new LessonEvaluator(store).evaluate(lesson, runIds);
        return store.verdicts().record(experimentId, v.outcome().name(), lesson.document(), json(v.checks()), runIds);
    }

    /** A verdict as the API gives it: times in epoch milliseconds, like every other time of the API. */
    public record VerdictView(long id, long experimentId, long created, String verdict, JsonNode lesson, JsonNode checks,
                              List<Long> runIds) {
        static VerdictView of(LessonVerdict v) {
            return new VerdictView(v.id(), v.experimentId(), v.created().toEpochMilli(), v.verdict(), v.lesson(), v.checks(), v.runIds());
        }
    }

    /** Every verdict of an experiment, oldest first (the last is the current one). */
    public List<VerdictView> verdicts(long experimentId) {
        store.experiments().find(experimentId).orElseThrow(() -> new UnknownExperimentException(experimentId));
        return store.verdicts().list(experimentId).stream().map(VerdictView::of).toList();
    }

    /** A shipped lesson file, its claim, and the last verdict of the experiment of its name (if run). */
    public record Shipped(Path file, String name, Lesson lesson, Optional<LessonVerdict> last) {}

    /** The lessons in {@code dir} ({@code experiments/lessons/*.json}), by file name. */
    public List<Shipped> shipped(Path dir) throws IOException {
        List<Shipped> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                ExperimentSpec spec = ExperimentSpec.parse(f.toString(), Files.readString(f));
                Lesson lesson = Lesson.parse(f.toString(), spec.document().get("lesson"));
                if (lesson == null) throw new SpecException(f.toString(), "$.lesson", "missing; a file in " + dir + " must hold a lesson");
                Optional<LessonVerdict> last = store.experiments().findByName(spec.name()).map(Experiment::id)
                        .flatMap(id -> store.verdicts().latest(id));
                out.add(new Shipped(f, spec.name(), lesson, last));
            }
        }
        return out;
    }

    /** The results as JSON, NaN (an undefined spread) as null. */
    static JsonNode json(Object value) {
        return withoutNaN(JSON.valueToTree(value));
    }

    private static JsonNode withoutNaN(JsonNode n) {
        if (n.isNumber() && !Double.isFinite(n.doubleValue())) return NullNode.getInstance();
        if (n instanceof ObjectNode o) o.properties().forEach(e -> e.setValue(withoutNaN(e.getValue())));
        if (n instanceof ArrayNode a) for (int i = 0; i < a.size(); i++) a.set(i, withoutNaN(a.get(i)));
        return n;
    }
}
