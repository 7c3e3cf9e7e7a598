package dev.nnlab.cli;

import dev.nnlab.runs.Workbench;
import dev.nnlab.store.StoreLocation;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The options every command that touches runs shares: where the store, the plugins and the data are. */
public final class HostOptions {

    @Option(names = "--db", paramLabel = "STORE", converter = StoreLocationConverter.class,
            description = "The run store: a SQLite file (PATH or sqlite:PATH; default ./nnlab-data/nnlab.db) or a shared "
                    + "PostgreSQL database (postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?artifacts=DIR], or "
                    + "jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER). Every process given the same value shares the store.")
    StoreLocation db;

    @Option(names = "--plugins", paramLabel = "DIR", description = "A folder of your plugin JARs, loaded in addition to "
            + "plugins/ of the nnlab installation (whose built-in families stay available; on a clash of family ids "
            + "the built-in one wins and yours is listed as refused).")
    Path plugins;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where real datasets live (default: $NNLAB_DATA, else ~/.nnlab/data).")
    Path dataDir;

    /** The store {@code --db} names, else the default SQLite file. */
    public StoreLocation store() {
        return db != null ? db : StoreLocation.defaultLocation();
    }

    /** The SQLite file of the store, for commands that work on a local file only. */
    public Path dbPath() {
        return store().sqliteFile().orElseThrow(() -> new InputError("--db: this command works on a SQLite file, "
                + "not on " + store().describe()));
    }

    public Path pluginsDir() {
        return plugins != null ? plugins : defaultPluginsDir();
    }

    /** The folders plugins load from: the installation's plugins/ first, then the user's {@code --plugins DIR}. */
    public List<Path> pluginsDirs() {
        return pluginsDirs(plugins);
    }

    /** With a user folder, the default one is added only if it exists (it is missing when nnlab runs from a bare checkout). */
    static List<Path> pluginsDirs(Path user) {
        Path def = defaultPluginsDir();
        if (user == null) return List.of(def);
        return java.nio.file.Files.isDirectory(def) ? List.of(def, user) : List.of(user);
    }

    /** plugins/ of the installation, else of the working directory. */
    public static Path defaultPluginsDir() {
        Path home = home();
        return home != null ? home.resolve("plugins") : Path.of("plugins");
    }

    /** The installation folder, passed by the launcher as {@code -Dnnlab.home}. */
    public static Path home() {
        String h = System.getProperty("nnlab.home");
        return h == null ? null : Path.of(h);
    }

    public Workbench open() {
        return Workbench.open(store(), pluginsDirs(), DataDirectory.resolve(dataDir), NnlabVersion.current(), home());
    }
}
