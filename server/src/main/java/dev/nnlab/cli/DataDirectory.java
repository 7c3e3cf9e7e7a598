package dev.nnlab.cli;

import java.nio.file.Path;

/** Where real datasets live: {@code --data-dir}, else {@code $NNLAB_DATA}, else {@code ~/.nnlab/data}. */
public final class DataDirectory {
    private DataDirectory() {}

    public static Path resolve(Path fromOption) {
        if (fromOption != null) return fromOption.toAbsolutePath().normalize();
        String env = System.getenv("NNLAB_DATA");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
        return Path.of(System.getProperty("user.home"), ".nnlab", "data");
    }
}
