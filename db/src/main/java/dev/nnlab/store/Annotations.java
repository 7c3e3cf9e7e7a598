package dev.nnlab.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What people attach to runs: key-value tags (one value per key) and free-text notes. */
public final class Annotations {

    private final Database db;
    private final Clock clock;

    Annotations(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Sets a tag, replacing its previous value. */
    public void tag(long runId, String key, String value) {
        db.write("tag run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tags (run_id, key, value) VALUES (?, ?, ?) "
                    + "ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value")) {
                ps.setLong(1, runId);
                ps.setString(2, key);
                ps.setString(3, value);
                return ps.executeUpdate();
            }
        });
    }

    /** Removes a tag; false if the run had no such tag. */
    public boolean untag(long runId, String key) {
        return db.write("untag run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tags WHERE run_id = ? AND key = ?")) {
                ps.setLong(1, runId);
                ps.setString(2, key);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** The run's tags, by key. */
    public Map<String, String> tags(long runId) {
        return db.read("read the tags of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key, value FROM tags WHERE run_id = ? ORDER BY key")) {
                ps.setLong(1, runId);
                Map<String, String> out = new LinkedHashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.put(rs.getString(1), rs.getString(2));
                }
                return out;
            }
        });
    }

    public Note addNote(long runId, String body) {
        long now = clock.millis();
        long id = db.write("add a note to run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO notes (run_id, body, created) VALUES (?, ?, ?) RETURNING id")) {
                ps.setLong(1, runId);
                ps.setString(2, body);
                ps.setLong(3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return new Note(id, runId, body, Instant.ofEpochMilli(now));
    }

    /** The run's notes, oldest first. */
    public List<Note> notes(long runId) {
        return db.read("read the notes of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, body, created FROM notes WHERE run_id = ? ORDER BY id")) {
                ps.setLong(1, runId);
                List<Note> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Note(rs.getLong(1), runId, rs.getString(2), Instant.ofEpochMilli(rs.getLong(3))));
                    }
                }
                return out;
            }
        });
    }

    public boolean deleteNote(long noteId) {
        return db.write("delete note " + noteId, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM notes WHERE id = ?")) {
                ps.setLong(1, noteId);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
