package dev.nnlab.bench;

import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The UI's two heaviest reads, through a real server over HTTP on a store the size of a busy
 * installation (2,000 runs x 5 metrics x 5,000 points = 50 M points, written through the
 * store's batched {@link MetricWriter} in one go):
 * <ul>
 *   <li>{@code runs_list}: the first page of the run list sorted by a metric (target 200 ms);</li>
 *   <li>{@code compare_20_runs}: the metrics calls of a 20-run comparison, every curve bucketed to
 *       1,000 points (target 500 ms), issued one after another as the slowest case, and 6 at a
 *       time as a browser issues them.</li>
 * </ul>
 * Each is the median of several repetitions after a warm-up. The store lives in a temporary
 * directory (about 4 GB) that is deleted afterwards.
 */
final class UiApiBench implements Benchmark {
    static final int RUNS = 2_000;
    static final int POINTS = 5_000;
    static final List<String> KEYS = List.of("train_loss", "val_loss", "train_acc", "val_acc", "lr");
    static final int COMPARED = 20;
    static final int MAX_POINTS = 1_000;
    static final int BROWSER_CONNECTIONS = 6;

    @Override public String name() { return "ui-api"; }

    @Override public String description() {
        return "UI reads over HTTP on 2,000 runs x 5 metrics x 5,000 points: run list sorted by a metric, a 20-run comparison";
    }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("nnlab-bench-ui-api");
        try {
            Path db = dir.resolve("bench.db");
            fill(db, log);
            try (Workbench wb = Workbench.open(db, dir.resolve("no-plugins"), ctx.dataDir(), "bench", null);
                 ApiServer server = ApiServer.start(wb, ApiServer.Options.defaults().withPort(0))) {
                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + server.port();
                String list = base + "/api/runs?limit=50&sort=" + URLEncoder.encode("metrics.val_acc.max desc", StandardCharsets.UTF_8);
                String firstPage = get(http, list);
                List<Long> ids = ids(firstPage).subList(0, COMPARED);
                log.printf(Locale.ROOT, "first page: %d bytes; comparing runs %s%n", firstPage.length(), ids);
                double listMs = median(3, 15, () -> get(http, list));
                out.printf(Locale.ROOT, "{\"bench\":\"ui-api\",\"case\":\"runs_list\",\"runs\":%d,\"ms\":%.1f,\"target_ms\":200}%n",
                        RUNS, listMs);
                long[] bytes = new long[1];
                double compareMs = median(2, 7, () -> {
                    bytes[0] = 0;
                    for (long id : ids) bytes[0] += get(http, base + "/api/runs/" + id + "/metrics?maxPoints=" + MAX_POINTS).length();
                    return "";
                });
                out.printf(Locale.ROOT, "{\"bench\":\"ui-api\",\"case\":\"compare_20_runs\",\"series\":%d,\"points_per_series\":%d,"
                        + "\"max_points\":%d,\"response_kib\":%d,\"ms\":%.1f,\"target_ms\":500}%n",
                        COMPARED * KEYS.size(), POINTS, MAX_POINTS, bytes[0] / 1024, compareMs);
                // As a browser fetches them: up to 6 requests in flight on one origin, gzip accepted.
                double parallelMs;
                try (ExecutorService pool = Executors.newFixedThreadPool(BROWSER_CONNECTIONS)) {
                    parallelMs = median(2, 7, () -> {
                        List<Future<Integer>> calls = new ArrayList<>();
                        for (long id : ids) calls.add(pool.submit(() -> getGzipped(http, base + "/api/runs/" + id + "/metrics?maxPoints=" + MAX_POINTS)));
                        for (Future<Integer> f : calls) f.get();
                        return "";
                    });
                }
                out.printf(Locale.ROOT, "{\"bench\":\"ui-api\",\"case\":\"compare_20_runs_6_parallel_gzip\",\"ms\":%.1f,\"target_ms\":500}%n",
                        parallelMs);
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** 2,000 finished runs with a few parameters, then every point through one batched writer. */
    private static void fill(Path db, PrintStream log) {
        long t0 = System.nanoTime();
        try (Store store = Store.open(db); MetricWriter w = store.newMetricWriter(50_000, Duration.ofMillis(200))) {
            long exp = store.experiments().getOrCreate("bench", null).id();
            SplittableRandom rnd = new SplittableRandom(1);
            long[] ids = new long[RUNS];
            for (int r = 0; r < RUNS; r++) {
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("lr", Math.pow(10, -4 + 3 * rnd.nextDouble()));
                params.put("batchSize", 16 << rnd.nextInt(4));
                params.put("hidden", List.of(64 << rnd.nextInt(3)));
                params.put("optimizer", rnd.nextBoolean() ? "adam" : "sgd");
                ids[r] = store.runs().create(new NewRun(exp, "run " + r, "mlp", null, null, params)).id();
                store.runs().markRunning(ids[r]);
            }
            log.printf(Locale.ROOT, "created %d runs in %.1f s; writing %,d points...%n", RUNS,
                    (System.nanoTime() - t0) / 1e9, (long) RUNS * KEYS.size() * POINTS);
            for (int r = 0; r < RUNS; r++) {
                double rate = 2e-4 + 1e-3 * rnd.nextDouble(), ceiling = 0.8 + 0.19 * rnd.nextDouble();
                for (int s = 0; s < POINTS; s++) {
                    double epoch = s / 500.0, decay = Math.exp(-rate * s), noise = 0.02 * (rnd.nextDouble() - 0.5);
                    w.metric(ids[r], "train_loss", s, epoch, 2.3 * decay + noise);
                    w.metric(ids[r], "val_loss", s, epoch, 2.3 * decay + 0.1 + noise);
                    w.metric(ids[r], "train_acc", s, epoch, ceiling * (1 - decay) + noise);
                    w.metric(ids[r], "val_acc", s, epoch, ceiling * (1 - decay) - 0.02 + noise);
                    w.metric(ids[r], "lr", s, epoch, 0.1);
                }
                if ((r + 1) % 200 == 0) {
                    log.printf(Locale.ROOT, "  %d/%d runs queued, %.0f s%n", r + 1, RUNS, (System.nanoTime() - t0) / 1e9);
                }
            }
            w.flush();
            for (long id : ids) store.runs().finish(id, RunStatus.FINISHED, null);
            if (w.failedItems() > 0) throw new IllegalStateException(w.failedItems() + " points were not written: " + w.lastFailure());
        }
        log.printf(Locale.ROOT, "store filled in %.0f s (%,d MiB)%n", (System.nanoTime() - t0) / 1e9, size(db) >> 20);
    }

    @FunctionalInterface
    interface Call {
        String run() throws Exception;
    }

    private static double median(int warmup, int reps, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) call.run();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t = System.nanoTime();
            call.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        return reps % 2 == 1 ? ms[reps / 2] : (ms[reps / 2 - 1] + ms[reps / 2]) / 2;
    }

    private static String get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** The compressed size; the browser would inflate it, which costs a fraction of compressing it. */
    private static int getGzipped(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept-Encoding", "gzip").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) throw new IllegalStateException(url + " answered " + r.statusCode());
        return r.body().length;
    }

    private static final Pattern RUN_ID = Pattern.compile("\\{\"id\":(\\d+),\"name\"");

    private static List<Long> ids(String page) {
        List<Long> out = new ArrayList<>();
        Matcher m = RUN_ID.matcher(page);
        while (m.find()) out.add(Long.parseLong(m.group(1)));
        return out;
    }

    private static long size(Path db) {
        long n = 0;
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                n += Files.size(Path.of(db + suffix));
            } catch (IOException ignored) {
                // That file does not exist.
            }
        }
        return n;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
