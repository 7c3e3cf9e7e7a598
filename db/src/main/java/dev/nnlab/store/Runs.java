package dev.nnlab.store;

import dev.nnlab.store.filter.RunFilter;
import dev.nnlab.store.filter.RunSort;
import dev.nnlab.store.filter.SqlFragment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Runs: creation with parameters and provenance, the life cycle, lists, deletion. */
public final class Runs {

    private static final String COLUMNS = "r.id, r.experiment_id, r.name, r.status, r.family, r.plugin_id, "
            + "r.plugin_version, r.nnlab_version, r.git_commit, r.seed, r.dataset, r.dataset_checksum, r.config, "
            + "r.created, r.started, r.ended, r.error, r.owner_host, r.owner_pid, r.owner_start, r.heartbeat";

    private final Database db;
    private final Store.Options options;
    private final Artifacts artifacts;

    Runs(Database db, Store.Options options, Artifacts artifacts) {
        this.db = db;
        this.options = options;
        this.artifacts = artifacts;
    }

    /** Records a QUEUED run owned by this process, with its parameters, in one transaction. */
    public Run create(NewRun spec) {
        long id = db.write("create run " + spec.name(), c -> {
            long runId = insertRun(c, spec);
            insertParams(c, runId, spec.params());
            return runId;
        });
        return get(id).orElseThrow();
    }

