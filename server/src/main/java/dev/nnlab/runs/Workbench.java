package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.store.Store;
import dev.nnlab.store.StoreLocation;

import java.nio.file.Path;
import java.util.List;

/**
 * One nnlab installation at work: the run store, the loaded plugins, the dataset catalog, and the
 * batch service over them. The CLI commands and the HTTP server both start from here, so they
 * behave the same.
 */
public final class Workbench implements AutoCloseable {
    private final Store store;
    private final PluginRegistry plugins;
    private final DataCache data;
    private final BatchService batches;
    private final LessonService lessons;

    private Workbench(Store store, PluginRegistry plugins, DataCache data, String version, String gitCommit) {
        this.store = store;
        this.plugins = plugins;
        this.data = data;
        this.batches = new BatchService(store, plugins, data, version, gitCommit);
        this.lessons = new LessonService(store);
    }

    /**
     * Opens (creating if needed) the store at {@code db}, which also marks runs of dead processes
     * INTERRUPTED, and loads the plugins of {@code pluginsDir}.
     */
    public static Workbench open(Path db, Path pluginsDir, Path dataDir, String version, Path home) {
        return open(db, List.of(pluginsDir), dataDir, version, home);
    }

    /** As {@link #open(Path, Path, Path, String, Path)}, with plugins from several folders (the first wins a clash of ids). */
    public static Workbench open(Path db, List<Path> pluginsDirs, Path dataDir, String version, Path home) {
        return open(StoreLocation.sqlite(db), pluginsDirs, dataDir, version, home);
    }

    /** As {@link #open(Path, List, Path, String, Path)}, on any store (a SQLite file or a shared PostgreSQL database). */
    public static Workbench open(StoreLocation db, List<Path> pluginsDirs, Path dataDir, String version, Path home) {
        Store store = db.open();
        // Families resolve catalog names of their own files (word2vec's evaluation sets: analogy,
        // wordsim353, simlex999) in the data directory of the workbench that runs them.
        System.setProperty("nnlab.dataDir", dataDir.toAbsolutePath().toString());
        return new Workbench(store, PluginRegistry.load(pluginsDirs), new DataCache(new DatasetCatalog(dataDir)),
                version, GitCommit.of(home));
    }

    public Store store() { return store; }
    public PluginRegistry plugins() { return plugins; }
    public DataCache data() { return data; }
    public BatchService batches() { return batches; }
    public LessonService lessons() { return lessons; }

    @Override
    public void close() {
        store.close();
    }
}
