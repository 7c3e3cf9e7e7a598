package dev.nnlab.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a run store is, as a user names it ({@code --db}): a SQLite file, or a PostgreSQL database
 * shared by several machines. Every process of one nnlab installation (the server, a CLI batch, a
 * cluster worker) given the same value opens the same store.
 *
 * <ul>
 *   <li>{@code PATH} or {@code sqlite:PATH}: a SQLite file (created with its folders), artifact files
 *       beside it.</li>
 *   <li>{@code postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAM=VALUE&...]} (also
 *       {@code postgres://}), or the driver's own {@code jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER}.
 *       The password may instead come from {@code PGPASSWORD} or {@code ~/.pgpass}. Parameters go to
 *       the driver, except {@code artifacts=DIR}: the folder of artifact files (default
 *       {@code nnlab-data/DATABASE-artifacts}; machines that share the store should share it too).</li>
 * </ul>
 *
 * @param dialect           how to reach the database
 * @param artifactDirectory where the files of artifacts live
 */
public record StoreLocation(Dialect dialect, Path artifactDirectory) {

    /** The forms {@link #parse} accepts, for error messages and help. */
    public static final String FORMS = "a SQLite file (PATH or sqlite:PATH) or a PostgreSQL URL "
            + "(postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE or jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER)";

    /** The default store: {@code ./nnlab-data/nnlab.db}. */
    public static StoreLocation defaultLocation() {
        return sqlite(Path.of("nnlab-data", "nnlab.db"));
    }

    public static StoreLocation sqlite(Path file) {
        SqliteDialect d = new SqliteDialect(file);
        return new StoreLocation(d, d.artifactDirectory());
    }

    /**
     * Reads a user's {@code --db} value.
     *
     * @throws IllegalArgumentException naming the value and the accepted forms
     */
    public static StoreLocation parse(String value) {
        if (value == null || value.isBlank()) throw bad(value, "it is empty");
        String v = value.strip();
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("sqlite:")) return sqlitePath(v, v.substring("sqlite:".length()));
        if (lower.startsWith("jdbc:sqlite:")) return sqlitePath(v, v.substring("jdbc:sqlite:".length()));
        if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")) return postgres(v, v.substring(v.indexOf("://") + 3), false);
        if (lower.startsWith("jdbc:postgresql://")) return postgres(v, v.substring("jdbc:postgresql://".length()), true);
        // Anything else with a scheme is a mistyped URL, not a file to create (a file name holding a
        // colon can be given as sqlite:NAME).
        if (lower.matches("^[a-z][a-z0-9+.-]+:.*")) {
            throw bad(v, lower.startsWith("postgres") ? "a PostgreSQL URL begins with postgresql://"
                    : "nnlab stores runs in SQLite or PostgreSQL only");
        }
        return sqlitePath(v, v);
    }

    /** The SQLite file, if this is a SQLite store. */
    public Optional<Path> sqliteFile() {
        return dialect instanceof SqliteDialect s ? Optional.of(s.file()) : Optional.empty();
    }

    /** For messages: the file, or the URL without its password. */
    public String describe() {
        return dialect.describe();
    }

    /** Opens the store here (migrating it and recovering the runs of dead processes). */
    public Store open(Store.Options options) {
        return Store.open(dialect, options, artifactDirectory);
    }

    public Store open() {
        return open(Store.Options.defaults());
    }

    @Override
    public String toString() {
        return describe();
    }

    private static StoreLocation sqlitePath(String value, String path) {
        if (path.isBlank()) throw bad(value, "the SQLite file's path is missing");
        try {
            return sqlite(Path.of(path));
        } catch (InvalidPathException e) {
            throw bad(value, "it is not a valid file path (" + e.getReason() + ")");
        }
    }

    /** {@code rest} is what follows {@code scheme://}. */
    private static StoreLocation postgres(String value, String rest, boolean jdbcForm) {
        URI uri;
        try {
            uri = new URI("postgresql://" + rest);
        } catch (URISyntaxException e) {
            throw bad(value, "it is not a valid URL (" + e.getReason() + ")");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) throw bad(value, "the host is missing or invalid");
        int port = uri.getPort();
        if (port == 0 || port > 65535) throw bad(value, "the port must be 1-65535");
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isBlank() || database.contains("/")) throw bad(value, "name one database after the host, e.g. /nnlab");

        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            if (jdbcForm) throw bad(value, "the jdbc: form takes the user as ?user=USER, not USER@HOST");
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            if (colon >= 0) password = decode(info.substring(colon + 1));
        }
        Path artifacts = null;
        List<String> params = new ArrayList<>();
        if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String val = eq < 0 ? "" : decode(pair.substring(eq + 1));
                switch (name) {
                    case "artifacts" -> {
                        if (val.isBlank()) throw bad(value, "artifacts= needs a folder");
                        artifacts = Path.of(val);
                    }
                    case "user" -> user = val;
                    case "password" -> password = val;
                    default -> params.add(pair);
                }
            }
        }
        if (password == null) password = System.getenv("PGPASSWORD");
        String hostPort = (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + (port > 0 ? ":" + port : "");
        String query = params.isEmpty() ? "" : "?" + String.join("&", params);
        String jdbcUrl = "jdbc:postgresql://" + hostPort + "/" + uri.getRawPath().substring(1) + query;
        String display = "postgresql://" + (user != null ? user + "@" : "") + hostPort + "/" + database + query;
        if (artifacts == null) artifacts = Path.of("nnlab-data", database + "-artifacts");
        return new StoreLocation(new PostgresDialect(jdbcUrl, user, password, display), artifacts.toAbsolutePath());
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String value, String why) {
        return new IllegalArgumentException("'" + value + "' is not a run store: " + why + "; give " + FORMS);
    }
}
