package dev.nnlab.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's shared connection. Calls are serialised by a lock: SQLite has one writer anyway,
 * and the heavy write path ({@link MetricWriter}) has its own connection.
 */
final class Database implements AutoCloseable {

    /** A piece of work on a connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final Dialect dialect;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();

    Database(Dialect dialect) {
        this.dialect = dialect;
        try {
            this.connection = dialect.connect();
        } catch (SQLException e) {
            throw new StoreException("cannot open the run store (" + dialect.name() + ")", e);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    /** Runs {@code work} in auto-commit mode. */
    <T> T read(String what, Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction: committed if it returns, rolled back if it throws, and
     * tried again ({@link BusyRetry#DEFAULT}) while the database is busy: a rolled-back transaction
     * left nothing behind, so running it again is safe.
     */
    <T> T write(String what, Work<T> work) {
        lock.lock();
        try {
            return BusyRetry.DEFAULT.run(dialect, () -> inTransaction(connection, work));
        } catch (SQLException e) {
            throw new StoreException("cannot " + what, e);
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the run store", e);
        } finally {
            lock.unlock();
        }
    }
}
