package dev.nnlab.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for the tests: Debian's server binaries, {@code initdb} into a temp
 * folder (as the {@code postgres} user when the tests run as root: initdb refuses root), a free port on
 * 127.0.0.1, the Unix socket in the temp folder, {@code fsync=off}. Started once per test JVM on first
 * use, stopped and deleted when the JVM exits. Each test gets a schema of its own
 * ({@link #newStore()}), which is much faster than a database of its own.
 *
 * <p>When the server binaries are missing this fails (it never skips): {@code ./nnlab test} installs
 * them; by hand, {@code apt-get install postgresql}.
 */
public final class TestPostgres {

    private static final Object LOCK = new Object();
    private static TestPostgres shared;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final Path dir;
    private final Path bin;
    private final int port;
    private final boolean asPostgresUser;

    private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    /** The server of this JVM, started on first call. */
    public static TestPostgres shared() {
        synchronized (LOCK) {
            if (shared == null) {
                shared = start();
                TestPostgres s = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "stop test postgresql"));
            }
            return shared;
        }
    }

    public int port() {
        return port;
    }

    /** A {@code --db} value for a new, empty schema of the test database. */
    public String newStore() {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = DriverManager.getConnection(jdbcUrl("nnlab"), "nnlab", null);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + " on the test PostgreSQL", e);
        }
        return "postgresql://nnlab@127.0.0.1:" + port + "/nnlab?currentSchema=" + schema;
    }

    /** A new empty schema as a store location, its artifact files under {@code artifacts}. */
    public StoreLocation newLocation(Path artifacts) {
        return StoreLocation.parse(newStore() + "&artifacts=" + artifacts.toAbsolutePath());
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private static TestPostgres start() {
        Path bin = findBin();
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("nnlab-pg-");
            TestPostgres pg = new TestPostgres(dir, bin, freePort(), root);
            if (root) run(List.of("chown", "postgres:postgres", dir.toString()), dir, "chown the temp folder");
            pg.runPg(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "nnlab",
                    "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"), "initdb");
            pg.runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-l", dir.resolve("pg.log").toString(), "-w", "-t", "60", "-o",
                    "-p " + pg.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start"),
                    "pg_ctl start");
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), "nnlab", null);
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE nnlab");
            }
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("the test PostgreSQL started but refused a connection", e);
        }
    }

    private void stop() {
        try {
            runPg(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
                    "-w", "stop"), "pg_ctl stop");
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A temp folder left behind is harmless.
        }
    }

    private void runPg(List<String> command, String what) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(command);
        run(full, dir, what);
    }

    private static void run(List<String> command, Path dir, String what) {
        try {
            Path out = dir.resolve(what.replace(' ', '-') + ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in 120 s");
            }
            if (p.exitValue() != 0) {
                String log = Files.readString(out);
                Path pgLog = dir.resolve("pg.log");
                if (Files.exists(pgLog)) log += "\n" + Files.readString(pgLog);
                throw new IllegalStateException(what + " failed (exit " + p.exitValue() + "): " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    /** LocalPostgres's search (the newest /usr/lib/postgresql/N/bin, else PATH), with what a tester should do. */
    private static Path findBin() {
        try {
            return LocalPostgres.findBin();
        } catch (IllegalStateException none) {
            throw new IllegalStateException("the PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl) "
                    + "and found none in /usr/lib/postgresql/*/bin or on PATH: install them with "
                    + "'apt-get install -y postgresql' (./nnlab test does this itself when run as root)", none);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
