package dev.nnlab.cli;

import dev.nnlab.runs.CsvRows;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.runs.RunJson;
import dev.nnlab.runs.RunRow;
import dev.nnlab.runs.Workbench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code ./nnlab runs ls}: one row per run with its key parameters and final metrics, read from the
 * metric summaries (never the raw points), so it stays fast on stores of millions of points. The
 * rows come from {@link RunCatalog}, as the HTTP API's do; {@code --format json} prints exactly the
 * API's {@code RunRow}s.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"Lists runs: id, experiment, status, family, the parameters that vary among them, final metrics.",
                "Exit 2 for a malformed --filter or --sort (with the position and what was expected)."})
final class RunsLsCommand implements Callable<Integer> {
    /** Beyond this many parameter columns a terminal table wraps; the rest go to json/csv/show. */
    static final int MAX_PARAM_COLUMNS = 6;

    enum Format { TABLE, JSON, CSV }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RunSelection selection;

    @Option(names = "--sort", paramLabel = "FIELD [asc|desc]",
            description = "e.g. \"metrics.val_acc.max desc\", \"params.lr\", \"created desc\" (the default: newest first).")
    String sort;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs.")
    Integer limit;

    @Option(names = "--format", paramLabel = "table|json|csv", defaultValue = "table",
            description = "table (default), json (all params and metric summaries) or csv.")
    Format format;

    @Mixin
    HostOptions host;

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        if (limit != null && limit < 1) throw new CommandLine.ParameterException(cli, "--limit: " + limit + " is not allowed; expected 1 or more");
        List<RunRow> runs;
        try (Workbench wb = host.open()) {
            runs = new RunCatalog(wb.store()).rows(selection.query(wb.store(), sort, limit == null ? 0 : limit, cli));
        }
        PrintWriter out = cli.getOut();
        switch (format) {
            case TABLE -> out.print(table(runs));
            case JSON -> out.println(RunJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(runs));
            case CSV -> csv(runs, out);
        }
        out.flush();
        return 0;
    }

    static String table(List<RunRow> runs) {
        if (runs.isEmpty()) return "no runs match\n";
        KeyParams keys = KeyParams.choose(runs, MAX_PARAM_COLUMNS);
        List<String> header = new ArrayList<>(List.of("id", "experiment", "status", "family"));
        header.addAll(keys.shown());
        header.addAll(List.of("train_loss", "best val_acc", "best val_loss", "test_acc", "name"));
        TextTable t = new TextTable(header);
        for (RunRow r : runs) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.id()), r.experiment(), r.status(), r.family()));
            for (String k : keys.shown()) row.add(r.params().containsKey(k) ? r.paramText(k) : "-");
            row.addAll(List.of(RunCommand.num(stat(r, "train_loss", RunRow.MetricStats::last)),
                    RunCommand.pct(stat(r, "val_acc", RunRow.MetricStats::max)),
                    RunCommand.num(stat(r, "val_loss", RunRow.MetricStats::min)),
                    RunCommand.pct(stat(r, "test_acc", RunRow.MetricStats::last)), r.name()));
            t.add(row);
        }
        return t.render() + footnote(keys, runs.getFirst());
    }

    /** One figure of a metric's summary; NaN if the run has no such metric. */
    static double stat(RunRow r, String key, ToDoubleFunction<RunRow.MetricStats> which) {
        RunRow.MetricStats s = r.metrics().get(key);
        return s == null ? Double.NaN : which.applyAsDouble(s);
    }

    /** What the table left out for room: the varying keys by name, the constant ones with their value. */
    static String footnote(KeyParams keys, RunRow any) {
        StringBuilder sb = new StringBuilder();
        List<String> hidden = keys.hidden();
        if (keys.hiddenVarying() > 0) {
            sb.append("more parameters that vary: ").append(String.join(", ", hidden.subList(0, keys.hiddenVarying())))
                    .append(" (see --format json)\n");
        }
        List<String> constant = new ArrayList<>();
        for (String k : hidden.subList(keys.hiddenVarying(), hidden.size())) constant.add(k + "=" + any.paramText(k));
        if (!constant.isEmpty()) sb.append("the same in every run: ").append(String.join(" ", constant)).append('\n');
        return sb.toString();
    }

    /** Every parameter, then last/min/max of every metric, as columns. */
    static void csv(List<RunRow> runs, PrintWriter out) {
        List<String> params = KeyParams.choose(runs, Integer.MAX_VALUE).shown();
        TreeSet<String> metrics = new TreeSet<>();
        for (RunRow r : runs) metrics.addAll(r.metrics().keySet());
        List<String> header = new ArrayList<>(List.of("id", "experiment", "status", "family", "name", "created"));
        for (String p : params) header.add("params." + p);
        for (String m : metrics) header.addAll(List.of("metrics." + m + ".last", "metrics." + m + ".min", "metrics." + m + ".max"));
        try (CsvRows csv = new CsvRows(out, header)) {
            for (RunRow r : runs) {
                List<String> row = new ArrayList<>(List.of(String.valueOf(r.id()), r.experiment(), r.status(),
                        r.family(), r.name(), r.created() == null ? "" : Instant.ofEpochMilli(r.created()).toString()));
                for (String p : params) row.add(r.paramText(p));
                for (String m : metrics) {
                    RunRow.MetricStats s = r.metrics().get(m);
                    row.addAll(s == null ? List.of("", "", "")
                            : List.of(CsvRows.number(s.last()), CsvRows.number(s.min()), CsvRows.number(s.max())));
                }
                csv.add(row);
            }
        }
    }
}
