package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LessonVerdict;
import dev.nnlab.sweep.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ./nnlab lessons}: every shipped lesson (experiments/lessons/*.json) with its last verdict. */
@Command(name = "lessons", mixinStandardHelpOptions = true,
        description = {"Lists the shipped lessons (experiments/lessons/*.json): the claim, its source, and the last",
                "verdict recorded in the store (run one with ./nnlab run experiments/lessons/NAME.json)."})
final class LessonsCommand implements java.util.concurrent.Callable<Integer> {

    @Mixin
    HostOptions host;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where the lessons are (default: experiments/lessons of the nnlab installation).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Path home = HostOptions.home();
        Path dir = this.dir != null ? this.dir : (home != null ? home : Path.of("")).resolve("experiments").resolve("lessons");
        try (Workbench wb = host.open()) {
            List<LessonService.Shipped> shipped;
            try {
                shipped = wb.lessons().shipped(dir);
            } catch (SpecException e) {
                throw new InputError(e.getMessage());
            }
            if (shipped.isEmpty()) {
                System.out.println("no lessons in " + dir);
                return 0;
            }
            TextTable t = new TextTable(List.of("lesson", "last verdict", "when", "claim", "source"));
            for (LessonService.Shipped s : shipped) {
                t.add(List.of(s.name(), s.last().map(LessonVerdict::verdict).orElse("never run"),
                        s.last().map(v -> v.created().toString().replace('T', ' ').replaceAll("\\.\\d+Z$", "Z")).orElse("-"),
                        s.lesson().claim(), s.lesson().source()));
            }
            System.out.print(t.render());
            return 0;
        }
    }

    /** A verdict as printed under a batch's summary table: the claim, each check with its numbers, the outcome. */
    static String verdict(LessonVerdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nlesson: ").append(v.lesson().path("claim").asText()).append('\n');
        sb.append("source: ").append(v.lesson().path("source").asText()).append('\n');
        for (JsonNode c : v.checks()) {
            sb.append("  ").append(c.path("outcome").asText()).append("  ").append(c.path("describe").asText()).append('\n');
            sb.append("      ").append(group(c.path("group")));
            if (!c.path("other").isNull() && !c.path("other").isMissingNode()) sb.append(" vs ").append(group(c.path("other")));
            sb.append("; ").append(c.path("reason").asText()).append('\n');
        }
        sb.append("verdict: ").append(v.verdict().replace('_', ' ')).append('\n');
        return sb.toString();
    }

    private static String group(JsonNode g) {
        StringBuilder sb = new StringBuilder("mean ").append(num(g.path("mean")));
        if (g.path("sd").isNumber()) sb.append(" sd ").append(num(g.path("sd")));
        sb.append(" over ").append(g.path("runs").size()).append(" run(s) [");
        for (int i = 0; i < g.path("runs").size(); i++) {
            JsonNode r = g.path("runs").get(i);
            if (i > 0) sb.append(", ");
            sb.append('#').append(r.path("runId").asLong()).append(' ')
                    .append(r.path("text").isTextual() ? r.path("text").asText() : num(r.path("value")));
        }
        return sb.append(']').toString();
    }

    private static String num(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.4g", n.doubleValue()) : "-";
    }
}
