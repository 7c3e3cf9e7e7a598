package dev.nnlab.training;

import dev.nnlab.spi.RunSink;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which units of each layer that can die were dead at the end of a run, as {@value #NAME}: the
 * detail behind the {@code dead_fraction_probe} figure. For a ReLU after a convolution a unit is a
 * channel, dead when it output 0 at every position of every probe sample (the fixed validation probe
 * of the last epoch end, evaluation mode); after a dense layer it is a feature.
 *
 * <pre>{"probeSamples":1000,"layers":[
 *  {"layer":"relu1","unit":"channel","units":32,"deadCount":2,"deadFraction":0.0625,"dead":[3,17]}, ...]}</pre>
 *
 * <p>Stability: evolving.
 */
public final class DeadUnitsArtifact {
    public static final String NAME = "dead_units.json";

    private DeadUnitsArtifact() {}

    public static void report(RunSink sink, int probeSamples, List<LayerMonitor.DeadUnits> layers) {
        if (layers.isEmpty()) return;
        StringBuilder b = new StringBuilder("{\"probeSamples\":").append(probeSamples).append(",\"layers\":[");
        for (int i = 0; i < layers.size(); i++) {
            LayerMonitor.DeadUnits d = layers.get(i);
            b.append(i == 0 ? "\n " : ",\n ").append("{\"layer\":\"").append(d.layer()).append("\",\"unit\":\"")
                    .append(d.channels() ? "channel" : "feature").append("\",\"units\":").append(d.units())
                    .append(",\"deadCount\":").append(d.dead().length).append(",\"deadFraction\":")
                    .append(d.units() == 0 ? 0 : (double) d.dead().length / d.units()).append(",\"dead\":[");
            for (int k = 0; k < d.dead().length; k++) b.append(k == 0 ? "" : ",").append(d.dead()[k]);
            b.append("]}");
        }
        b.append("]}\n");
        sink.artifact(NAME, "application/json", b.toString().getBytes(StandardCharsets.UTF_8));
    }
}
