package dev.nnlab.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nnlab.runs.CurveSampler;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.runs.RunCurves;
import dev.nnlab.runs.RunJson;
import dev.nnlab.runs.RunRow;
import dev.nnlab.runs.Workbench;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code ./nnlab runs export}: every metric point of the selected runs at full resolution, for
 * pandas, R or a spreadsheet. Written one curve at a time, so an export never holds a whole store
 * in memory. The CSV is the HTTP API's {@code metrics.csv}, written by the same code.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Exports every metric point of the selected runs: run id, key, step, epoch, wall time, value.",
                "csv: one point per line; json: an array of runs, each with its params and points."})
final class RunsExportCommand implements Callable<Integer> {

    enum Format { CSV, JSON }

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
            List<RunRow> runs = new RunCatalog(wb.store()).rows(selection.query(wb.store(), "id asc", 0, cli));
            RunCurves curves = new RunCurves(wb.store());
            long points;
            if (output == null) {
                points = write(curves, runs, cli.getOut());
                cli.getOut().flush();
            } else {
                if (output.getParent() != null) Files.createDirectories(output.getParent());
                try (Writer w = Files.newBufferedWriter(output)) {
                    points = write(curves, runs, w);
                }
                cli.getErr().printf("wrote %d points of %d run(s) to %s%n", points, runs.size(), output);
                cli.getErr().flush();
            }
        }
        return 0;
    }

    /** Writes the export; returns how many points it holds. */
    long write(RunCurves curves, List<RunRow> runs, Writer out) throws IOException {
        if (format == Format.CSV) return curves.csv(runs.stream().map(RunRow::id).toList()).writeTo(out);
        return json(curves, runs, out);
    }

    /** An array of runs, each its identity and parameters as the API has them, then every point of every curve. */
    static long json(RunCurves curves, List<RunRow> runs, Writer out) throws IOException {
        long n = 0;
        try (JsonGenerator g = RunJson.mapper().getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            for (RunRow r : runs) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeStringField("experiment", r.experiment());
                g.writeStringField("name", r.name());
                g.writeStringField("status", r.status());
                g.writeStringField("family", r.family());
                g.writeObjectField("params", r.params());
                g.writeArrayFieldStart("points");
                for (String key : r.metrics().keySet()) {
                    // One curve in memory at a time.
                    RunCurves.Curve curve = curves.metrics(r.id(), List.of(key), 1, true).series().get(key);
                    for (CurveSampler.Sample p : curve.points()) {
                        g.writeStartObject();
                        g.writeStringField("key", key);
                        g.writeNumberField("step", p.step());
                        g.writeNumberField("epoch", p.epoch());
                        g.writeNumberField("wallTime", p.wallTime());
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
