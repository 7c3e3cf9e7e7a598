package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Experiments: named groups of runs (a sweep, a study). Names are unique. */
public final class Experiments {

    private final Database db;
    private final Clock clock;

    Experiments(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Creates an experiment; fails if the name is taken. */
    public Experiment create(String name, JsonNode spec) {
        long id = db.write("create experiment " + name, c -> insert(c, name, spec));
        return find(id).orElseThrow();
    }

    /** The experiment of that name, created with {@code spec} if there is none yet. */
    public Experiment getOrCreate(String name, JsonNode spec) {
        long id = db.write("create experiment " + name, c -> {
            Optional<Experiment> existing = select(c, "name = ?", name);
            return existing.isPresent() ? existing.get().id() : insert(c, name, spec);
        });
        return find(id).orElseThrow();
    }

    public Optional<Experiment> find(long id) {
        return db.read("read experiment " + id, c -> select(c, "id = ?", id));
    }

    public Optional<Experiment> findByName(String name) {
        return db.read("read experiment " + name, c -> select(c, "name = ?", name));
    }

    /** Every experiment, newest first. */
    public List<Experiment> list() {
        return db.read("list experiments", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, name, created, spec FROM experiments ORDER BY created DESC, id DESC");
                 ResultSet rs = ps.executeQuery()) {
                List<Experiment> out = new ArrayList<>();
                while (rs.next()) out.add(experiment(rs));
                return out;
            }
        });
    }

    /** How many runs each experiment holds, by experiment id; an experiment without runs is absent. */
    public Map<Long, Long> runCounts() {
        return db.read("count the runs of each experiment", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT experiment_id, COUNT(*) FROM runs GROUP BY experiment_id");
                 ResultSet rs = ps.executeQuery()) {
                Map<Long, Long> out = new LinkedHashMap<>();
                while (rs.next()) out.put(rs.getLong(1), rs.getLong(2));
                return out;
            }
        });
    }

    private long insert(Connection c, String name, JsonNode spec) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO experiments (name, created, spec) VALUES (?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setLong(2, clock.millis());
            ps.setString(3, Json.write(spec));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** {@code condition} is one of this class's constants; the value is bound. */
    private static Optional<Experiment> select(Connection c, String condition, Object value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, created, spec FROM experiments WHERE " + condition)) {
            ps.setObject(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(experiment(rs)) : Optional.empty();
            }
        }
    }

    private static Experiment experiment(ResultSet rs) throws SQLException {
        return new Experiment(rs.getLong("id"), rs.getString("name"), Instant.ofEpochMilli(rs.getLong("created")),
                Json.read(rs.getString("spec")));
    }
}
