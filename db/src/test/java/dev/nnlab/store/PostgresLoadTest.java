package dev.nnlab.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared store under load: 4 writers (each a store of its own with its batched writer, as
 * cluster workers on other machines are) report learning curves as fast as they can while 20 live
 * readers (one server's store, as the UI's live view reads it: new runs, then the points after the
 * last seen step, and now and then a page of the run list with summaries) follow them, each polling
 * every {@code -Dnnlab.pgload.pollMillis} (default 50). Training goes on for
 * {@code -Dnnlab.pgload.seconds} (default 60); the writers then flush what they queued, and the
 * write rate counts until the last point is committed. No read or write may fail, no point may be lost or
 * duplicated, and every reader must see each curve without a gap. Prints points/s written, reads/s
 * and read latencies (the figures in the README's "Shared store on PostgreSQL").
 */
class PostgresLoadTest {

    static final int WRITERS = 4;
    static final int READERS = 20;
    static final String[] KEYS = {"train_loss", "val_acc"};

    @TempDir
    Path dir;

    @Test
    void four_writers_and_twenty_live_readers_lose_nothing() throws Exception {
        long seconds = Long.getLong("nnlab.pgload.seconds", 60);
        long pollMillis = Long.getLong("nnlab.pgload.pollMillis", 50);
        StoreLocation location = TestPostgres.shared().newLocation(dir.resolve("artifacts"));
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        try (Store server = location.open()) {
            long[] runs = new long[WRITERS];
            for (int w = 0; w < WRITERS; w++) runs[w] = StoreFixture.run(server, "load", "worker-" + w, Map.of("w", w)).id();

            long start = System.nanoTime();
            long deadline = start + seconds * 1_000_000_000L;
            AtomicLong writersEnd = new AtomicLong();
            long[] written = new long[WRITERS];
            long[] lost = new long[WRITERS];
            CountDownLatch writersDone = new CountDownLatch(WRITERS);
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int me = w;
                threads.add(Thread.ofPlatform().name("load-writer-" + w).start(() -> {
                    try (Store worker = location.open(); MetricWriter out = worker.newMetricWriter()) {
                        worker.runs().markRunning(runs[me]);
                        long step = 0;
                        while (System.nanoTime() < deadline) {
                            for (String key : KEYS) out.metric(runs[me], key, step, step / 1000.0, Math.sin(step * 1e-3));
                            step++;
                        }
                        out.flush();
                        written[me] = step * KEYS.length;
                        lost[me] = out.failedItems();
                        worker.runs().finish(runs[me], RunStatus.FINISHED, null);
                    } catch (Throwable t) {
                        errors.add(t);
                    } finally {
                        writersEnd.accumulateAndGet(System.nanoTime(), Math::max);
                        writersDone.countDown();
                    }
                }));
            }

            AtomicLong reads = new AtomicLong();
            long[][] latencies = new long[READERS][];
            long[][] seenUpTo = new long[READERS][];
            for (int r = 0; r < READERS; r++) {
                int me = r;
                threads.add(Thread.ofPlatform().name("load-reader-" + r).start(() -> {
                    long[] lat = new long[1 << 16];
                    int n = 0;
                    long followed = runs[me % WRITERS];
                    long last = -1;
                    try {
                        boolean finalPass = false;
                        while (true) {
                            boolean writing = writersDone.getCount() > 0;
                            long t0 = System.nanoTime();
                            server.runs().states(0, List.of(followed));
                            List<MetricPoint> fresh = server.metrics().pointsAfter(followed, "train_loss", last);
                            if (n % 10 == 0) {
                                List<Run> page = server.runs().list(RunQuery.all());
                                server.metrics().summaries(page.stream().map(Run::id).toList());
                            }
                            long took = System.nanoTime() - t0;
                            if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                            lat[n++] = took;
                            reads.incrementAndGet();
                            for (MetricPoint p : fresh) {
                                if (p.step() != last + 1) {
                                    throw new AssertionError("reader " + me + " saw step " + p.step() + " after " + last);
                                }
                                last = p.step();
                            }
                            if (finalPass) break;
                            if (!writing) finalPass = true; // one more read after the writers flushed
                            else Thread.sleep(pollMillis);
                        }
                    } catch (Throwable t) {
                        errors.add(t);
                    }
                    latencies[me] = Arrays.copyOf(lat, n);
                    seenUpTo[me] = new long[]{followed, last};
                }));
            }
            for (Thread t : threads) t.join();
            double writeSeconds = (writersEnd.get() - start) / 1e9;
            double readSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(errors).as("errors in writers or readers").isEmpty();

            long totalWritten = 0;
            for (int w = 0; w < WRITERS; w++) {
                assertThat(lost[w]).as("points the writer of run %d lost", runs[w]).isZero();
                long stored = Backend.queryLongs(location, "SELECT COUNT(*) FROM metric_points WHERE run_id = " + runs[w]).getFirst();
                assertThat(stored).as("points of run %d", runs[w]).isEqualTo(written[w]);
                for (MetricSummary s : server.metrics().summaries(runs[w])) {
                    assertThat(s.count()).as("summary count of %s", s.key()).isEqualTo(written[w] / KEYS.length);
                }
                totalWritten += written[w];
            }
            for (int r = 0; r < READERS; r++) {
                long followed = seenUpTo[r][0];
                int w = (int) Arrays.stream(runs).boxed().toList().indexOf(followed);
                assertThat(seenUpTo[r][1] + 1).as("steps reader %d saw of run %d", r, followed)
                        .isEqualTo(written[w] / KEYS.length);
            }

            long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
            String figures = String.format(Locale.ROOT, "PostgreSQL load (%d s of training, %d writers, %d live readers "
                            + "polling every %d ms): %,.0f points/s written (%,d points committed in %.1f s), %,.0f reads/s "
                            + "(%,d live polls), poll latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms",
                    seconds, WRITERS, READERS, pollMillis, totalWritten / writeSeconds, totalWritten, writeSeconds,
                    reads.get() / readSeconds, reads.get(), pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), all[all.length - 1] / 1e6);
            System.out.println(figures);
            Path report = Path.of("target", "pg-load.txt");
            if (Files.isDirectory(report.getParent())) Files.writeString(report, figures + "\n");
        }
    }

    private static double pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }
}
