package dev.nnlab.live;

import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.RunState;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watches the run store and tells listeners what changed: runs that appeared or changed status,
 * and new points of the curves of active runs. It reads the database, not in-process callbacks,
 * so a batch started by {@code ./nnlab run} in another process against the same file shows up
 * like one of the server's own.
 *
 * <p>Each poll costs two small queries (new or watched runs; the summaries of active runs) plus
 * one indexed range query per curve that grew: "points of (run, key) with step greater than the
 * last step sent". Active means QUEUED or RUNNING, or ended since the previous poll, so the last
 * points of a finished run are still sent. Knows nothing of HTTP.
 */
public final class LiveWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("nnlab.live");

    private record SeriesKey(long runId, String key) {}

    private final Store store;
    private final Duration interval;
    private final List<Consumer<LiveEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("nnlab-live-watcher").unstarted(r));

    // Owned by the polling thread (or the caller of poll() in tests).
    private long maxSeenId = -1;
    private final Map<Long, RunStatus> active = new LinkedHashMap<>();
    private final Map<SeriesKey, Long> lastStep = new HashMap<>();

    public LiveWatcher(Store store, Duration interval) {
        this.store = store;
        this.interval = interval;
    }

    /** Takes the current state as seen (nothing old is replayed), then polls every {@code interval}. */
    public LiveWatcher start() {
        timer.execute(this::baselineQuietly);
        timer.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Adds a listener; the returned handle removes it. Listeners are called on the watcher's thread. */
    public AutoCloseable subscribe(Consumer<LiveEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every listener of an event that does not come from the store (the plugins changed). */
    public void publish(LiveEvent event) {
        timer.execute(() -> emit(event));
    }

    public int listenerCount() {
        return listeners.size();
    }

    /** Records the current runs and curve ends without telling anyone. */
    void baseline() {
        for (RunState s : store.runs().states(maxSeenId, List.of())) {
            maxSeenId = Math.max(maxSeenId, s.id());
            if (!s.status().isTerminal()) active.put(s.id(), s.status());
        }
        for (Map.Entry<Long, List<MetricSummary>> e : store.metrics().summaries(active.keySet()).entrySet()) {
            for (MetricSummary m : e.getValue()) lastStep.put(new SeriesKey(e.getKey(), m.key()), m.lastStep());
        }
    }

    /** One look at the database: tells listeners about every change since the previous look. */
    void poll() {
        Set<Long> scan = new LinkedHashSet<>(active.keySet());
        Set<Long> ended = new LinkedHashSet<>();
        Set<Long> watched = Set.copyOf(active.keySet());
        Set<Long> present = new HashSet<>();
        for (RunState s : store.runs().states(maxSeenId, watched)) {
            present.add(s.id());
            boolean isNew = s.id() > maxSeenId;
            RunStatus before = active.get(s.id());
            if (isNew || before != s.status()) {
                emit(new LiveEvent.RunChanged(s.id(), s.status().name(), s.name(), s.experimentId()));
            }
            if (isNew) {
                maxSeenId = s.id();
                scan.add(s.id());
            }
            if (s.status().isTerminal()) ended.add(s.id());
            else active.put(s.id(), s.status());
        }
        for (long id : watched) {
            if (!present.contains(id)) {
                // Deleted: nothing more to send about it.
                scan.remove(id);
                ended.add(id);
            }
        }
        if (!scan.isEmpty()) sendNewPoints(scan);
        for (long id : ended) {
            active.remove(id);
            lastStep.keySet().removeIf(k -> k.runId() == id);
        }
    }

    private void sendNewPoints(Set<Long> runs) {
        boolean anyone = !listeners.isEmpty();
        for (Map.Entry<Long, List<MetricSummary>> e : store.metrics().summaries(runs).entrySet()) {
            long runId = e.getKey();
            for (MetricSummary m : e.getValue()) {
                SeriesKey k = new SeriesKey(runId, m.key());
                Long seen = lastStep.get(k);
                if (seen != null && m.lastStep() <= seen) continue;
                lastStep.put(k, m.lastStep());
                // Nobody listening: remember where the curve ends, skip reading its points.
                if (!anyone) continue;
                List<MetricPoint> fresh = store.metrics().pointsAfter(runId, m.key(), seen == null ? Long.MIN_VALUE : seen);
                if (fresh.isEmpty()) continue;
                List<LiveEvent.Point> points = new ArrayList<>(fresh.size());
                for (MetricPoint p : fresh) points.add(new LiveEvent.Point(p.step(), p.epoch(), p.wallTime(), p.value()));
                lastStep.put(k, fresh.getLast().step());
                emit(new LiveEvent.NewPoints(runId, m.key(), points));
            }
        }
    }

    private void emit(LiveEvent event) {
        for (Consumer<LiveEvent> l : listeners) {
            try {
                l.accept(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "a live listener failed: " + e);
            }
        }
    }

    private void baselineQuietly() {
        try {
            baseline();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "live updates: cannot read the run store: " + e.getMessage());
        }
    }

    /** A failed poll is logged and the next one tries again: an exception would cancel the schedule. */
    private void pollQuietly() {
        try {
            poll();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "live updates: a poll failed, retrying: " + t);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
