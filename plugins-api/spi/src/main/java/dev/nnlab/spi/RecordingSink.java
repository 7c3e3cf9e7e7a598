package dev.nnlab.spi;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@link RunSink} that keeps everything in memory: for a plugin author's tests, and for running a
 * family outside the host (notebooks, benchmarks). Thread-safe.
 *
 * <p>Stability: stable.
 */
public final class RecordingSink implements RunSink {
    public record Metric(String key, long step, double epoch, double value) {}
    public record Stat(long step, String layer, String stat, double value) {}
    public record Event(long step, Severity severity, String code, String message, String hint) {}
    /** An artifact as the run stored it; the bytes are the sink's own copy. */
    public record Artifact(String name, String mediaType, byte[] bytes) {}

    private final List<Metric> metrics = Collections.synchronizedList(new ArrayList<>());
    private final List<Stat> stats = Collections.synchronizedList(new ArrayList<>());
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Artifact> artifacts = Collections.synchronizedMap(new LinkedHashMap<>());
    private final AtomicBoolean stop = new AtomicBoolean();

    @Override public void metric(String key, long step, double epoch, double value) { metrics.add(new Metric(key, step, epoch, value)); }
    @Override public void layerStat(long step, String layer, String stat, double value) { stats.add(new Stat(step, layer, stat, value)); }
    @Override public void event(long step, Severity s, String code, String message, String hint) { events.add(new Event(step, s, code, message, hint)); }
    @Override public boolean stopRequested() { return stop.get(); }

    /** Keeps the artifact in memory (fine for tests); a writer that fails is recorded as the host records it. */
    @Override
    public void artifact(String name, String mediaType, ArtifactWriter writer) {
        ArtifactName.check(name);
        ArtifactName.checkMediaType(mediaType);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.writeTo(out);
        } catch (IOException | RuntimeException e) {
            event(-1, Severity.ERROR, "artifact_failed", "artifact " + name + " could not be stored: " + e, null);
            return;
        }
        synchronized (artifacts) {
            artifacts.remove(name); // the newer comes last, as in a listing by time
            artifacts.put(name, new Artifact(name, mediaType, out.toByteArray()));
        }
    }

    /** Makes {@link #stopRequested()} true from now on. */
    public void requestStop() { stop.set(true); }

    public List<Metric> metrics() { synchronized (metrics) { return List.copyOf(metrics); } }
    public List<Stat> layerStats() { synchronized (stats) { return List.copyOf(stats); } }
    public List<Event> events() { synchronized (events) { return List.copyOf(events); } }
    /** The artifacts stored, the latest version of each name. */
    public List<Artifact> artifacts() { synchronized (artifacts) { return List.copyOf(artifacts.values()); } }

    /** The artifact named {@code name}, or null. */
    public Artifact artifact(String name) { return artifacts.get(name); }

    /** The values of one metric, in the order reported. */
    public List<Double> values(String key) {
        return metrics().stream().filter(m -> m.key().equals(key)).map(Metric::value).toList();
    }

    /** The last value of one metric, NaN if never reported. */
    public double last(String key) {
        List<Double> v = values(key);
        return v.isEmpty() ? Double.NaN : v.getLast();
    }

    public boolean hasEvent(String code) {
        return events().stream().anyMatch(e -> e.code().equals(code));
    }
}
