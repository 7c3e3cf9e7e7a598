package dev.nnlab.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
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

    private final List<Metric> metrics = Collections.synchronizedList(new ArrayList<>());
    private final List<Stat> stats = Collections.synchronizedList(new ArrayList<>());
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean stop = new AtomicBoolean();

    @Override public void metric(String key, long step, double epoch, double value) { metrics.add(new Metric(key, step, epoch, value)); }
    @Override public void layerStat(long step, String layer, String stat, double value) { stats.add(new Stat(step, layer, stat, value)); }
    @Override public void event(long step, Severity s, String code, String message, String hint) { events.add(new Event(step, s, code, message, hint)); }
    @Override public boolean stopRequested() { return stop.get(); }

    /** Makes {@link #stopRequested()} true from now on. */
    public void requestStop() { stop.set(true); }

    public List<Metric> metrics() { synchronized (metrics) { return List.copyOf(metrics); } }
    public List<Stat> layerStats() { synchronized (stats) { return List.copyOf(stats); } }
    public List<Event> events() { synchronized (events) { return List.copyOf(events); } }

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
