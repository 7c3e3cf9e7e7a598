package dev.nnlab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of one's own in a folder, for a cluster on one machine or a first try of the
 * shared store ({@code ./nnlab db start-local}): the installed server binaries (Debian's
 * {@code /usr/lib/postgresql/N/bin}, else {@code initdb} on PATH), {@code initdb} into
 * {@code DIR/data} on first start, listening on 127.0.0.1 only, a database {@code nnlab} owned by the
 * role {@code nnlab}. PostgreSQL refuses to run as root, so under root its programs run as the
 * {@code postgres} user (Debian's package creates it), which then owns the folder.
 *
 * <p>Authentication is {@code trust}: any local user of this machine may connect over loopback. It is
 * meant for one machine; a cluster spanning machines needs a PostgreSQL set up with passwords.
 */
public final class LocalPostgres {

    /** The database and role every local server holds. */
    public static final String DATABASE = "nnlab", ROLE = "nnlab";
    public static final int DEFAULT_PORT = 5432;

    private final Path dir;
    private final Path bin;
    private final boolean asPostgresUser;
    private String lastOutput = "";

    private LocalPostgres(Path dir, Path bin, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * What {@link #start} did.
     *
     * @param url         the {@code --db} value for the store in it
     * @param initialised whether the folder was created by this start
     * @param wasRunning  whether the server was running already (then nothing was done)
     * @param log         the server's log file
     */
    public record Started(String url, int port, boolean initialised, boolean wasRunning, Path log) {
    }

    /** The server of {@code dir} (which need not exist yet). */
    public static LocalPostgres in(Path dir) {
        return new LocalPostgres(dir.toAbsolutePath().normalize(), findBin(),
                "root".equals(System.getProperty("user.name")));
    }

    public Path dir() {
        return dir;
    }

    /** The port of the last start, if the folder holds a server. */
    public Optional<Integer> recordedPort() {
        Path f = dir.resolve("port");
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(Integer.parseInt(Files.readString(f).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean initialised() {
        return Files.isRegularFile(dir.resolve("data").resolve("PG_VERSION"));
    }

    /** Whether the server of this folder is running ({@code pg_ctl status}). */
    public boolean running() {
        if (!initialised()) return false;
        return runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "status"), "pg_ctl status", false) == 0;
    }

    /**
     * Starts the server (creating the folder and the database the first time) and waits until it
     * accepts connections. When it is running already, only says so.
     *
     * @param port the port, or null for the last start's (or {@link #DEFAULT_PORT})
     * @throws IllegalArgumentException for a port that cannot be used, naming it
     * @throws IllegalStateException    when PostgreSQL cannot be set up or started, with its output
     */
    public Started start(Integer port) {
        Optional<Integer> recorded = recordedPort();
        if (running()) {
            int p = recorded.orElse(DEFAULT_PORT);
            if (port != null && port != p) {
                throw new IllegalArgumentException("--port: the server in " + dir + " is running on port " + p
                        + ", not " + port + "; stop it first (db stop-local --dir " + dir + ")");
            }
            return new Started(url(p), p, false, true, log());
        }
        int p = port != null ? port : recorded.orElse(DEFAULT_PORT);
        if (p < 1024 || p > 65535) {
            throw new IllegalArgumentException("--port: " + p + " is not allowed; expected 1024 to 65535");
        }
        if (!free(p)) {
            throw new IllegalArgumentException("--port: " + p + " is in use on 127.0.0.1 (another PostgreSQL?); "
                    + "choose another with --port");
        }
        boolean fresh = !initialised();
        try {
            Files.createDirectories(dir);
            if (asPostgresUser) {
                requireOk(run(List.of("chown", "postgres:postgres", dir.toString()), "chown"), "chown " + dir + " to postgres");
                if (run(List.of("runuser", "-u", "postgres", "--", "test", "-w", dir.toString()), null) != 0) {
                    throw new IllegalStateException("PostgreSQL runs as the postgres user, which cannot reach " + dir
                            + " (a folder above it is closed to other users); choose a --dir it can reach, e.g. under /tmp or /var/lib");
                }
            }
            if (fresh) {
                requireOk(runPg(List.of(bin.resolve("initdb").toString(), "-D", data(), "-U", ROLE, "--auth=trust",
                        "-E", "UTF8", "--no-locale"), "initdb", true), "initdb");
            }
            Files.writeString(dir.resolve("port"), p + "\n", StandardCharsets.UTF_8);
            requireOk(runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", log().toString(), "-w",
                    "-t", "60", "-o", "-p " + p + " -k " + dir + " -c listen_addresses=127.0.0.1", "start"),
                    "pg_ctl start", true), "pg_ctl start");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set up " + dir, e);
        }
        createDatabase(p);
        return new Started(url(p), p, fresh, false, log());
    }

    /**
     * Stops the server (fast shutdown: open sessions are ended, their transactions rolled back).
     *
     * @return false when it was not running
     */
    public boolean stop() {
        if (!running()) return false;
        requireOk(runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "-t", "60", "stop"),
                "pg_ctl stop", true), "pg_ctl stop");
        return true;
    }

    public Path log() {
        return dir.resolve("postgresql.log");
    }

    public static String url(int port) {
        return "postgresql://" + ROLE + "@127.0.0.1:" + port + "/" + DATABASE;
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private static void createDatabase(int port) {
        String jdbc = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(jdbc, ROLE, null)) {
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) return;
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started on port " + port + " but creating the database "
                    + DATABASE + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private int runPg(List<String> command, String what, boolean keepOutput) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        return run(full, keepOutput ? what : null);
    }

    /** Runs a command; its output is kept for an error message. */
    private int run(List<String> command, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException((what == null ? command.toString() : what) + " did not finish in 120 s");
            }
            lastOutput = new String(out, StandardCharsets.UTF_8).strip();
            return p.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        }
    }

    private void requireOk(int exit, String what) {
        if (exit == 0) return;
        String log = "";
        try {
            if (Files.isRegularFile(log())) {
                List<String> lines = Files.readAllLines(log());
                log = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
            }
        } catch (IOException ignored) {
            // The command's own output is enough.
        }
        throw new IllegalStateException(what + " failed (exit " + exit + "): " + lastOutput
                + (log.isEmpty() ? "" : "\nlast lines of " + log() + ":\n" + log));
    }

    /** The newest /usr/lib/postgresql/N/bin holding initdb, else initdb's folder on PATH. */
    static Path findBin() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                var found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")))
                        .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())));
                if (found.isPresent()) return found.get();
            } catch (IOException ignored) {
                // Fall through to PATH.
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(":")) {
                if (!d.isEmpty() && Files.isExecutable(Path.of(d, "initdb"))) return Path.of(d);
            }
        }
        throw new IllegalStateException("found no PostgreSQL server programs (initdb, pg_ctl) in "
                + "/usr/lib/postgresql/*/bin or on PATH: install them (Debian: apt-get install postgresql)");
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
