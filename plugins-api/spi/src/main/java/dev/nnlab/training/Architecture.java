package dev.nnlab.training;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.WindowGeometry;
import dev.nnlab.spi.RunSink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a learner reads off a network before it trains: per top-level layer its output shape, its
 * parameter count and its receptive field (how many input pixels along one axis can influence one
 * output value). Stored as the {@value #ARTIFACT} artifact of a run.
 *
 * <p>Receptive field by the usual recurrence (Araujo et al. 2019): with {@code r} the field and
 * {@code j} the distance in input pixels between neighbouring outputs ("jump"), a window of kernel
 * K and stride S gives {@code r' = r + (K - 1) j} and {@code j' = j S}; layers without a window keep
 * both. A residual block takes the larger field of its body and its shortcut, which is the body's.
 * Fully connected and global-pooling layers see the whole input; their field is reported as the
 * input size.
 *
 * <p>Stability: experimental (the CNN/ResNet families).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Architecture {
    public static final String ARTIFACT = "layers.json";

    /** One row of the table; {@code receptiveField} is along one axis, in input pixels. */
    public record Row(String layer, String kind, int[] outputShape, long params, int receptiveField, int jump) {}

    private Architecture() {}

    public static List<Row> rows(Sequential model) {
        int[] in = model.inputShape();
        int whole = in.length >= 2 ? Math.max(in[in.length - 1], in[in.length - 2]) : 1;
        List<Row> rows = new ArrayList<>();
        int r = 1, j = 1;
        for (int i = 0; i < model.layers().size(); i++) {
            Layer layer = model.layer(i);
            int[] field = advance(layer, r, j);
            r = field[0];
            j = field[1];
            int[] shape = model.outputShape(i);
            // Once the spatial axes are gone (dense, global pooling), every output sees the whole image.
            if (shape.length < 3) r = whole;
            rows.add(new Row(model.name(i), layer.kind(), shape, paramsOf(model.params(), model.name(i)), Math.min(r, whole), j));
        }
        return rows;
    }

    /** {r, j} after {@code layer}; a container folds over its body (its shortcut's field is never larger). */
    private static int[] advance(Layer layer, int r, int j) {
        if (layer instanceof WindowGeometry.Windowed w) {
            WindowGeometry g = w.geometry();
            return new int[] {r + (g.kernel() - 1) * j, j * g.stride()};
        }
        int[] rj = {r, j};
        for (Layer.Nested child : layer.children()) {
            if (child.name().endsWith(".shortcut")) continue;
            rj = advance(child.layer(), rj[0], rj[1]);
        }
        return rj;
    }

    private static long paramsOf(Parameters p, String layer) {
        long n = 0;
        for (Parameters.Entry e : p.entries()) if (e.trainable() && e.name().startsWith(layer + ".")) n += e.size();
        return n;
    }

    /** The table as JSON: {"input": [..], "totalParams": n, "layers": [{"layer", "kind", "output", "params", "receptiveField"}]}. */
    public static String json(Sequential model) {
        StringBuilder sb = new StringBuilder("{\"input\":").append(Arrays.toString(model.inputShape()).replace(" ", ""))
                .append(",\"totalParams\":").append(model.params().trainableCount()).append(",\"layers\":[");
        List<Row> rows = rows(model);
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            if (i > 0) sb.append(',');
            // Names and kinds are [a-z0-9.] by construction (Layer.kind() + index), so no escaping is needed.
            sb.append("{\"layer\":\"").append(row.layer()).append("\",\"kind\":\"").append(row.kind())
                    .append("\",\"output\":").append(Arrays.toString(row.outputShape()).replace(" ", ""))
                    .append(",\"params\":").append(row.params())
                    .append(",\"receptiveField\":").append(row.receptiveField()).append('}');
        }
        return sb.append("]}").toString();
    }

    /** A one-line summary for the run's event list: {@code conv0 32x28x28 (320 params, field 3) -> ...}. */
    public static String summary(Sequential model) {
        StringBuilder sb = new StringBuilder();
        for (Row row : rows(model)) {
            if (!sb.isEmpty()) sb.append(" -> ");
            sb.append(row.layer()).append(' ').append(String.join("x", Arrays.stream(row.outputShape()).mapToObj(Integer::toString).toList()));
            if (row.params() > 0) sb.append(" (").append(row.params()).append(" params)");
        }
        return sb.toString();
    }

    /** Stores the table as {@value #ARTIFACT} and one INFO event with the total and the layer chain. */
    public static void report(RunSink sink, Sequential model) {
        sink.artifact(ARTIFACT, "application/json", json(model).getBytes(StandardCharsets.UTF_8));
        List<Row> rows = rows(model);
        int field = rows.stream().filter(r -> r.outputShape().length == 3).mapToInt(Row::receptiveField).max().orElse(1);
        sink.event(0, RunSink.Severity.INFO, "architecture", model.params().trainableCount() + " trainable parameters; "
                        + summary(model),
                "The last convolutional layer sees " + field + " input pixels along each axis; " + ARTIFACT
                        + " lists every layer's output shape, parameter count and receptive field.");
    }
}
