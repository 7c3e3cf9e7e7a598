package dev.nnlab.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The run store: one database file holding every experiment and run, and beside it a folder of
 * the runs' artifact files ({@link Artifacts}). Opening it migrates the
 * schema and marks the runs of dead processes {@link RunStatus#INTERRUPTED}. Several processes
 * (a CLI batch and the server) may open the same file at once.
 *
 * <pre>{@code
 * try (Store store = Store.open(Path.of("nnlab-data/nnlab.db"));
 *      MetricWriter metrics = store.newMetricWriter()) {
 *     Experiment e = store.experiments().getOrCreate("mnist-mlp", null);
 *     Run run = store.runs().create(new NewRun(e.id(), "lr=0.1", "mlp", provenance, config, params));
 *     store.runs().markRunning(run.id());
 *     metrics.metric(run.id(), "train_loss", step, epoch, loss);   // from the training loop
 *     store.runs().finish(run.id(), RunStatus.FINISHED, null);
 * }
 * }</pre>
 *
 * <p>Thread-safe. Stability: used by the host (CLI and server); not part of the plugin API.
 */
public final class Store implements AutoCloseable {

    /**
     * How a store identifies itself and judges other processes.
     *
     * @param owner      the process recorded as owner of the runs it creates or starts
     * @param staleAfter a run of another host whose heartbeat is older than this is interrupted
     * @param clock      the time source for every recorded time
     * @param pulse      how often the runs this process trains look for a stop asked through the
     *                   store ({@link OwnedRuns})
     */
    public record Options(Owner owner, Duration staleAfter, Clock clock, Duration pulse) {
        public static final Duration DEFAULT_PULSE = Duration.ofMillis(500);

        public Options {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(staleAfter, "staleAfter");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(pulse, "pulse");
        }

        public Options(Owner owner, Duration staleAfter, Clock clock) {
            this(owner, staleAfter, clock, DEFAULT_PULSE);
        }

        /** This process, a 10-minute heartbeat limit, the system clock. */
        public static Options defaults() {
            return new Options(Owner.current(), Duration.ofMinutes(10), Clock.systemUTC());
        }
    }

    private final Database db;
    private final Options options;
    private final List<Long> recovered;
    private final Experiments experiments;
    private final Runs runs;
    private final Metrics metrics;
    private final LayerStats layerStats;
    private final Events events;
    private final Annotations annotations;
    private final LessonVerdicts verdicts;
    private final Artifacts artifacts;
    private final OwnedRuns ownedRuns;

    private Store(Database db, Options options, Path artifactDirectory) {
        this.db = db;
        this.options = options;
        this.artifacts = new Artifacts(db, options.clock(), artifactDirectory);
        this.experiments = new Experiments(db, options.clock());
        this.runs = new Runs(db, options, artifacts);
        this.metrics = new Metrics(db, options.clock());
        this.layerStats = new LayerStats(db);
        this.events = new Events(db);
        this.annotations = new Annotations(db, options.clock());
        this.verdicts = new LessonVerdicts(db, options.clock());
        this.ownedRuns = new OwnedRuns(runs, options.pulse());
        this.recovered = db.write("recover interrupted runs",
                c -> CrashRecovery.recover(c, options.owner(), options.staleAfter(), options.clock().millis()));
    }

    /** Opens (creating it and its directories if needed) the SQLite store at {@code file}. */
    public static Store open(Path file) {
        return open(new SqliteDialect(file), Options.defaults());
    }

    public static Store open(Path file, Options options) {
        return open(new SqliteDialect(file), options);
    }

    /**
     * Opens a store on any dialect whose database has a folder for artifact files of its own
     * ({@link Dialect#artifactDirectory()}): migrates it, then recovers the runs of dead processes.
     */
    public static Store open(Dialect dialect, Options options) {
        Path artifacts = dialect.artifactDirectory();
        if (artifacts == null) {
            throw new IllegalArgumentException("the " + dialect.name() + " store has no folder for artifact files of its own; "
                    + "name one with Store.open(dialect, options, artifactDirectory)");
        }
        return open(dialect, options, artifacts);
    }

    /** Opens a store keeping artifact files under {@code artifactDirectory}. */
    public static Store open(Dialect dialect, Options options, Path artifactDirectory) {
        Database db = new Database(dialect);
        try {
            db.exclusive("migrate the schema", c -> SchemaMigrator.migrate(c, dialect));
            return new Store(db, options, artifactDirectory);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public Experiments experiments() {
        return experiments;
    }

    public Runs runs() {
        return runs;
    }

    public Metrics metrics() {
        return metrics;
    }

    public LayerStats layerStats() {
        return layerStats;
    }

    public Events events() {
        return events;
    }

    /** Tags and notes. */
    public Annotations annotations() {
        return annotations;
    }

    /** The verdicts of experiments' lessons. */
    public LessonVerdicts verdicts() {
        return verdicts;
    }

    /** Files attached to runs, kept beside the database. */
    public Artifacts artifacts() {
        return artifacts;
    }

    /** The runs this process trains: their heartbeats and stop flags. */
    public OwnedRuns ownedRuns() {
        return ownedRuns;
    }

    /** A writer with its own connection and thread, for reporting from a training loop. */
    public MetricWriter newMetricWriter() {
        return newMetricWriter(MetricWriter.DEFAULT_BATCH_SIZE, MetricWriter.DEFAULT_INTERVAL);
    }

    /** What it writes for a run this process holds ({@link #ownedRuns()}) lands only while the run is still its own. */
    public MetricWriter newMetricWriter(int batchSize, Duration interval) {
        return new MetricWriter(db.dialect(), options.clock(), batchSize, interval, BusyRetry.DEFAULT, ownedRuns,
                options.owner());
    }

    /** The ids of the runs this open marked interrupted. */
    public List<Long> recoveredRuns() {
        return recovered;
    }

    /** Marks the runs of dead processes interrupted now; returns their ids. */
    public List<Long> recoverInterruptedRuns() {
        return db.write("recover interrupted runs",
                c -> CrashRecovery.recover(c, options.owner(), options.staleAfter(), options.clock().millis()));
    }

    /** The newest applied schema migration. */
    public int schemaVersion() {
        return db.read("read the schema version", SchemaMigrator::currentVersion);
    }

    public Options options() {
        return options;
    }

    @Override
    public void close() {
        ownedRuns.close();
        db.close();
    }
}
