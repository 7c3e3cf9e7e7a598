package dev.nnlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.runs.RunCurves;
import dev.nnlab.runs.RunJson;
import dev.nnlab.runs.RunRow;
import dev.nnlab.runs.UnknownRunException;
import dev.nnlab.runs.RunArtifacts;
import dev.nnlab.runs.Workbench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab runs show ID}: everything recorded about one run except its raw curves: status and
 * times, provenance, parameters, the resolved configuration, metric summaries, the last value of
 * every layer statistic, the diagnostics with their hints, and the artifacts (through
 * {@link RunArtifacts}, the service the HTTP API lists them with).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows one run in full: status, provenance, parameters, config, metrics, layers, diagnostics,",
                "artifacts.",
                "Metrics are summaries (last, min, max); layer statistics their last value; diagnostics come",
                "with their hints. Exit 2 for an unknown id."})
final class RunsShowCommand implements Callable<Integer> {

    enum Format { TEXT, JSON }

    private static final MathContext FIVE_DIGITS = new MathContext(5);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ID", description = "The run id (as runs ls prints it; a leading # is fine).")
    String id;

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Mixin
    HostOptions host;

    /** What show reads about one run, through the same services as the HTTP API, in one place for both formats. */
    record Details(RunCatalog.RunDetail run, List<RunCurves.LatestLayerStat> layerStats, List<RunCurves.EventView> events,
                   List<RunArtifacts.ArtifactView> artifacts) {}

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        long runId = parseId(cli, id);
        Details d;
        try (Workbench wb = host.open()) {
            RunCurves curves = new RunCurves(wb.store());
            try {
                d = new Details(new RunCatalog(wb.store()).detail(runId), curves.layers(runId).latest(), curves.events(runId),
                        new RunArtifacts(wb.store()).list(runId));
            } catch (UnknownRunException e) {
                throw new CommandLine.ParameterException(cli, "no run with id " + runId + " in " + host.store() + " (see ./nnlab runs ls)");
            }
        }
        cli.getOut().print(format == Format.JSON ? RunJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json(d)) + "\n" : text(d));
        cli.getOut().flush();
        return 0;
    }

    static long parseId(CommandLine cli, String text) {
        String digits = text.startsWith("#") ? text.substring(1) : text;
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new CommandLine.ParameterException(cli, "ID: '" + text + "' is not a run id; expected a number such as 12");
        }
    }

    static String text(Details d) {
        RunRow r = d.run().row();
        RunCatalog.ProvenanceView p = d.run().provenance();
        StringBuilder sb = new StringBuilder();
        sb.append("run ").append(r.id()).append("  ").append(r.name()).append('\n');
        field(sb, "experiment", r.experiment());
        field(sb, "family", r.family());
        field(sb, "status", r.status());
        field(sb, "created", time(r.created()));
        field(sb, "started", time(r.started()));
        field(sb, "ended", time(r.ended()) + duration(r.started(), r.ended()));
        if (r.error() != null) field(sb, "error", r.error());

        sb.append("\nprovenance\n");
        field(sb, "plugin", orDash(p.pluginId()) + " " + orDash(p.pluginVersion()));
        field(sb, "nnlab", orDash(p.nnlabVersion()));
        field(sb, "git commit", orDash(p.gitCommit()));
        field(sb, "seed", p.seed() == null ? "-" : p.seed().toString());
        field(sb, "dataset", orDash(p.dataset()) + " (checksum " + orDash(p.datasetChecksum()) + ")");

        sb.append("\nparams\n");
        if (r.params().isEmpty()) sb.append("  (none)\n");
        for (String k : r.params().keySet()) field(sb, k, r.paramText(k));

        sb.append("\nresolved config\n");
        sb.append(d.run().config() == null || d.run().config().isNull() ? "  (none recorded)\n" : indent(pretty(d.run().config())));

        sb.append("\nmetrics (summaries)\n");
        if (r.metrics().isEmpty()) {
            sb.append("  (none)\n");
        } else {
            TextTable t = new TextTable(List.of("metric", "last", "at step", "min", "max", "points"));
            r.metrics().forEach((key, s) -> t.add(List.of(key, value(s.last()), String.valueOf(s.lastStep()), value(s.min()),
                    value(s.max()), String.valueOf(s.count()))));
            sb.append(indent(t.render()));
        }

        sb.append("\nlayer statistics (last value of each)\n");
        sb.append(d.layerStats().isEmpty() ? "  (none)\n" : indent(layerTable(d.layerStats())));

        sb.append("\nevents\n");
        if (d.events().isEmpty()) sb.append("  (none)\n");
        for (RunCurves.EventView e : d.events()) {
            sb.append(String.format(Locale.ROOT, "  %-7s %-10s %s: %s%n", e.level(), e.step() == null ? "" : "step " + e.step(),
                    e.code(), e.message()));
            if (e.hint() != null) sb.append("          hint: ").append(e.hint()).append('\n');
        }

        sb.append("\nartifacts\n");
        if (d.artifacts().isEmpty()) {
            sb.append("  (none)\n");
        } else {
            TextTable t = new TextTable(List.of("name", "media type", "bytes", "sha256"));
            for (RunArtifacts.ArtifactView a : d.artifacts()) {
                t.add(List.of(a.name(), a.mediaType(), String.valueOf(a.size()), a.sha256().substring(0, 12)));
            }
            sb.append(indent(t.render()));
        }
        return sb.toString();
    }

    /** Layers as rows, statistics as columns; {@code step} is the layer's latest step. */
    static String layerTable(List<RunCurves.LatestLayerStat> stats) {
        TreeSet<String> names = new TreeSet<>();
        Map<String, Map<String, RunCurves.LatestLayerStat>> byLayer = new LinkedHashMap<>();
        for (RunCurves.LatestLayerStat s : stats) {
            names.add(s.stat());
            byLayer.computeIfAbsent(s.layer(), k -> new LinkedHashMap<>()).put(s.stat(), s);
        }
        List<String> header = new ArrayList<>(List.of("layer", "step"));
        header.addAll(names);
        TextTable t = new TextTable(header);
        byLayer.forEach((layer, row) -> {
            List<String> cells = new ArrayList<>(List.of(layer,
                    String.valueOf(row.values().stream().mapToLong(RunCurves.LatestLayerStat::step).max().orElse(0))));
            for (String n : names) cells.add(row.containsKey(n) ? value(row.get(n).value()) : "-");
            t.add(cells);
        });
        return t.render();
    }

    /** The API's JSON of the run ({@code GET /api/runs/{id}}), with its latest layer statistics, its events and its artifacts. */
    static ObjectNode json(Details d) {
        ObjectMapper json = RunJson.mapper();
        ObjectNode o = json.valueToTree(d.run());
        o.set("layerStats", json.valueToTree(d.layerStats()));
        o.set("events", json.valueToTree(d.events()));
        o.set("artifacts", json.valueToTree(d.artifacts()));
        return o;
    }

    /** Five significant digits: losses, accuracies and norms alike, without a column of zeros. */
    static String value(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (v == 0 || Double.isInfinite(v)) return Double.toString(v);
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e6) return BigDecimal.valueOf(v).round(FIVE_DIGITS).stripTrailingZeros().toPlainString();
        return String.format(Locale.ROOT, "%.4e", v);
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append(String.format(Locale.ROOT, "  %-12s %s%n", name, value));
    }

    private static String time(Long millis) {
        return millis == null ? "-" : Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String duration(Long from, Long to) {
        if (from == null || to == null) return "";
        return String.format(Locale.ROOT, "  (%.1f s)", (to - from) / 1000.0);
    }

    private static String pretty(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return RunJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (IOException e) {
            return node.toString();
        }
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String indent(String block) {
        return block.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }
}
