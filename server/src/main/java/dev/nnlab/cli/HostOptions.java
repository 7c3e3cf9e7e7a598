package dev.nnlab.cli;

import dev.nnlab.runs.Workbench;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that touches runs shares: where the store, the plugins and the data are. */
public final class HostOptions {

    @Option(names = "--db", paramLabel = "PATH", description = "The run store (default: ./nnlab-data/nnlab.db).")
    Path db;

    @Option(names = "--plugins", paramLabel = "DIR", description = "The plugins folder (default: plugins/ of the nnlab installation).")
    Path plugins;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Where real datasets live (default: $NNLAB_DATA, else ~/.nnlab/data).")
    Path dataDir;

    public Path dbPath() {
        return db != null ? db : Path.of("nnlab-data", "nnlab.db");
    }

    public Path pluginsDir() {
        return plugins != null ? plugins : defaultPluginsDir();
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
        return Workbench.open(dbPath(), pluginsDir(), DataDirectory.resolve(dataDir), NnlabVersion.current(), home());
    }
}
