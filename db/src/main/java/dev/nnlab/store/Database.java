package dev.nnlab.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The store's connections: a pool (HikariCP), so reads run side by side and never queue behind a
 * write or each other: the UI reads a run while it trains. Writes are serialised by a lock in this
 * process (and across processes by the database: SQLite's single writer, PostgreSQL's advisory lock,
 * {@link Dialect#serialiseWrite}). The heavy write path ({@link MetricWriter}) has its own connection.
 */
final class Database implements AutoCloseable {

    private static final AtomicInteger POOLS = new AtomicInteger();

    /** A piece of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Dialect dialect;
    private final HikariDataSource pool;
    private final ReentrantLock writeLock = new ReentrantLock();

    Database(Dialect dialect) {
        this.dialect = dialect;
        HikariConfig config = new HikariConfig();
        config.setDataSource(new DialectDataSource(dialect));
        config.setPoolName("nnlab-store-" + POOLS.incrementAndGet());
        config.setMaximumPoolSize(dialect.poolSize());
        // A CLI command needs one connection; the pool grows to its size only under concurrent reads.
        config.setMinimumIdle(1);
        config.setAutoCommit(true);
        try {
            this.pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() instanceof SQLException s ? s : e;
            throw new StoreException("cannot open the run store (" + dialect.name() + " " + dialect.describe() + "): "
                    + rootMessage(cause), cause);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in auto-commit mode on a pooled connection, beside other reads. */
    <T> T read(String what, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws, and
     * tried again ({@link BusyRetry#DEFAULT}) while the database is busy: a rolled-back transaction
     * left nothing behind, so running it again is safe.
     */
    <T> T write(String what, Work<T> work) {
        writeLock.lock();
        try {
            return BusyRetry.DEFAULT.run(dialect, () -> {
                try (Connection c = pool.getConnection()) {
                    return inTransaction(c, tx -> {
                        dialect.serialiseWrite(tx);
                        return work.run(tx);
                    });
                }
            });
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} on a connection of its own, holding the write lock (schema migrations manage their transactions). */
    <T> T exclusive(String what, Work<T> work) {
        writeLock.lock();
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        } finally {
            writeLock.unlock();
        }
    }

    static <T> T inTransaction(Connection c, Work<T> work) throws SQLException {
        c.setAutoCommit(false);
        Exception failure = null;
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            failure = e;
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException e) {
                // A transaction that never began (its BEGIN met SQLITE_BUSY) has nothing to end;
                // the original failure is the one to report, and to judge a retry by.
                if (failure == null) throw e;
                failure.addSuppressed(e);
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage();
    }

    /** Hands the pool the dialect's configured connections. */
    private record DialectDataSource(Dialect dialect) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            return dialect.connect();
        }

        @Override
        public Connection getConnection(String username, String password) throws SQLException {
            return dialect.connect();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
