package dev.nnlab.cli;

import dev.nnlab.store.LocalPostgres;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./nnlab db start-local} and {@code db stop-local}: a PostgreSQL of one's own, on loopback. */
final class LocalPostgresCommands {

    private LocalPostgresCommands() {
    }

    static final String DEFAULT_DIR = "nnlab-data/postgres";

    @Command(name = "start-local", mixinStandardHelpOptions = true,
            description = {"Starts a PostgreSQL server of your own in a folder (created with its database the first",
                    "time), listening on 127.0.0.1 only, and prints the --db URL of the store in it. Uses the",
                    "installed server programs (Debian: apt-get install postgresql); as root they run as the",
                    "postgres user. Any local user may connect (trust authentication on loopback): it is for",
                    "one machine. Already running, it only prints the URL."})
    static final class Start implements Callable<Integer> {

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "The server's folder (default ${DEFAULT-VALUE}).")
        Path dir;

        @Option(names = "--port", paramLabel = "P",
                description = "The port on 127.0.0.1 (default: the last start's, else " + LocalPostgres.DEFAULT_PORT + ").")
        Integer port;

        @Override
        public Integer call() {
            LocalPostgres pg = open(dir);
            LocalPostgres.Started s;
            try {
                s = pg.start(port);
            } catch (IllegalArgumentException e) {
                throw new InputError(e.getMessage());
            } catch (IllegalStateException e) {
                System.err.println("nnlab: " + e.getMessage());
                return 1;
            }
            String what = s.wasRunning() ? "already running" : s.initialised() ? "created and started" : "started";
            System.err.println("PostgreSQL in " + pg.dir() + " " + what + " on 127.0.0.1:" + s.port()
                    + " (log " + s.log() + "; stop it with ./nnlab db stop-local" + dirOption(dir) + ")");
            System.err.println("its store, for --db:");
            // The URL alone on stdout, so that DB=$(./nnlab db start-local) works.
            System.out.println(s.url());
            return 0;
        }
    }

    @Command(name = "stop-local", mixinStandardHelpOptions = true,
            description = "Stops the PostgreSQL server that 'db start-local' started in the folder; its data stays.")
    static final class Stop implements Callable<Integer> {

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = DEFAULT_DIR,
                description = "The server's folder (default ${DEFAULT-VALUE}).")
        Path dir;

        @Override
        public Integer call() {
            LocalPostgres pg = open(dir);
            if (!pg.initialised()) {
                throw new InputError("--dir: " + pg.dir() + " holds no PostgreSQL server (start one with db start-local)");
            }
            try {
                boolean stopped = pg.stop();
                System.out.println(stopped ? "stopped the PostgreSQL in " + pg.dir()
                        : "the PostgreSQL in " + pg.dir() + " was not running");
                return 0;
            } catch (IllegalStateException e) {
                System.err.println("nnlab: " + e.getMessage());
                return 1;
            }
        }
    }

    private static LocalPostgres open(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputError("--dir: " + dir + " is a file, not a folder");
        }
        try {
            return LocalPostgres.in(dir);
        } catch (IllegalStateException e) {
            throw new InputError(e.getMessage());
        }
    }

    private static String dirOption(Path dir) {
        return dir.equals(Path.of(DEFAULT_DIR)) ? "" : " --dir " + dir;
    }
}
