package dev.nnlab.http;

import dev.nnlab.host.HostInventory;
import dev.nnlab.host.PluginWatcher;
import dev.nnlab.live.LiveEvent;
import dev.nnlab.live.LiveWatcher;
import dev.nnlab.runs.InterruptedRunWatch;
import dev.nnlab.runs.RunAnnotations;
import dev.nnlab.runs.RunArtifacts;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.runs.RunCurves;
import dev.nnlab.runs.RunJson;
import dev.nnlab.runs.RunQueue;
import dev.nnlab.runs.Workbench;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * {@code ./nnlab serve}: the HTTP API of {@code server/API.md} under {@code /api}, the web UI's
 * static files (classpath folder {@code nnlab-web/}) at {@code /}, and Chart.js from its WebJar at
 * {@code /webjars/...}, on Javalin (Jetty 12). Owns the run queue and the live watcher it starts;
 * the {@link Workbench} (store, plugins, data) stays the caller's.
 *
 * <p>Binds loopback by default. Any other address requires a token, which every {@code /api} call
 * must then carry. Request bodies are limited to {@link #MAX_BODY_BYTES}; every error is JSON.
 */
public final class ApiServer implements AutoCloseable {
    /** An experiment spec is a few KiB; a MiB leaves room and bounds what one request can make the server hold. */
    public static final long MAX_BODY_BYTES = 1 << 20;
    /** The classpath folder of the web module's static files. */
    static final String WEB_FOLDER = "nnlab-web";

    /**
     * @param host          the address to bind; not loopback requires {@code token}
     * @param port          0 for a free port
     * @param token         the bearer token every /api call needs, or null for none (loopback only)
     * @param concurrency   runs the queue trains at once
     * @param queueCapacity runs that may wait in the queue
     * @param livePoll      how often the live watcher reads the database
     * @param recoveryEvery how often runs of dead processes are looked for and marked INTERRUPTED
     */
    public record Options(String host, int port, String token, int concurrency, int queueCapacity, Duration livePoll,
                          Duration recoveryEvery) {
        public static Options defaults() {
            return new Options("127.0.0.1", 7070, null, 1, RunQueue.DEFAULT_CAPACITY, Duration.ofMillis(500),
                    InterruptedRunWatch.DEFAULT_INTERVAL);
        }

        public Options withHost(String h) { return new Options(h, port, token, concurrency, queueCapacity, livePoll, recoveryEvery); }
        public Options withPort(int p) { return new Options(host, p, token, concurrency, queueCapacity, livePoll, recoveryEvery); }
        public Options withToken(String t) { return new Options(host, port, t, concurrency, queueCapacity, livePoll, recoveryEvery); }
        public Options withConcurrency(int c) { return new Options(host, port, token, c, queueCapacity, livePoll, recoveryEvery); }
        public Options withQueueCapacity(int c) { return new Options(host, port, token, concurrency, c, livePoll, recoveryEvery); }
        public Options withLivePoll(Duration d) { return new Options(host, port, token, concurrency, queueCapacity, d, recoveryEvery); }
        public Options withRecoveryEvery(Duration d) { return new Options(host, port, token, concurrency, queueCapacity, livePoll, d); }
    }

    private final Javalin app;
    private final RunQueue queue;
    private final LiveWatcher live;
    private final LiveStream stream;
    private final InterruptedRunWatch recovery;
    private final PluginWatcher pluginWatcher;
    private final AutoCloseable pluginEvents;
    private final String host;

    /** How often the plugins folders are rescanned when no file event came (the watcher's fallback). */
    static final Duration PLUGIN_RESCAN = Duration.ofSeconds(2);

    private ApiServer(Javalin app, RunQueue queue, LiveWatcher live, LiveStream stream, InterruptedRunWatch recovery,
                      PluginWatcher pluginWatcher, AutoCloseable pluginEvents, String host) {
        this.pluginWatcher = pluginWatcher;
        this.pluginEvents = pluginEvents;
        this.app = app;
        this.queue = queue;
        this.live = live;
        this.stream = stream;
        this.recovery = recovery;
        this.host = host;
    }

    /**
     * Starts serving.
     *
     * @throws IllegalArgumentException when a non-loopback address has no token, or a value is out of range
     */
    public static ApiServer start(Workbench wb, Options o) {
        return start(wb, o, null);
    }

    /** As {@link #start(Workbench, Options)}, with the queue's runs trained on {@code executor} (null: in this process). */
    public static ApiServer start(Workbench wb, Options o, dev.nnlab.runs.TrialExecutor executor) {
        if (o.token() == null && !isLoopbackAddress(o.host())) {
            throw new IllegalArgumentException("binding " + o.host() + " (not loopback) exposes the API to the network; "
                    + "it needs a token (--token T)");
        }
        if (o.token() != null && o.token().isBlank()) throw new IllegalArgumentException("the token must not be blank");
        if (o.port() < 0 || o.port() > 65535) throw new IllegalArgumentException("port " + o.port() + " is not 0 to 65535");
        if (o.concurrency() < 1 || o.concurrency() > 64) {
            throw new IllegalArgumentException("concurrency " + o.concurrency() + " is not allowed; expected 1 to 64");
        }
        // Off loopback, requests come from the network: a user's text file must be in the data directory.
        if (!isLoopbackAddress(o.host())) wb.data().catalog().restrictFilesToDataDir();
        RunQueue queue = executor == null ? new RunQueue(wb, o.concurrency(), o.queueCapacity())
                : new RunQueue(wb, o.concurrency(), o.queueCapacity(), executor);
        InterruptedRunWatch recovery = InterruptedRunWatch.start(wb.store(), o.recoveryEvery());
        LiveWatcher live = new LiveWatcher(wb.store(), o.livePoll()).start();
        LiveStream stream = new LiveStream(live);
        AutoCloseable pluginEvents = wb.plugins().onChange(r -> live.publish(
                new LiveEvent.PluginsChanged(r.families().size(), r.failures().size(), r.pending().size())));
        PluginWatcher pluginWatcher = PluginWatcher.start(wb.plugins(), PLUGIN_RESCAN);
        ApiRoutes.Services services = new ApiRoutes.Services(new RunCatalog(wb.store()), new RunCurves(wb.store()),
                new RunAnnotations(wb.store()), new RunArtifacts(wb.store()), queue, new HostInventory(wb.plugins(), wb.data().catalog()), stream,
                wb.lessons(), new dev.nnlab.runs.SweepInsights(wb.store(), wb.plugins()));
        try {
            Javalin app = Javalin.create(cfg -> configure(cfg, o, services)).start(o.host(), o.port());
            return new ApiServer(app, queue, live, stream, recovery, pluginWatcher, pluginEvents, o.host());
        } catch (RuntimeException e) {
            pluginWatcher.close();
            closeQuietly(pluginEvents);
            recovery.close();
            live.close();
            queue.close();
            throw e;
        }
    }

    private static void configure(JavalinConfig cfg, Options o, ApiRoutes.Services services) {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize = MAX_BODY_BYTES;
        // Browsers always ask for gzip. At Javalin's default level a 20-run comparison (12 MB of JSON)
        // spends about a second compressing; level 1 is several times faster and still shrinks JSON ~4x.
        cfg.http.compressionStrategy = new CompressionStrategy(null, new Gzip(1));
        cfg.jsonMapper(new JavalinJackson(RunJson.mapper(), false));
        if (Thread.currentThread().getContextClassLoader().getResource(WEB_FOLDER) != null
                || ApiServer.class.getClassLoader().getResource(WEB_FOLDER) != null) {
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/";
                sf.directory = WEB_FOLDER;
                sf.location = Location.CLASSPATH;
            });
        } else {
            cfg.routes.get("/", ctx -> ctx.html(PLACEHOLDER));
        }
        cfg.staticFiles.enableWebjars();
        cfg.http.prefer405over404 = true;
        cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
        cfg.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
        cfg.routes.before(new SameOriginGuard(o.host(), isLoopbackAddress(o.host())));
        if (o.token() != null) cfg.routes.before("/api/*", new TokenGuard(o.token()));
        cfg.routes.before("/api/*", Requests::checkQuery);
        ApiErrors.register(cfg);
        ApiRoutes.register(cfg.routes, services);
    }

    /** What {@code /} shows when the server was built without the web module's files. */
    private static final String PLACEHOLDER = """
            <!doctype html><meta charset="utf-8"><title>nnlab</title>
            <p>The nnlab API is running under <a href="/api/runs">/api</a>. This build holds no web UI files
            (classpath folder nnlab-web/ is empty); see server/API.md.""";

    /** Whether {@code host} names this machine only (127.0.0.1, ::1, localhost); an unknown name is not. */
    public static boolean isLoopbackAddress(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public int port() {
        return app.port();
    }

    /** The address to open in a browser. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port() + "/";
    }

    public RunQueue queue() {
        return queue;
    }

    /**
     * Ends the live streams while their responses still exist, stops accepting requests, then the
     * live watcher, then the queue (which stops its runs).
     */
    @Override
    public void close() {
        stream.close();
        app.stop();
        pluginWatcher.close();
        closeQuietly(pluginEvents);
        recovery.close();
        live.close();
        queue.close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Only removes a listener.
        }
    }
}
