package dev.nnlab.live;

import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The watcher's bookkeeping, one poll at a time (no timer): what it reports and what it never repeats. */
class LiveWatcherTest {
    @TempDir
    Path dir;
    Store store;
    LiveWatcher watcher;
    final List<LiveEvent> seen = new ArrayList<>();
    long exp;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("n.db"));
        exp = store.experiments().getOrCreate("e", null).id();
        watcher = new LiveWatcher(store, Duration.ofHours(1));
    }

    @AfterEach
    void close() {
        watcher.close();
        store.close();
    }

    long run(String name) {
        return store.runs().create(new NewRun(exp, name, "mlp", null, null, Map.of())).id();
    }

    void points(long run, String key, long... steps) {
        List<MetricPoint> p = new ArrayList<>();
        for (long s : steps) p.add(new MetricPoint(run, key, s, 0, 0, s * 1.5));
        store.metrics().append(p);
    }

    List<String> drain() {
        List<String> out = new ArrayList<>();
        for (LiveEvent e : seen) {
            out.add(switch (e) {
                case LiveEvent.RunChanged r -> "run " + r.id() + " " + r.status();
                case LiveEvent.NewPoints p -> "points " + p.runId() + " " + p.key() + " "
                        + p.points().stream().map(x -> String.valueOf(x.step())).toList();
                case LiveEvent.PluginsChanged c -> "plugins " + c.families();
            });
        }
        seen.clear();
        return out;
    }

    @Test
    void what_existed_before_the_baseline_is_not_replayed_only_what_follows() {
        long old = run("old");
        store.runs().markRunning(old);
        points(old, "loss", 1, 2);
        watcher.baseline();
        watcher.subscribe(seen::add);
        watcher.poll();
        assertThat(drain()).isEmpty();

        points(old, "loss", 3);
        long fresh = run("fresh");
        watcher.poll();
        assertThat(drain()).containsExactly("run " + fresh + " QUEUED", "points " + old + " loss [3]");

        store.runs().markRunning(fresh);
        points(fresh, "acc", 5, 6);
        store.runs().finish(old, RunStatus.FINISHED, null);
        points(old, "loss", 4);
        watcher.poll();
        assertThat(drain()).containsExactlyInAnyOrder("run " + old + " FINISHED", "run " + fresh + " RUNNING",
                "points " + old + " loss [4]", "points " + fresh + " acc [5, 6]");

        watcher.poll();
        assertThat(drain()).isEmpty();
    }

    @Test
    void a_deleted_run_is_dropped_and_a_quiet_watcher_still_keeps_its_place() {
        long a = run("a");
        store.runs().markRunning(a);
        watcher.baseline();
        points(a, "loss", 1);
        watcher.poll();
        // Nobody listened: the point is passed over, not saved up for the first listener.
        watcher.subscribe(seen::add);
        points(a, "loss", 2);
        watcher.poll();
        assertThat(drain()).containsExactly("points " + a + " loss [2]");
        store.runs().delete(a);
        watcher.poll();
        assertThat(drain()).isEmpty();
        assertThat(watcher.listenerCount()).isEqualTo(1);
    }
}
