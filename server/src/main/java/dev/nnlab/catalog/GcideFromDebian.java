package dev.nnlab.catalog;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./nnlab data get gcide}: installs Debian's {@code dict-gcide} with apt-get when nnlab runs
 * as root (and apt-get exists), else says what to run; then converts the dictionary into the data
 * directory once, so later runs stream the prepared text.
 */
public final class GcideFromDebian {
    private final Path dict;
    private final boolean root;
    private final Path aptGet;
    private final Path cacheDir;

    public GcideFromDebian() {
        this(GcideDataset.DEBIAN_DICT, "root".equals(System.getProperty("user.name")), Path.of("/usr/bin/apt-get"),
                GcideDataset.userCache());
    }

    /**
     * With who runs nnlab, where apt-get and the user's cache are given, so tests reach every branch
     * without installing anything or reading a conversion of the real dictionary.
     */
    GcideFromDebian(Path dict, boolean root, Path aptGet, Path cacheDir) {
        this.dict = dict;
        this.root = root;
        this.aptGet = aptGet;
        this.cacheDir = cacheDir;
    }

    public Path fetchInto(Path dataDir, PrintStream log) throws IOException {
        if (!Files.isRegularFile(dict)) install(log);
        Path text = new GcideDataset(dict, dataDir, cacheDir).prepared();
        log.println("gcide: " + text + " (" + Files.size(text) + " bytes)");
        return text;
    }

    /**
     * The converted corpus for {@code dataDir}, converting the installed dictionary first if needed
     * (never installs): the benchmark harness hands this one file to nnlab and to the peers.
     */
    public Path prepared(Path dataDir) throws IOException {
        return new GcideDataset(dict, dataDir, cacheDir).prepared();
    }

    private void install(PrintStream log) throws IOException {
        boolean apt = Files.isExecutable(aptGet);
        if (!root || !apt) {
            throw new IOException(dict + " is missing. " + (apt ? "Run 'sudo apt-get install dict-gcide'"
                    : "Install the dict-gcide package of your distribution (Debian/Ubuntu: apt-get install dict-gcide)")
                    + ", then './nnlab data get gcide' again");
        }
        log.println("gcide: running apt-get install -y dict-gcide");
        run(List.of(aptGet.toString(), "install", "-y", "--no-install-recommends", "dict-gcide"));
        if (!Files.isRegularFile(dict)) {
            throw new IOException("apt-get installed dict-gcide but " + dict + " is still missing; try 'apt-get update' first");
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        try {
            int code = p.waitFor();
            if (code != 0) throw new IOException(String.join(" ", command) + " failed with exit code " + code + " (try 'apt-get update' first)");
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
