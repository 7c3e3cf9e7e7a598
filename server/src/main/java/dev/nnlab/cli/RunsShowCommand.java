package dev.nnlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.runs.RunArtifacts;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
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

    /** What show reads about one run, in one place for both formats. */
    record Details(ListedRun run, List<LayerStat> layerStats, List<RunEvent> events, List<RunArtifacts.ArtifactView> artifacts) {}

    @Override
    public Integer call() {
        CommandLine cli = spec.commandLine();
        long runId = parseId(cli, id);
        Details d;
        try (Workbench wb = host.open()) {
            Store store = wb.store();
            Run run = store.runs().get(runId).orElseThrow(() -> new CommandLine.ParameterException(cli,
                    "no run with id " + runId + " in " + host.dbPath() + " (see ./nnlab runs ls)"));
            d = new Details(ListedRun.load(store, List.of(run)).getFirst(), store.layerStats().latest(runId), store.events().list(runId),
                    new RunArtifacts(store).list(runId));
        }
        cli.getOut().print(format == Format.JSON ? JsonOutput.write(json(d)) + "\n" : text(d));
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
        Run r = d.run().run();
        Provenance p = r.provenance();
        StringBuilder sb = new StringBuilder();
        sb.append("run ").append(r.id()).append("  ").append(r.name()).append('\n');
        field(sb, "experiment", d.run().experiment());
        field(sb, "family", r.family());
        field(sb, "status", r.status().name());
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
        if (d.run().params().isEmpty()) sb.append("  (none)\n");
        d.run().params().forEach((k, v) -> field(sb, k, v.value()));

        sb.append("\nresolved config\n");
        sb.append(r.config() == null ? "  (none recorded)\n" : indent(JsonOutput.write(r.config())));

        sb.append("\nmetrics (summaries)\n");
        if (d.run().metrics().isEmpty()) {
            sb.append("  (none)\n");
        } else {
            TextTable t = new TextTable(List.of("metric", "last", "at step", "min", "max", "points"));
            for (MetricSummary s : d.run().metrics().values()) {
                t.add(List.of(s.key(), value(s.last()), String.valueOf(s.lastStep()), value(s.min()), value(s.max()), String.valueOf(s.count())));
            }
            sb.append(indent(t.render()));
        }

        sb.append("\nlayer statistics (last value of each)\n");
        sb.append(d.layerStats().isEmpty() ? "  (none)\n" : indent(layerTable(d.layerStats())));

        sb.append("\nevents\n");
        if (d.events().isEmpty()) sb.append("  (none)\n");
        for (RunEvent e : d.events()) {
            sb.append(String.format(Locale.ROOT, "  %-7s %-10s %s: %s%n", e.level(), e.step() < 0 ? "" : "step " + e.step(), e.code(), e.message()));
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
    static String layerTable(List<LayerStat> stats) {
        TreeSet<String> names = new TreeSet<>();
        Map<String, Map<String, LayerStat>> byLayer = new LinkedHashMap<>();
        for (LayerStat s : stats) {
            names.add(s.stat());
            byLayer.computeIfAbsent(s.layer(), k -> new LinkedHashMap<>()).put(s.stat(), s);
        }
        List<String> header = new ArrayList<>(List.of("layer", "step"));
        header.addAll(names);
        TextTable t = new TextTable(header);
        byLayer.forEach((layer, row) -> {
            List<String> cells = new ArrayList<>(List.of(layer,
                    String.valueOf(row.values().stream().mapToLong(LayerStat::step).max().orElse(0))));
            for (String n : names) cells.add(row.containsKey(n) ? value(row.get(n).value()) : "-");
            t.add(cells);
        });
        return t.render();
    }

    static ObjectNode json(Details d) {
        Run r = d.run().run();
        ObjectNode o = JsonOutput.run(r, d.run().experiment());
        o.set("provenance", JsonOutput.provenance(r.provenance()));
        o.set("params", JsonOutput.params(d.run().params()));
        o.set("config", r.config());
        o.set("metrics", JsonOutput.summaries(d.run().metrics()));
        ArrayNode layers = o.putArray("layerStats");
        for (LayerStat s : d.layerStats()) {
            ObjectNode l = layers.addObject();
            l.put("layer", s.layer());
            l.put("stat", s.stat());
            l.put("step", s.step());
            l.set("value", JsonOutput.number(s.value()));
        }
        ArrayNode events = o.putArray("events");
        for (RunEvent e : d.events()) {
            ObjectNode ev = events.addObject();
            if (e.step() < 0) ev.putNull("step");
            else ev.put("step", e.step());
            ev.put("level", e.level().name());
            ev.put("code", e.code());
            ev.put("message", e.message());
            ev.put("hint", e.hint());
            ev.set("time", JsonOutput.time(Instant.ofEpochMilli(e.wallTime())));
        }
        ArrayNode artifacts = o.putArray("artifacts");
        for (RunArtifacts.ArtifactView a : d.artifacts()) {
            ObjectNode an = artifacts.addObject();
            an.put("name", a.name());
            an.put("mediaType", a.mediaType());
            an.put("size", a.size());
            an.put("sha256", a.sha256());
            an.set("created", JsonOutput.time(Instant.ofEpochMilli(a.created())));
            an.put("url", a.url());
        }
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

    private static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String duration(Instant from, Instant to) {
        if (from == null || to == null) return "";
        Duration d = Duration.between(from, to);
        return String.format(Locale.ROOT, "  (%.1f s)", d.toMillis() / 1000.0);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }

    private static String indent(String block) {
        return block.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    }
}