    private long insertRun(Connection c, NewRun spec) throws SQLException {
        Provenance p = spec.provenance();
        Owner owner = options.owner();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO runs (experiment_id, name, status, family, "
                + "plugin_id, plugin_version, nnlab_version, git_commit, seed, dataset, dataset_checksum, config, "
                + "created, owner_host, owner_pid, owner_start) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id")) {
            ps.setLong(1, spec.experimentId());
            ps.setString(2, spec.name());
            ps.setString(3, RunStatus.QUEUED.name());
            ps.setString(4, spec.family());
            ps.setString(5, p.pluginId());
            ps.setString(6, p.pluginVersion());
            ps.setString(7, p.nnlabVersion());
            ps.setString(8, p.gitCommit());
            Rows.setLong(ps, 9, p.seed());
            ps.setString(10, p.dataset());
            ps.setString(11, p.datasetChecksum());
            ps.setString(12, Json.write(spec.config()));
            ps.setLong(13, options.clock().millis());
            ps.setString(14, owner.host());
            ps.setLong(15, owner.pid());
            ps.setLong(16, owner.startMillis());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void insertParams(Connection c, long runId, Map<String, ?> params) throws SQLException {
        if (params.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO params (run_id, key, value, num_value, type) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<String, ?> e : params.entrySet()) {
                Param p = Param.of(e.getKey(), e.getValue());
                ps.setLong(1, runId);
                ps.setString(2, p.key());
                ps.setString(3, p.value());
                Rows.setNumber(ps, 4, p.number());
                ps.setString(5, p.type().name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** QUEUED to RUNNING, owned from now on by this process. */
    public void markRunning(long runId) {
        Owner owner = options.owner();
        long now = options.clock().millis();
        transition(runId, RunStatus.QUEUED, "mark run " + runId + " running",
                "UPDATE runs SET status = ?, started = ?, heartbeat = ?, owner_host = ?, owner_pid = ?, owner_start = ? "
                        + "WHERE id = ? AND status = ?",
                RunStatus.RUNNING.name(), now, now, owner.host(), owner.pid(), owner.startMillis(), runId,
                RunStatus.QUEUED.name());
    }

    /** Records that the run's process is alive; crash recovery of other hosts looks at it. */
    public void heartbeat(long runId) {
        heartbeat(List.of(runId));
    }

    /**
     * One heartbeat for several runs of this process, in one statement; the number of runs it was
     * written for. A run another process owns now (it was put back and started again there) keeps that
     * process's heartbeat: this one must not make a crashed new owner look alive.
     */
    public int heartbeat(Collection<Long> runIds) {
        if (runIds.isEmpty()) return 0;
        Owner owner = options.owner();
        List<Object> args = new ArrayList<>();
        args.add(options.clock().millis());
        args.add(owner.host());
        args.add(owner.pid());
        args.add(owner.startMillis());
        args.addAll(runIds);
        return db.write("heartbeat " + runIds.size() + " run(s)", c -> update(c, "UPDATE runs SET heartbeat = ? "
                + "WHERE owner_host = ? AND owner_pid = ? AND owner_start = ? AND id IN ("
                + Rows.parameterMarks(runIds.size()) + ")", args.toArray()));
    }

    /** The ones of {@code runIds} that are not (or no longer) RUNNING under this process. */
    public java.util.Set<Long> notOwned(Collection<Long> runIds) {
        java.util.Set<Long> out = new java.util.HashSet<>(runIds);
        if (runIds.isEmpty()) return out;
        out.removeAll(db.read("read the owners of " + runIds.size() + " run(s)",
                c -> Fencing.stillOwned(c, db.dialect(), options.owner(), runIds)));
        return out;
    }

    /**
     * Asks whichever process trains the run to stop it (see {@link OwnedRuns}); false when the run
     * does not exist or already ended.
     */
    public boolean requestStop(long runId) {
        return db.write("ask run " + runId + " to stop", c -> update(c,
                "UPDATE runs SET stop_requested = ? WHERE id = ? AND status IN (?, ?)", options.clock().millis(), runId,
                RunStatus.QUEUED.name(), RunStatus.RUNNING.name())) > 0;
    }

    /** Which of {@code runIds} someone asked to stop. Reads one indexed column of a few rows. */
    public java.util.Set<Long> stopRequested(Collection<Long> runIds) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        if (runIds.isEmpty()) return out;
        return db.read("read the stop requests of " + runIds.size() + " run(s)", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM runs WHERE stop_requested IS NOT NULL AND id IN ("
                    + Rows.parameterMarks(runIds.size()) + ")")) {
                Rows.setArgs(ps, 1, List.copyOf(runIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
                return out;
            }
        });
    }

    /** Ends a QUEUED or RUNNING run with a terminal status and, for failures, the error text. */
    public void finish(long runId, RunStatus status, String error) {
        if (!status.isTerminal()) throw new IllegalArgumentException(status + " is not a final status");
        transition(runId, RunStatus.RUNNING, "finish run " + runId,
                "UPDATE runs SET status = ?, ended = ?, error = ? WHERE id = ? AND status IN (?, ?)",
                status.name(), options.clock().millis(), error, runId, RunStatus.QUEUED.name(),
                RunStatus.RUNNING.name());
    }

    /**
     * Ends a run this process trains, as {@link #finish} does, unless another process owns it now (it was
     * put back in the queue while this process was cut off, and started again elsewhere): then nothing is
     * written and the answer is false, so the new attempt's status stands.
     */
    public boolean finishOwned(long runId, RunStatus status, String error) {
        if (!status.isTerminal()) throw new IllegalArgumentException(status + " is not a final status");
        Owner owner = options.owner();
        String what = "finish run " + runId;
        int changed = db.write(what, c -> update(c, "UPDATE runs SET status = ?, ended = ?, error = ? WHERE id = ? "
                        + "AND status IN (?, ?) AND owner_host = ? AND owner_pid = ? AND owner_start = ?",
                status.name(), options.clock().millis(), error, runId, RunStatus.QUEUED.name(), RunStatus.RUNNING.name(),
                owner.host(), owner.pid(), owner.startMillis()));
        if (changed > 0) return true;
        Run now = get(runId).orElseThrow(() -> new IllegalStateException("cannot " + what + ": it does not exist"));
        if (now.status().isTerminal()) {
            throw new IllegalStateException("cannot " + what + ": it is " + now.status() + ", not QUEUED or RUNNING");
        }
        return false;
    }

    private void transition(long runId, RunStatus from, String what, String sql, Object... args) {
        int changed = db.write(what, c -> update(c, sql, args));
        if (changed == 0) {
            String now = get(runId).map(r -> "is " + r.status()).orElse("does not exist");
            throw new IllegalStateException("cannot " + what + ": it " + now
                    + (from == RunStatus.QUEUED ? ", not QUEUED" : ", not QUEUED or RUNNING"));
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Rows.setArgs(ps, 1, Arrays.asList(args));
            return ps.executeUpdate();
        }
    }

    public Optional<Run> get(long runId) {
        return db.read("read run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM runs r WHERE r.id = ?")) {
                ps.setLong(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * The runs matching {@code query}. Filters and sorts read only {@code runs}, {@code params}
     * and {@code metric_summaries}, never raw metric points.
     *
     * @throws dev.nnlab.store.filter.FilterSyntaxException for a malformed filter or sort
     */
    public List<Run> list(RunQuery query) {
        SqlFragment where = where(query);
        RunSort sort = RunSort.parse(query.sort());
        SqlFragment join = sort.join();
        String sql = "SELECT " + COLUMNS + " FROM runs r " + join.sql() + " WHERE " + where.sql()
                + " ORDER BY " + sort.orderBy() + " LIMIT ? OFFSET ?";
        return db.read("list runs", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Rows.setArgs(ps, 1, join.args());
                Rows.setArgs(ps, 1 + join.args().size(), where.args());
                int next = 1 + join.args().size() + where.args().size();
                ps.setLong(next, query.limit() > 0 ? query.limit() : Long.MAX_VALUE);
                ps.setLong(next + 1, Math.max(0, query.offset()));
                List<Run> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(run(rs));
                }
                return out;
            }
        });
    }

    /** How many runs match {@code filter} (null for all), for paging. */
    public long count(String filter) {
        return countMatching(RunQuery.filter(filter));
    }

    /** How many runs match {@code query}'s filter, text and experiment (its sort and page do not matter). */
    public long countMatching(RunQuery query) {
        SqlFragment where = where(query);
        return db.read("count runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM runs r WHERE " + where.sql())) {
                Rows.setArgs(ps, 1, where.args());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** The filter, the free text and the experiment of {@code query} as one condition over {@code runs r}. */
    private static SqlFragment where(RunQuery query) {
        SqlFragment filter = RunFilter.toSql(query.filter());
        StringBuilder sql = new StringBuilder("(").append(filter.sql()).append(')');
        List<Object> args = new ArrayList<>(filter.args());
        if (query.text() != null && !query.text().isBlank()) {
            String like = "%" + escapeLike(query.text().strip().toLowerCase(Locale.ROOT)) + "%";
            sql.append(" AND (LOWER(r.name) LIKE ? ESCAPE '\\' OR LOWER(r.family) LIKE ? ESCAPE '\\'"
                    + " OR LOWER(r.status) LIKE ? ESCAPE '\\' OR r.experiment_id IN"
                    + " (SELECT e.id FROM experiments e WHERE LOWER(e.name) LIKE ? ESCAPE '\\'))");
            for (int i = 0; i < 4; i++) args.add(like);
        }
        if (query.experiment() != null) {
            sql.append(" AND r.experiment_id IN (SELECT e.id FROM experiments e WHERE e.name = ?)");
            args.add(query.experiment());
        }
        return new SqlFragment(sql.toString(), args);
    }

    /** Makes {@code %}, {@code _} and the escape character itself match literally. */
    static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** The run's hyperparameters, by key. */
    public List<Param> params(long runId) {
        return db.read("read the parameters of run " + runId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT key, value, type, num_value FROM params WHERE run_id = ? ORDER BY key")) {
                ps.setLong(1, runId);
                List<Param> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(param(rs));
                }
                return out;
            }
        });
    }

