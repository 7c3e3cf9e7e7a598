package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static dev.nnlab.http.TestServer.is;
import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plugin author's day against a running server: a JAR built at test time is dropped into the
 * plugins folder and listed without a restart, trains through the API, is replaced by a new
 * version while a run of the old one goes on (which finishes on the old build), and is removed.
 */
class PluginDropInApiTest {
    @TempDir
    static Path dir;
    static Path plugins;
    static TestServer t;

    /** v1 trains until the test releases it, then records what its lazily loaded Helper class says (1.0). */
    static final String V1_TRAIN = """
            sink.metric("train_loss", 0, 0, 0.5);
            long end = System.nanoTime() + 60_000_000_000L;
            while (System.getProperty("dropin.release") == null && !sink.stopRequested() && System.nanoTime() < end) Thread.sleep(5);
            sink.metric("train_loss", 1, 1, new Helper().value());
            return TrainResult.finished();""";
    static final String V2_TRAIN = """
            sink.metric("train_loss", 0, 0, new Helper().value());
            return TrainResult.finished();""";

    @BeforeAll
    static void start() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.copyBuiltIns(plugins);
        t = TestServer.start(dir, plugins, TestServer.fastOptions().withConcurrency(2));
    }

    @AfterAll
    static void stop() {
        System.clearProperty("dropin.release");
        t.close();
    }

    static byte[] dropin(String version, String train) throws Exception {
        return PluginJars.bytes("org.example", "Dropin",
                PluginJars.family("org.example", "Dropin", "dropin", version, "CommonParams.SCHEMA", "", train));
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    JsonNode awaitPlugins(Predicate<JsonNode> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode p;
        do {
            p = json(t.get("/api/plugins"));
            if (done.test(p)) return p;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("plugins stayed " + p);
    }

    static JsonNode family(JsonNode plugins, String id) {
        for (JsonNode f : plugins.get("families")) if (f.get("id").asText().equals(id)) return f;
        return null;
    }

    long launch(String family) {
        HttpResponse<String> r = t.post("/api/runs", """
                {"name":"drop-%s","family":"%s","dataset":"spirals","epochs":1}""".formatted(family, family));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("runIds").get(0).asLong();
    }

    double lastLoss(long run) {
        JsonNode points = json(t.get("/api/runs/" + run + "/metrics?keys=train_loss&raw=true")).get("series").get("train_loss").get("points");
        return points.get(points.size() - 1).get("value").asDouble();
    }

    /** The live stream's event names, as they arrive. */
    BlockingQueue<String> liveEventNames(Stream<String>[] holder) throws Exception {
        BlockingQueue<String> names = new LinkedBlockingQueue<>();
        HttpRequest req = t.request("/api/live").header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> r = t.http.send(req, HttpResponse.BodyHandlers.ofLines());
        holder[0] = r.body();
        Thread.ofVirtual().start(() -> {
            try {
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.startsWith("event:")) names.add(line.substring(6).strip());
                    if (line.startsWith(":")) names.add(":");
                }
            } catch (Exception ignored) {
                // Closed by the test.
            }
        });
        assertThat(names.poll(10, TimeUnit.SECONDS)).as("the opening comment").isEqualTo(":");
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void a_dropped_jar_is_listed_trains_is_replaced_under_a_running_run_and_removed_without_a_restart() throws Exception {
        Stream<String>[] stream = new Stream[1];
        BlockingQueue<String> events = liveEventNames(stream);
        try {
            byte[] v1 = dropin("1.0", V1_TRAIN);
            Files.write(plugins.resolve("dropin.jar"), v1);

            JsonNode listed = family(awaitPlugins(p -> family(p, "dropin") != null), "dropin");
            assertThat(listed.get("version").asText()).isEqualTo("1.0");
            assertThat(listed.get("sha256").asText()).isEqualTo(sha256(v1));
            assertThat(listed.get("jar").asText()).isEqualTo("dropin.jar");
            String name;
            do name = events.poll(10, TimeUnit.SECONDS); while (name != null && !name.equals("plugins"));
            assertThat(name).as("open pages are told the families changed").isEqualTo("plugins");

            long old = launch("dropin");
            t.awaitRun(old, is(RunStatus.RUNNING), 20);

            byte[] v2 = dropin("2.0", V2_TRAIN);
            Files.write(plugins.resolve("dropin.jar"), v2); // in place, over the JAR the running run came from
            HttpResponse<String> reload = t.post("/api/plugins/reload", "");
            assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
            JsonNode now = family(json(reload), "dropin");
            assertThat(now.get("version").asText()).isEqualTo("2.0");
            assertThat(now.get("sha256").asText()).isEqualTo(sha256(v2));

            long fresh = launch("dropin");
            JsonNode freshRun = t.awaitRun(fresh, is(RunStatus.FINISHED), 30);
            assertThat(lastLoss(fresh)).as("trained by v2's code").isEqualTo(2.0);
            assertThat(freshRun.get("config").get("plugin").get("version").asText()).isEqualTo("2.0");
            assertThat(freshRun.get("config").get("plugin").get("sha256").asText()).isEqualTo(sha256(v2));
            assertThat(freshRun.get("provenance").get("pluginVersion").asText()).isEqualTo("2.0");
            assertThat(t.get("/api/runs/" + old).body()).contains("RUNNING");

            System.setProperty("dropin.release", "yes");
            JsonNode oldRun = t.awaitRun(old, is(RunStatus.FINISHED), 30);
            assertThat(lastLoss(old)).as("the old run finished on v1's code, loaded after the JAR was replaced").isEqualTo(1.0);
            assertThat(oldRun.get("config").get("plugin").get("version").asText()).isEqualTo("1.0");
            assertThat(oldRun.get("config").get("plugin").get("sha256").asText()).isEqualTo(sha256(v1));

            Files.delete(plugins.resolve("dropin.jar"));
            awaitPlugins(p -> family(p, "dropin") == null);
            HttpResponse<String> gone = t.post("/api/runs", """
                    {"name":"drop-gone","family":"dropin","dataset":"spirals","epochs":1}""");
            assertThat(gone.statusCode()).isEqualTo(400);
            assertThat(gone.body()).contains("unknown model family").contains("dropin");
        } finally {
            System.clearProperty("dropin.release");
            if (stream[0] != null) stream[0].close();
        }
    }

    @Test
    void broken_jars_are_listed_with_their_reasons_and_a_half_copied_one_loads_once_complete() throws Exception {
        Files.writeString(plugins.resolve("not-a-zip.jar"), "plain text");
        Files.setLastModifiedTime(plugins.resolve("not-a-zip.jar"), java.nio.file.attribute.FileTime.fromMillis(0));
        byte[] whole = PluginJars.bytes("org.example", "Halfway",
                PluginJars.family("org.example", "Halfway", "halfway", "1.0", "CommonParams.SCHEMA", "", V2_TRAIN));
        Path half = plugins.resolve("halfway.jar");
        Files.write(half, java.util.Arrays.copyOf(whole, whole.length / 3));

        JsonNode p = awaitPlugins(x -> x.get("failures").toString().contains("not-a-zip.jar")
                && x.get("pending").toString().contains("halfway.jar"));
        assertThat(p.get("failures").toString()).contains("corrupt JAR: not a readable zip file");
        assertThat(p.get("failures").toString()).doesNotContain("halfway.jar");
        assertThat(p.get("pending").toString()).contains("halfway.jar").contains("copy in progress");

        Files.write(half, whole);
        JsonNode loaded = awaitPlugins(x -> family(x, "halfway") != null);
        assertThat(loaded.get("pending")).isEmpty();
        long run = launch("halfway");
        t.awaitRun(run, is(RunStatus.FINISHED), 30);

        Files.delete(plugins.resolve("not-a-zip.jar"));
        Files.delete(half);
        awaitPlugins(x -> x.get("failures").isEmpty() && family(x, "halfway") == null);
    }

    @Test
    void a_plugin_that_ignores_the_stop_request_is_interrupted_after_the_grace_period_and_ends_stopped() throws Exception {
        byte[] hang = PluginJars.bytes("org.example", "Hang", PluginJars.family("org.example", "Hang", "hang", "1.0",
                "CommonParams.SCHEMA", "", "sink.metric(\"train_loss\", 0, 0, 1.0); Thread.sleep(600_000); return TrainResult.finished();"));
        Files.write(plugins.resolve("hang.jar"), hang);
        t.post("/api/plugins/reload", "");
        long run = launch("hang");
        t.awaitRun(run, is(RunStatus.RUNNING), 20);
        assertThat(t.post("/api/runs/" + run + "/stop", "").statusCode()).isEqualTo(202);
        JsonNode stopped = t.awaitRun(run, is(RunStatus.STOPPED), 20);
        assertThat(stopped.get("error").asText()).contains("interrupted").contains("org.example.Hang.train");
        Files.delete(plugins.resolve("hang.jar"));
    }
}
