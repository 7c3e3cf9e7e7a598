package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.store.Store;

import java.nio.file.Path;

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
        Store store = Store.open(db);
        return new Workbench(store, PluginRegistry.load(pluginsDir), new DataCache(new DatasetCatalog(dataDir)),
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
