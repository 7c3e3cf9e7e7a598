package dev.nnlab.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** What only a server database shares: several processes opening one new store at once, and its retry rules. */
class PostgresStoreTest {

    @TempDir
    Path dir;

    @Test
    void machines_opening_a_new_store_at_once_migrate_it_once_and_all_work_on_it() throws Exception {
        StoreLocation location = TestPostgres.shared().newLocation(dir.resolve("artifacts"));
        int n = 4;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Long>> opened = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int me = i;
                Callable<Long> open = () -> {
                    try (Store s = location.open()) {
                        return StoreFixture.run(s, "shared", "from machine " + me, java.util.Map.of()).id();
                    }
                };
                opened.add(pool.submit(open));
            }
            List<Long> ids = new ArrayList<>();
            for (Future<Long> f : opened) ids.add(f.get());
            assertThat(ids).doesNotHaveDuplicates().hasSize(n);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Backend.queryLongs(location, "SELECT version FROM schema_version ORDER BY version"))
                .hasSize(SchemaMigrator.MIGRATIONS.size());
        assertThat(Backend.queryLongs(location, "SELECT COUNT(*) FROM experiments")).containsExactly(1L);
    }

    @Test
    void lock_waits_deadlocks_and_lost_connections_are_worth_a_retry_and_bad_sql_is_not() {
        PostgresDialect d = (PostgresDialect) StoreLocation.parse("postgresql://u@h/db").dialect();
        assertThat(d.isBusy(new SQLException("lock timeout", "55P03"))).isTrue();
        assertThat(d.isBusy(new SQLException("deadlock", "40P01"))).isTrue();
        assertThat(d.isBusy(new SQLException("wrapped", "XX000", new SQLTransientConnectionException("gone", "08006")))).isTrue();
        assertThat(d.isBusy(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(d.isBusy(new SQLException("unique violation", "23505"))).isFalse();
    }
}
