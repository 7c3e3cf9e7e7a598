package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Files attached to runs, stored in the database so that a run is one row set to copy or delete. */
public final class Artifacts {

    private final Database db;
    private final Clock clock;

    Artifacts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Stores an artifact, replacing one of the same name. */
    public void put(long runId, String name, String mediaType, byte[] bytes) {
        db.write("store artifact " + name + " of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts "
                    + "(run_id, name, media_type, size, bytes, created) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (run_id, name) DO UPDATE SET media_type = excluded.media_type, "
                    + "size = excluded.size, bytes = excluded.bytes, created = excluded.created")) {
                ps.setLong(1, runId);
                ps.setString(2, name);
                ps.setString(3, mediaType);
                ps.setLong(4, bytes.length);
                ps.setBytes(5, bytes);
                ps.setLong(6, clock.millis());
                return ps.executeUpdate();
            }
        });
    }

    public Optional<Artifact> get(long runId, String name) {
        return db.read("read artifact " + name + " of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, media_type, size, created, bytes "
                    + "FROM artifacts WHERE run_id = ? AND name = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(artifact(runId, rs, rs.getBytes("bytes"))) : Optional.empty();
                }
            }
        });
    }

    /** The run's artifacts without their content, by name. */
    public List<Artifact> list(long runId) {
        return db.read("list the artifacts of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name, media_type, size, created "
                    + "FROM artifacts WHERE run_id = ? ORDER BY name")) {
                ps.setLong(1, runId);
                List<Artifact> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(artifact(runId, rs, null));
                }
                return out;
            }
        });
    }

    private static Artifact artifact(long runId, ResultSet rs, byte[] bytes) throws SQLException {
        return new Artifact(runId, rs.getString("name"), rs.getString("media_type"), rs.getLong("size"),
                Instant.ofEpochMilli(rs.getLong("created")), bytes);
    }
}
