package dev.nnlab.store;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Tries a write again when the database was busy. SQLite already waits its busy timeout before it
 * gives up; this covers the case where another process (a CLI batch committing a large batch, a
 * backup, a long reader checkpoint) holds the file for longer than that. The delays grow, so a
 * store that stays locked is given up on after a few seconds rather than hammered.
 *
 * @param delays how long to wait before each further attempt (so {@code delays.size() + 1} attempts)
 */
record BusyRetry(List<Duration> delays) {

    /** For the store's own writes: about 3 s of waiting on top of the busy timeouts. */
    static final BusyRetry DEFAULT = new BusyRetry(List.of(Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofMillis(800), Duration.ofMillis(2000)));

    /** A piece of work that may fail with SQLITE_BUSY. */
    @FunctionalInterface
    interface Attempt<T> {
        T run() throws SQLException;
    }

    /** Runs {@code attempt}, again after each delay while it fails busy; any other failure is thrown at once. */
    <T> T run(Dialect dialect, Attempt<T> attempt) throws SQLException {
        for (int i = 0; ; i++) {
            try {
                return attempt.run();
            } catch (SQLException e) {
                if (i >= delays.size() || !dialect.isBusy(e)) throw e;
                sleep(delays.get(i));
            }
        }
    }

    private static void sleep(Duration d) throws SQLException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a busy database", e);
        }
    }
}