    /** The hyperparameters of several runs at once (a page of a run list), by run, each by key. */
    public Map<Long, List<Param>> params(Collection<Long> runIds) {
        Map<Long, List<Param>> out = new LinkedHashMap<>();
        if (runIds.isEmpty()) return out;
        return db.read("read the parameters of " + runIds.size() + " runs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id, key, value, type, num_value FROM params "
                    + "WHERE run_id IN (" + Rows.parameterMarks(runIds.size()) + ") ORDER BY run_id, key")) {
                Rows.setArgs(ps, 1, List.copyOf(runIds));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getLong("run_id"), k -> new ArrayList<>()).add(param(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * What a watcher needs to notice changes: every run created after {@code afterId}, and the
     * current state of the runs in {@code watched} (a watched run missing from the answer was
     * deleted). Reads only the {@code runs} table.
     */
    public List<RunState> states(long afterId, Collection<Long> watched) {
        String sql = "SELECT id, experiment_id, name, status FROM runs WHERE id > ?"
                + (watched.isEmpty() ? "" : " OR id IN (" + Rows.parameterMarks(watched.size()) + ")") + " ORDER BY id";
        return db.read("read run states", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, afterId);
                Rows.setArgs(ps, 2, List.copyOf(watched));
                List<RunState> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new RunState(rs.getLong(1), rs.getLong(2), rs.getString(3),
                                RunStatus.valueOf(rs.getString(4))));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Deletes a run and, by cascade, everything recorded for it, then the artifact files no other
     * run holds; false if there was no such run.
     */
    public boolean delete(long runId) {
        List<String> files = new ArrayList<>();
        boolean deleted = db.write("delete run " + runId, c -> {
            files.addAll(Artifacts.sha256sOf(c, runId));
            return update(c, "DELETE FROM runs WHERE id = ?", runId);
        }) > 0;
        // After the commit: had the delete rolled back, the files would still be named.
        if (deleted) artifacts.deleteUnreferenced(files);
        return deleted;
    }

    /**
     * Gives a run that did not end well another attempt: back to QUEUED, with everything the earlier
     * attempt recorded (points and their summaries, layer statistics, events, artifacts) deleted in the
     * same transaction, so the retry writes each point once. The run id is the idempotency key of a
     * trial. Only a RUNNING (its process lost), STOPPED or INTERRUPTED run without a stop asked by a
     * person is put back; false otherwise, and nothing is deleted.
     */
    public boolean requeue(long runId) {
        List<String> files = new ArrayList<>();
        boolean requeued = db.write("requeue run " + runId, c -> {
            // Owned by the process that puts it back (as a newly created run is), so that crash recovery does
            // not take the lost attempt's dead process for the owner of the queued retry.
            Owner owner = options.owner();
            int changed = update(c, "UPDATE runs SET status = ?, started = NULL, ended = NULL, error = NULL, heartbeat = NULL, "
                    + "owner_host = ?, owner_pid = ?, owner_start = ? WHERE id = ? AND stop_requested IS NULL AND status IN (?, ?, ?)",
                    RunStatus.QUEUED.name(), owner.host(), owner.pid(), owner.startMillis(), runId,
                    RunStatus.RUNNING.name(), RunStatus.STOPPED.name(), RunStatus.INTERRUPTED.name());
            if (changed == 0) return false;
            for (String table : List.of("metric_points", "metric_summaries", "layer_stats", "events")) {
                update(c, "DELETE FROM " + table + " WHERE run_id = ?", runId);
            }
            files.addAll(Artifacts.sha256sOf(c, runId));
            update(c, "DELETE FROM artifacts WHERE run_id = ?", runId);
            return true;
        });
        if (requeued) artifacts.deleteUnreferenced(files);
        return requeued;
    }

    /**
     * Marks a run whose process was lost INTERRUPTED with the reason, keeping what it recorded: from
     * RUNNING (the process died), QUEUED, or STOPPED when no person asked for the stop (the process
     * stopped it because it was leaving). False when it ended otherwise or is gone.
     */
    public boolean markLost(long runId, String reason) {
        return db.write("mark run " + runId + " interrupted", c -> update(c,
                "UPDATE runs SET status = ?, ended = ?, error = ? WHERE id = ? AND (status IN (?, ?) "
                        + "OR (status = ? AND stop_requested IS NULL))",
                RunStatus.INTERRUPTED.name(), options.clock().millis(), reason, runId, RunStatus.QUEUED.name(),
                RunStatus.RUNNING.name(), RunStatus.STOPPED.name())) > 0;
    }

    private static Param param(ResultSet rs) throws SQLException {
        return new Param(rs.getString("key"), rs.getString("value"), Param.Type.valueOf(rs.getString("type")),
                Rows.number(rs, "num_value"));
    }

    private static Run run(ResultSet rs) throws SQLException {
        long seed = rs.getLong("seed");
        Long seedOrNull = rs.wasNull() ? null : seed;
        Provenance provenance = new Provenance(rs.getString("plugin_id"), rs.getString("plugin_version"),
                rs.getString("nnlab_version"), rs.getString("git_commit"), seedOrNull, rs.getString("dataset"),
                rs.getString("dataset_checksum"));
        Owner owner = new Owner(rs.getString("owner_host"), rs.getLong("owner_pid"), rs.getLong("owner_start"));
        return new Run(rs.getLong("id"), rs.getLong("experiment_id"), rs.getString("name"),
                RunStatus.valueOf(rs.getString("status")), rs.getString("family"), provenance,
                Json.read(rs.getString("config")), Rows.instant(rs, "created"), Rows.instant(rs, "started"),
                Rows.instant(rs, "ended"), rs.getString("error"), owner, Rows.instant(rs, "heartbeat"));
    }
}
