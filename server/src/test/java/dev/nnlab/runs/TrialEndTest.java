package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginJars;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.SqliteDialect;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** How a trial's last writes survive another process holding the database as the trial ends. */
class TrialEndTest {

    @Test
    void a_trial_that_ends_while_another_process_holds_the_database_still_records_its_end(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("nnlab.db");
        // A 100 ms busy timeout: the 1.5 s lock below outlasts it many times over.
        try (Store store = Store.open(new SqliteDialect(file, Duration.ofMillis(100)), Store.Options.defaults())) {
            DataCache data = new DataCache(new DatasetCatalog(dir.resolve("data")));
            BatchService batches = new BatchService(store, PluginRegistry.load(PluginJars.builtInPlugins()), data, "test", null);
            String spec = """
                    {"name":"locked-end","family":"softmax","dataset":"spirals","epochs":1,"params":{"logEvery":5}}""";
            BatchService.Batch batch = batches.record("spec.json", batches.plan("spec.json", spec));
            long id = batch.runIds().getFirst();

            AtomicBoolean locked = new AtomicBoolean();
            TrialListener lockAtTheEnd = new TrialListener() {
                @Override
                public void onMetric(long runId, String key, long step, double epoch, double value) {
                    // test_acc comes last: from here on, another process holds the write lock for 1.5 s.
                    if (key.equals("test_acc") && locked.compareAndSet(false, true)) holdWriteLock(file, 1500);
                }
            };
            Map<Long, RunStatus> out = batches.execute(batch, 1, lockAtTheEnd, new AtomicBoolean());

            assertThat(locked).as("the lock was taken while the trial ended").isTrue();
            assertThat(out.get(id)).isEqualTo(RunStatus.FINISHED);
            assertThat(store.runs().get(id).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
            assertThat(store.metrics().series(id, "test_acc")).as("the last points were written, not dropped").hasSize(1);
            assertThat(store.events().list(id)).noneMatch(e -> e.code().equals("points_lost"));
        }
    }

    private static void holdWriteLock(Path file, long millis) {
        try {
            Properties props = new Properties();
            props.setProperty("transaction_mode", "IMMEDIATE");
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE experiments SET spec = spec");
            }
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(millis);
                    c.commit();
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
