package dev.nnlab.store;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The verdicts of experiments' lessons, newest last within an experiment. */
public final class LessonVerdicts {
    public static final Set<String> VERDICTS = Set.of("HELD", "NOT_HELD", "NOT_MEASURABLE");

    private final Database db;
    private final Clock clock;

    LessonVerdicts(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records a verdict measured on {@code runIds}; returns it as stored. */
    public LessonVerdict record(long experimentId, String verdict, JsonNode lesson, JsonNode checks, List<Long> runIds) {
        if (!VERDICTS.contains(verdict)) throw new IllegalArgumentException("verdict " + verdict + " is not one of " + VERDICTS);
        long id = db.write("record the lesson verdict of experiment " + experimentId, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO lesson_verdicts "
                    + "(experiment_id, created, verdict, lesson, checks, run_ids) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
                ps.setLong(1, experimentId);
                ps.setLong(2, clock.millis());
                ps.setString(3, verdict);
                ps.setString(4, Json.write(lesson));
                ps.setString(5, Json.write(checks));
                ps.setString(6, Json.write(runIds));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        return list(experimentId).stream().filter(v -> v.id() == id).findFirst().orElseThrow();
    }

    /** Every verdict of an experiment, oldest first. */
    public List<LessonVerdict> list(long experimentId) {
        return db.read("read the lesson verdicts of experiment " + experimentId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, experiment_id, created, verdict, lesson, checks, run_ids "
                    + "FROM lesson_verdicts WHERE experiment_id = ? ORDER BY id")) {
                ps.setLong(1, experimentId);
                List<LessonVerdict> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(verdict(rs));
                }
                return out;
            }
        });
    }

    /** The newest verdict of an experiment, if it has one. */
    public Optional<LessonVerdict> latest(long experimentId) {
        List<LessonVerdict> all = list(experimentId);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    private static LessonVerdict verdict(ResultSet rs) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (JsonNode n : Json.read(rs.getString("run_ids"))) ids.add(n.asLong());
        return new LessonVerdict(rs.getLong("id"), rs.getLong("experiment_id"), Instant.ofEpochMilli(rs.getLong("created")),
                rs.getString("verdict"), Json.read(rs.getString("lesson")), Json.read(rs.getString("checks")), List.copyOf(ids));
    }
}
