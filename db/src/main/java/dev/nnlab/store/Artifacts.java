package dev.nnlab.store;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Files attached to runs: the content in {@link ArtifactFiles} beside the database (not a BLOB, so a
 * checkpoint of hundreds of MB never passes through memory or bloats the database file), a row per
 * (run, name) with its media type, SHA-256 and size.
 *
 * <p>Placing a file and writing its row happen in one write transaction, and so does checking that
 * no row names a file before deleting it. Both take the database's write lock, so a run deleted in
 * one process never removes a file that another process is just attaching to its own run.
 */
public final class Artifacts {

    /** Writes an artifact's content into the stream given (a temporary file being hashed). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final Database db;
    private final Clock clock;
    private final ArtifactFiles files;

    /** An upload untouched for this long was abandoned by a process that died mid-write. */
    static final Duration STALE_UPLOAD = Duration.ofHours(1);

    Artifacts(Database db, Clock clock, Path directory) {
        this.db = db;
        this.clock = clock;
        this.files = new ArtifactFiles(directory);
        // File times are the machine's, not the store clock's (which tests fix).
        files.removeStaleUploads(STALE_UPLOAD, Instant.now());
    }

    /** The folder holding the files ({@code sha256/ab/abcdef...}). */
    public Path directory() {
        return files.root();
    }

    /** Stores a small artifact held in memory, replacing one of the same name. */
    public Artifact put(long runId, String name, String mediaType, byte[] bytes) {
        return put(runId, name, mediaType, out -> out.write(bytes));
    }

    /**
     * Streams an artifact into its file and records it, replacing one of the same name (whose file
     * is removed when no other row names it).
     *
     * @throws UncheckedIOException when the content cannot be written (nothing is recorded then)
     * @throws IllegalArgumentException when there is no run {@code runId}
     */
    public Artifact put(long runId, String name, String mediaType, Content content) {
        ArtifactFiles.Upload upload;
        try {
            upload = files.upload(content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write artifact " + name + " of run " + runId + " under " + files.root(), e);
        }
        long now = clock.millis();
        try {
            db.write("store artifact " + name + " of run " + runId, c -> {
                if (!runExists(c, runId)) throw new IllegalArgumentException("no run " + runId + " to attach artifact " + name + " to");
                String previous = sha256Of(c, runId, name);
                place(upload);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts "
                        + "(run_id, name, media_type, sha256, size, created) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (run_id, name) DO UPDATE SET media_type = excluded.media_type, "
                        + "sha256 = excluded.sha256, size = excluded.size, created = excluded.created")) {
                    ps.setLong(1, runId);
                    ps.setString(2, name);
                    ps.setString(3, mediaType);
                    ps.setString(4, upload.sha256());
                    ps.setLong(5, upload.size());
                    ps.setLong(6, now);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    deleteUnreferenced(c, List.of(upload.sha256())); // placed above, named by no row: not kept
                    throw e;
                }
                if (previous != null && !previous.equals(upload.sha256())) deleteUnreferenced(c, List.of(previous));
                return null;
            });
        } finally {
            deleteQuietly(upload.temp()); // gone already unless the transaction failed before placing it
        }
        return new Artifact(runId, name, mediaType, upload.sha256(), upload.size(), Instant.ofEpochMilli(now));
    }

    public Optional<Artifact> get(long runId, String name) {
        return db.read("read artifact " + name + " of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, media_type, sha256, size, created "
                    + "FROM artifacts WHERE run_id = ? AND name = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(artifact(rs)) : Optional.empty();
                }
            }
        });
    }

    /** The run's artifacts, by name. */
    public List<Artifact> list(long runId) {
        return db.read("list the artifacts of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, name, media_type, sha256, size, created "
                    + "FROM artifacts WHERE run_id = ? ORDER BY name")) {
                ps.setLong(1, runId);
                List<Artifact> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(artifact(rs));
                }
                return out;
            }
        });
    }

    /** The file holding the artifact's content. */
    public Path file(Artifact a) {
        return files.path(a.sha256());
    }

    /** The content hashes a run's rows name; read before the run is deleted. */
    static List<String> sha256sOf(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT sha256 FROM artifacts WHERE run_id = ?")) {
            ps.setLong(1, runId);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** Removes the files of {@code sha256s} that no row names any more, in one write transaction. */
    void deleteUnreferenced(Collection<String> sha256s) {
        if (sha256s.isEmpty()) return;
        db.write("delete unreferenced artifact files", c -> {
            deleteUnreferenced(c, sha256s);
            return null;
        });
    }

    private void deleteUnreferenced(Connection c, Collection<String> sha256s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1")) {
            for (String sha : new LinkedHashSet<>(sha256s)) {
                ps.setString(1, sha);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) files.delete(sha);
                }
            }
        }
    }

    private void place(ArtifactFiles.Upload upload) {
        try {
            files.place(upload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move artifact content into " + files.root(), e);
        }
    }

    private static boolean runExists(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String sha256Of(Connection c, long runId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sha256 FROM artifacts WHERE run_id = ? AND name = ?")) {
            ps.setLong(1, runId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A leftover in tmp/ holds no row and is never read.
        }
    }

    private static Artifact artifact(ResultSet rs) throws SQLException {
        return new Artifact(rs.getLong("run_id"), rs.getString("name"), rs.getString("media_type"), rs.getString("sha256"),
                rs.getLong("size"), Instant.ofEpochMilli(rs.getLong("created")));
    }
}
