package dev.nnlab.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another process holding the database's write lock for longer than SQLite's busy timeout: writes
 * are tried again, and what is lost after every retry is recorded on the run.
 */
class BusyDatabaseTest {

    @TempDir
    Path dir;
    Path file;
    Store store;
    long runId;
    Level logLevel;

    @BeforeEach
    void open() {
        file = dir.resolve("nnlab.db");
        // A 50 ms busy timeout instead of 10 s, so that "longer than the timeout" is short.
        store = Store.open(new SqliteDialect(file, Duration.ofMillis(50)), Store.Options.defaults());
        runId = StoreFixture.run(store, "busy", Map.of()).id();
        store.runs().markRunning(runId);
        Logger log = Logger.getLogger(MetricWriter.class.getName());
        logLevel = log.getLevel();
        log.setLevel(Level.OFF);
    }

    @AfterEach
    void close() {
        store.close();
        Logger.getLogger(MetricWriter.class.getName()).setLevel(logLevel);
    }

    /** Another connection (as another process would) that takes the write lock and keeps it. */
    private Connection lockDatabase() throws SQLException {
        Properties props = new Properties();
        props.setProperty("transaction_mode", "IMMEDIATE");
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE runs SET heartbeat = heartbeat WHERE id = " + runId);
        }
        return c;
    }

    private static void releaseAfter(Connection lock, long millis) {
        CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(millis);
                lock.commit();
                lock.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void finishing_a_run_while_another_process_holds_the_database_waits_and_succeeds() throws Exception {
        Connection lock = lockDatabase();
        releaseAfter(lock, 400);
        store.runs().finish(runId, RunStatus.FINISHED, null);
        assertThat(store.runs().get(runId).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void a_metric_batch_that_meets_a_busy_database_is_written_once_it_is_free() throws Exception {
        try (MetricWriter writer = store.newMetricWriter(10_000, Duration.ofSeconds(30))) {
            Connection lock = lockDatabase();
            for (int step = 0; step < 20; step++) writer.metric(runId, "loss", step, 0, 1.0 / (step + 1));
            releaseAfter(lock, 500);
            writer.flush();
            assertThat(writer.failedItems()).isZero();
            assertThat(store.metrics().series(runId, "loss")).hasSize(20);
            assertThat(store.events().list(runId)).isEmpty();
        }
    }

    @Test
    void points_lost_after_every_retry_are_recorded_on_the_run_with_their_count() throws Exception {
        BusyRetry quick = new BusyRetry(List.of(Duration.ofMillis(20), Duration.ofMillis(40)));
        try (MetricWriter writer = new MetricWriter(new SqliteDialect(file, Duration.ofMillis(50)),
                store.options().clock(), 10_000, Duration.ofSeconds(30), quick)) {
            Connection lock = lockDatabase();
            for (int step = 0; step < 7; step++) writer.metric(runId, "loss", step, 0, step);
            writer.layerStat(runId, 6, "dense0", "dead_fraction", 0.5);
            writer.flush();
            assertThat(writer.failedItems()).isEqualTo(8);
            lock.commit();
            lock.close();

            // The next drain records the loss: the run itself says its curve has a gap.
            writer.metric(runId, "loss", 7, 0, 7);
            writer.flush();
            assertThat(store.metrics().series(runId, "loss")).extracting(MetricPoint::step).containsExactly(7L);
            List<RunEvent> events = store.events().list(runId);
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.code()).isEqualTo(MetricWriter.POINTS_LOST);
                assertThat(e.level()).isEqualTo(RunEvent.Level.WARNING);
                assertThat(e.message()).startsWith("8 metric points").contains("busy");
            });
        }
    }

    @Test
    void a_loss_on_a_run_that_was_deleted_records_nothing_and_does_not_block_other_runs() throws Exception {
        long other = StoreFixture.run(store, "other", Map.of()).id();
        try (MetricWriter writer = store.newMetricWriter(10_000, Duration.ofSeconds(30))) {
            writer.metric(999_999, "loss", 1, 0, 1);
            writer.metric(other, "loss", 1, 0, 1);
            writer.flush();
            assertThat(writer.failedItems()).isEqualTo(1);
            assertThat(store.metrics().series(other, "loss")).hasSize(1);
            assertThat(store.events().list(other)).isEmpty();
        }
        assertThat(SchemaMigrationTest.queryLongs(file, "SELECT COUNT(*) FROM events")).containsExactly(0L);
    }

    @Test
    void a_stop_asked_through_the_store_reaches_the_process_that_holds_the_run() throws Exception {
        try (Store owner = Store.open(file, new Store.Options(Owner.current(), Duration.ofMinutes(10),
                java.time.Clock.systemUTC(), Duration.ofMillis(50)))) {
            try (OwnedRuns.Hold hold = owner.ownedRuns().hold(runId)) {
                assertThat(hold.stopRequested()).isFalse();
                assertThat(store.runs().requestStop(runId)).isTrue();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!hold.stopRequested() && System.nanoTime() < deadline) Thread.sleep(10);
                assertThat(hold.stopRequested()).isTrue();
            }
            // A hold taken after the request sees it at once.
            try (OwnedRuns.Hold again = owner.ownedRuns().hold(runId)) {
                assertThat(again.stopRequested()).isTrue();
            }
        }
        store.runs().finish(runId, RunStatus.STOPPED, null);
        assertThat(store.runs().requestStop(runId)).as("an ended run cannot be asked to stop").isFalse();
        long queued = StoreFixture.run(store, "waiting", Map.of()).id();
        try (OwnedRuns.Hold h = store.ownedRuns().hold(queued)) {
            assertThat(h.stopRequested()).as("a run nobody asked to stop").isFalse();
        }
    }
}
