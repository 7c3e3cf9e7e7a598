package dev.nnlab.host;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a {@link PluginRegistry} in step with its folders while the server runs: a JAR copied in,
 * replaced or removed shows within about a second. A {@link WatchService} wakes the scan early; a
 * rescan every {@code every} catches what it misses (network folders, platforms that poll slowly,
 * a folder created after start) and retries a JAR that was still being copied.
 */
public final class PluginWatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("nnlab.plugins");

    /** After an event, wait this long for more (a copy writes many times) before scanning. */
    private static final long QUIET_MILLIS = 250;

    private final PluginRegistry registry;
    private final Duration every;
    private final WatchService watch;
    private final Thread thread;
    private volatile boolean closed;

    private PluginWatcher(PluginRegistry registry, Duration every) {
        this.registry = registry;
        this.every = every;
        this.watch = newWatchService(registry);
        this.thread = Thread.ofPlatform().daemon().name("nnlab-plugin-watcher").unstarted(this::loop);
    }

    public static PluginWatcher start(PluginRegistry registry, Duration every) {
        PluginWatcher w = new PluginWatcher(registry, every);
        w.thread.start();
        return w;
    }

    private static WatchService newWatchService(PluginRegistry registry) {
        try {
            WatchService ws = FileSystems.getDefault().newWatchService();
            for (Path dir : registry.directories()) {
                if (!Files.isDirectory(dir)) continue;
                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
            return ws;
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.INFO, "no file watching for the plugins folders (" + e + "); rescanning every few seconds instead");
            return null;
        }
    }

    private void loop() {
        while (!closed) {
            try {
                if (watch == null) {
                    Thread.sleep(every.toMillis());
                } else {
                    WatchKey key = watch.poll(every.toMillis(), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        drain(key);
                        // A copy writes in many steps: let it settle a moment, then look once.
                        WatchKey more;
                        while ((more = watch.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS)) != null) drain(more);
                    }
                }
                registry.rescan();
            } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
                if (closed) return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "plugins rescan failed: " + e);
            }
        }
    }

    private static void drain(WatchKey key) {
        key.pollEvents();
        key.reset();
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (watch != null) {
            try {
                watch.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
