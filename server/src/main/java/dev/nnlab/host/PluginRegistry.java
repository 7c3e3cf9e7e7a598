package dev.nnlab.host;

import dev.nnlab.spi.ModelFamily;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Every model family found in one or more plugins folders: one {@link PluginClassLoader} per
 * {@code *.jar}, {@link java.util.ServiceLoader} over each ({@link JarLoader}). Built-in families
 * arrive exactly like a stranger's JAR.
 *
 * <p>{@link #rescan()} looks at the folders again (a {@link PluginWatcher} calls it when a file
 * changes, and every few seconds as a fallback): a JAR whose size and modification time are
 * unchanged keeps its loaded classes; a new or changed one is loaded afresh in a new class loader;
 * a removed one disappears. The old class loader is never closed: a run that was launched with
 * the old {@link LoadedFamily} holds it and finishes on it, and the garbage collector reclaims it
 * after that. New runs get the current one.
 *
 * <p>A JAR that provides nothing, a provider that fails to instantiate, a plugin built for another
 * API version, an invalid schema, or a second family with an id already taken is refused loudly,
 * recorded in {@link #failures()} and logged; the other plugins load regardless. A JAR that is not
 * yet a readable zip while it was modified in the last {@link JarLoader#SETTLE_MILLIS} ms is
 * taken as a copy in progress: it is listed in {@link #pending()} and tried again on the next scan.
 */
public final class PluginRegistry {
    private static final System.Logger LOG = System.getLogger("nnlab.plugins");

    /** The loaded state of the folders at one scan. */
    private record Snapshot(Map<String, LoadedFamily> families, List<PluginLoadFailure> failures,
                            List<PluginLoadFailure> pending) {}

    private final List<Path> directories;
    private final Map<Path, JarLoader.Result> jars = new HashMap<>(); // guarded by this
    private final List<Consumer<PluginRegistry>> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(Map.of(), List.of(), List.of());

    private PluginRegistry(List<Path> directories) {
        this.directories = List.copyOf(directories);
    }

    /** Scans {@code directory} (which may be missing: then nothing loads, and that is reported). */
    public static PluginRegistry load(Path directory) {
        return load(List.of(directory));
    }

    /**
     * Scans the folders in order; when two folders provide one family id, the first folder's wins
     * and the other is reported. A folder named twice is scanned once.
     */
    public static PluginRegistry load(List<Path> directories) {
        LinkedHashSet<Path> unique = new LinkedHashSet<>();
        for (Path d : directories) unique.add(d.toAbsolutePath().normalize());
        PluginRegistry r = new PluginRegistry(new ArrayList<>(unique));
        r.rescan();
        return r;
    }

    /**
     * Looks at the folders again and loads what changed.
     *
     * @return whether the families, failures or pending JARs changed; listeners are told if so
     */
    public boolean rescan() {
        Snapshot next;
        synchronized (this) {
            List<PluginLoadFailure> failures = new ArrayList<>();
            List<PluginLoadFailure> pending = new ArrayList<>();
            Map<String, LoadedFamily> families = new LinkedHashMap<>();
            Map<Path, JarLoader.Result> seen = new HashMap<>();
            for (Path dir : directories) {
                for (Path jar : jarsIn(dir, failures)) {
                    JarLoader.Result before = jars.get(jar);
                    JarLoader.Stamp stamp = JarLoader.stamp(jar);
                    JarLoader.Result now = before != null && !before.pending() && Objects.equals(before.stamp(), stamp)
                            ? before : JarLoader.load(jar, stamp, ModelFamily.class.getClassLoader());
                    if (now != before) logResult(now);
                    seen.put(jar, now);
                    if (now.pending()) {
                        pending.add(new PluginLoadFailure(jar, now.pendingReason()));
                        continue;
                    }
                    failures.addAll(now.failures());
                    for (LoadedFamily f : now.families()) {
                        LoadedFamily existing = families.get(f.id());
                        if (existing != null) {
                            failures.add(new PluginLoadFailure(jar, "family id '" + f.id() + "' is already provided by "
                                    + existing.jar().getFileName() + (existing.jar().getParent().equals(jar.getParent())
                                    ? "" : " in " + existing.jar().getParent()) + "; this one is ignored"));
                        } else {
                            families.put(f.id(), f);
                        }
                    }
                }
            }
            jars.clear();
            jars.putAll(seen);
            next = new Snapshot(Collections.unmodifiableMap(families), List.copyOf(failures), List.copyOf(pending));
            Snapshot previous = snapshot;
            snapshot = next;
            if (sameLoadedState(previous, next)) return false;
            LOG.log(System.Logger.Level.INFO, "plugins: {0} families from {1} ({2} refused, {3} still being copied)",
                    families.size(), directories, failures.size(), pending.size());
        }
        for (Consumer<PluginRegistry> l : listeners) {
            try {
                l.accept(this);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a plugins listener failed: " + e);
            }
        }
        return true;
    }

    private static boolean sameLoadedState(Snapshot a, Snapshot b) {
        if (!a.failures().equals(b.failures()) || !a.pending().equals(b.pending())) return false;
        if (!a.families().keySet().equals(b.families().keySet())) return false;
        for (Map.Entry<String, LoadedFamily> e : a.families().entrySet()) {
            if (e.getValue() != b.families().get(e.getKey())) return false;
        }
        return true;
    }

    private static void logResult(JarLoader.Result r) {
        if (r.pending()) {
            LOG.log(System.Logger.Level.INFO, "plugin " + r.jar() + ": " + r.pendingReason());
            return;
        }
        for (PluginLoadFailure f : r.failures()) LOG.log(System.Logger.Level.WARNING, "plugin " + f.jar() + " refused: " + f.reason());
        for (LoadedFamily f : r.families()) {
            LOG.log(System.Logger.Level.INFO, "plugin family {0} {1} from {2} (sha256 {3})", f.id(), f.version(),
                    f.jar().getFileName(), f.sha256());
        }
    }

    private static List<Path> jarsIn(Path directory, List<PluginLoadFailure> failures) {
        if (!Files.isDirectory(directory)) {
            failures.add(new PluginLoadFailure(directory, "plugins folder does not exist"));
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            failures.add(new PluginLoadFailure(directory, "cannot list plugins folder: " + e.getMessage()));
            return List.of();
        }
    }

    /** Called (on the scanning thread) after every rescan that changed something; the handle removes it. */
    public AutoCloseable onChange(Consumer<PluginRegistry> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The first folder scanned. */
    public Path directory() { return directories.getFirst(); }

    public List<Path> directories() { return directories; }

    public Map<String, LoadedFamily> families() { return snapshot.families(); }

    /** The current version of a family, or null. */
    public LoadedFamily family(String id) { return snapshot.families().get(id); }

    public List<PluginLoadFailure> failures() { return snapshot.failures(); }

    /** JARs that are not complete yet (a copy in progress); tried again on the next scan. */
    public List<PluginLoadFailure> pending() { return snapshot.pending(); }
}
