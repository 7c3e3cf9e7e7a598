package dev.nnlab.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.MetricSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab runs ls}: one row per run with its key parameters and final metrics, read from the
 * metric summaries (never the raw points), so it stays fast on stores of millions of points.
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
    public Integer call() {
        CommandLine cli = spec.commandLine();
        if (limit != null && limit < 1) throw new CommandLine.ParameterException(cli, "--limit: " + limit + " is not allowed; expected 1 or more");
        List<ListedRun> runs;
        try (Workbench wb = host.open()) {
            runs = ListedRun.load(wb.store(), selection.select(wb.store(), sort, limit == null ? 0 : limit, cli));
        }
        PrintWriter out = cli.getOut();
        switch (format) {
            case TABLE -> out.print(table(runs));
            case JSON -> out.println(JsonOutput.write(json(runs)));
            case CSV -> csv(runs, out);
        }
        out.flush();
        return 0;
    }

    static String table(List<ListedRun> runs) {
        if (runs.isEmpty()) return "no runs match\n";
        KeyParams keys = KeyParams.choose(runs, MAX_PARAM_COLUMNS);
        List<String> header = new ArrayList<>(List.of("id", "experiment", "status", "family"));
        header.addAll(keys.shown());
        header.addAll(List.of("train_loss", "best val_acc", "best val_loss", "test_acc", "name"));
        TextTable t = new TextTable(header);
        for (ListedRun r : runs) {
            List<String> row = new ArrayList<>(List.of(String.valueOf(r.run().id()), r.experiment(), r.run().status().name(), r.run().family()));
            for (String k : keys.shown()) row.add(r.params().containsKey(k) ? r.param(k) : "-");
            row.addAll(List.of(RunCommand.num(r.last("train_loss")), RunCommand.pct(r.max("val_acc")),
                    RunCommand.num(r.min("val_loss")), RunCommand.pct(r.last("test_acc")), r.run().name()));
            t.add(row);
        }
        return t.render() + footnote(keys, runs.getFirst());
    }

    /** What the table left out for room: the varying keys by name, the constant ones with their value. */
    static String footnote(KeyParams keys, ListedRun any) {
        StringBuilder sb = new StringBuilder();
        List<String> hidden = keys.hidden();
        if (keys.hiddenVarying() > 0) {
            sb.append("more parameters that vary: ").append(String.join(", ", hidden.subList(0, keys.hiddenVarying())))
                    .append(" (see --format json)\n");
        }
        List<String> constant = new ArrayList<>();
        for (String k : hidden.subList(keys.hiddenVarying(), hidden.size())) constant.add(k + "=" + (any.params().containsKey(k) ? any.param(k) : "-"));
        if (!constant.isEmpty()) sb.append("the same in every run: ").append(String.join(" ", constant)).append('\n');
        return sb.toString();
    }

    static ArrayNode json(List<ListedRun> runs) {
        ArrayNode array = JsonOutput.MAPPER.createArrayNode();
        for (ListedRun r : runs) {
            ObjectNode o = JsonOutput.run(r.run(), r.experiment());
            o.set("params", JsonOutput.params(r.params()));
            o.set("metrics", JsonOutput.summaries(r.metrics()));
            array.add(o);
        }
        return array;
    }

    /** Every parameter, then last/min/max of every metric, as columns. */
    static void csv(List<ListedRun> runs, PrintWriter out) {
        List<String> params = KeyParams.choose(runs, Integer.MAX_VALUE).shown();
        TreeSet<String> metrics = new TreeSet<>();
        for (ListedRun r : runs) metrics.addAll(r.metrics().keySet());
        List<String> header = new ArrayList<>(List.of("id", "experiment", "status", "family", "name", "created"));
        for (String p : params) header.add("params." + p);
        for (String m : metrics) header.addAll(List.of("metrics." + m + ".last", "metrics." + m + ".min", "metrics." + m + ".max"));
        try (CsvRows csv = new CsvRows(out, header)) {
            for (ListedRun r : runs) {
                List<String> row = new ArrayList<>(List.of(String.valueOf(r.run().id()), r.experiment(), r.run().status().name(),
                        r.run().family(), r.run().name(), String.valueOf(r.run().created())));
                for (String p : params) row.add(r.param(p));
                for (String m : metrics) {
                    MetricSummary s = r.metrics().get(m);
                    row.addAll(s == null ? List.of("", "", "") : List.of(csvNumber(s.last()), csvNumber(s.min()), csvNumber(s.max())));
                }
                csv.add(row);
            }
        }
    }

    /** Full precision; NaN as {@code NaN}, which spreadsheets and pandas read back as a missing value. */
    static String csvNumber(double v) {
        return Double.toString(v);
    }
}
