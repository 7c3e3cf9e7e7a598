package dev.nnlab.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.Store;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab runs export}: every metric point of the selected runs at full resolution, for
 * pandas, R or a spreadsheet. Written one curve at a time, so an export never holds a whole store
 * in memory.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports every metric point of the selected runs: run id, key, step, epoch, wall time, value.",
                "csv: one point per line; json: an array of runs, each with its params and points."})
final class RunsExportCommand implements Callable<Integer> {

    enum Format { CSV, JSON }

    static final List<String> CSV_HEADER = List.of("run_id", "key", "step", "epoch", "wall_time", "value");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "csv|json", defaultValue = "csv", description = "csv (default) or json.")
    Format format;

    @Mixin
    RunSelection selection;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
    Path output;

    @Mixin
    HostOptions host;

    @Override
    public Integer call() throws IOException {
        CommandLine cli = spec.commandLine();
        try (Workbench wb = host.open()) {
            List<ListedRun> runs = ListedRun.load(wb.store(), selection.select(wb.store(), "id asc", 0, cli));
            long points;
            if (output == null) {
                points = write(wb.store(), runs, cli.getOut());
                cli.getOut().flush();
            } else {
                if (output.getParent() != null) Files.createDirectories(output.getParent());
                try (Writer w = Files.newBufferedWriter(output)) {
                    points = write(wb.store(), runs, w);
                }
                cli.getErr().printf("wrote %d points of %d run(s) to %s%n", points, runs.size(), output);
                cli.getErr().flush();
            }
        }
        return 0;
    }

    /** Writes the export; returns how many points it holds. */
    long write(Store store, List<ListedRun> runs, Writer out) throws IOException {
        return format == Format.CSV ? csv(store, runs, out) : json(store, runs, out);
    }

    static long csv(Store store, List<ListedRun> runs, Writer out) {
        long n = 0;
        try (CsvRows csv = new CsvRows(out, CSV_HEADER)) {
            for (ListedRun r : runs) {
                for (String key : r.metrics().keySet()) {
                    for (MetricPoint p : store.metrics().series(r.run().id(), key)) {
                        csv.add(List.of(String.valueOf(p.runId()), p.key(), String.valueOf(p.step()), Double.toString(p.epoch()),
                                Instant.ofEpochMilli(p.wallTime()).toString(), Double.toString(p.value())));
                        n++;
                    }
                }
            }
        }
        return n;
    }

    static long json(Store store, List<ListedRun> runs, Writer out) throws IOException {
        long n = 0;
        try (JsonGenerator g = JsonOutput.COMPACT.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            for (ListedRun r : runs) {
                g.writeStartObject();
                g.writeNumberField("id", r.run().id());
                g.writeStringField("experiment", r.experiment());
                g.writeStringField("name", r.run().name());
                g.writeStringField("status", r.run().status().name());
                g.writeStringField("family", r.run().family());
                g.writeFieldName("params");
                g.writeTree(JsonOutput.params(r.params()));
                g.writeArrayFieldStart("points");
                for (String key : r.metrics().keySet()) {
                    for (MetricPoint p : store.metrics().series(r.run().id(), key)) {
                        g.writeStartObject();
                        g.writeStringField("key", p.key());
                        g.writeNumberField("step", p.step());
                        g.writeNumberField("epoch", p.epoch());
                        g.writeStringField("wallTime", Instant.ofEpochMilli(p.wallTime()).toString());
                        g.writeFieldName("value");
                        // NaN (a diverged loss) has no JSON number; null keeps the point and the file valid.
                        if (Double.isFinite(p.value())) g.writeNumber(p.value());
                        else g.writeNull();
                        g.writeEndObject();
                        n++;
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeRaw('\n');
        }
        return n;
    }
}
