package dev.nnlab.http;

import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.Workbench;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server with a token answers /api only to callers that present it. */
class TokenAuthTest {
    static final String TOKEN = "s3cret-token";

    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions().withToken(TOKEN));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    HttpResponse<String> raw(String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(path)).GET();
        if (authorization != null) b.header("Authorization", authorization);
        return t.send(b.build());
    }

    @Test
    void calls_without_the_token_or_with_a_wrong_one_are_401_json() {
        HttpResponse<String> none = raw("/api/runs", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(TestServer.json(none).get("error").asText()).isEqualTo("unauthorized");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(raw("/api/runs", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(raw("/api/runs?token=wrong", null).statusCode()).isEqualTo(401);
        assertThat(raw("/api/no/such/path", null).statusCode()).isEqualTo(401);
    }

    @Test
    void calls_with_the_token_in_the_header_are_answered_and_the_query_token_only_on_the_live_stream() {
        assertThat(raw("/api/runs", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> inQuery = raw("/api/runs?token=" + TOKEN, null);
        assertThat(inQuery.statusCode()).as("a token in the address would leak into history and logs").isEqualTo(401);
        assertThat(TestServer.json(inQuery).get("message").asText()).contains("Authorization: Bearer");
        assertThat(raw("/", null).statusCode()).as("the UI's files need no token").isEqualTo(200);
    }

    HttpResponse<String> send(String method, String path, String authorization, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) b.header("Authorization", authorization);
        return t.send(b.build());
    }

    @Test
    void launching_stopping_tagging_and_deleting_need_the_token_too() throws Exception {
        String spec = """
                {"name":"guarded","family":"mlp","dataset":"spirals","epochs":1,"params":{"logEvery":5}}""";
        long runsBefore = SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
        assertThat(send("POST", "/api/runs", null, spec).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/runs?token=" + TOKEN, null, spec).statusCode()).isEqualTo(401);
        assertThat(SchemaQueries.count(dir.resolve("nnlab.db"), "runs")).isEqualTo(runsBefore);

        HttpResponse<String> launched = send("POST", "/api/runs", "Bearer " + TOKEN, spec);
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        long id = TestServer.json(launched).get("runIds").get(0).asLong();
        t.awaitRun(id, s -> !s.equals("QUEUED") && !s.equals("RUNNING"), 30);

        assertThat(send("POST", "/api/runs/" + id + "/stop", "Bearer wrong", "").statusCode()).isEqualTo(401);
        assertThat(send("POST", "/api/runs/" + id + "/tags", null, "{\"key\":\"k\",\"value\":\"v\"}").statusCode()).isEqualTo(401);
        assertThat(t.wb.store().annotations().tags(id)).isEmpty();
        assertThat(send("DELETE", "/api/runs/" + id, null, null).statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "/api/runs/" + id + "?token=" + TOKEN, null, null).statusCode()).isEqualTo(401);
        assertThat(t.wb.store().runs().get(id)).isPresent();
        assertThat(send("DELETE", "/api/runs/" + id, "Bearer " + TOKEN, null).statusCode()).isEqualTo(204);
        assertThat(t.wb.store().runs().get(id)).isEmpty();
    }

    @Test
    void the_live_stream_takes_the_token_in_its_query_and_refuses_a_missing_or_wrong_one() throws Exception {
        HttpRequest.Builder live = HttpRequest.newBuilder(t.uri("/api/live")).header("Accept", "text/event-stream");
        assertThat(t.send(live.copy().build()).statusCode()).isEqualTo(401);
        assertThat(t.send(HttpRequest.newBuilder(t.uri("/api/live?token=wrong")).header("Accept", "text/event-stream").build())
                .statusCode()).isEqualTo(401);
        HttpResponse<java.io.InputStream> open = t.http.send(HttpRequest.newBuilder(t.uri("/api/live?token=" + TOKEN))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = open.body()) {
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            byte[] first = new byte[12];
            assertThat(in.readNBytes(first, 0, first.length)).isEqualTo(first.length);
            assertThat(new String(first, java.nio.charset.StandardCharsets.UTF_8)).startsWith(": connected");
        }
    }

    @Test
    void the_csv_download_works_with_the_token_in_its_header() throws Exception {
        var store = t.wb.store();
        long e = store.experiments().getOrCreate("csv", null).id();
        long id = store.runs().create(new dev.nnlab.store.NewRun(e, "csv run", "mlp", null, null, java.util.Map.of())).id();
        try (var w = store.newMetricWriter()) {
            w.metric(id, "train_loss", 1, 0.5, 0.25);
        }
        assertThat(raw("/api/runs/" + id + "/metrics.csv", null).statusCode()).isEqualTo(401);
        HttpResponse<String> csv = raw("/api/runs/" + id + "/metrics.csv", "Bearer " + TOKEN);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.body()).startsWith("run_id,key,step,epoch,wall_time,value").contains(id + ",train_loss,1,0.5,");
    }

    @Test
    void binding_beyond_loopback_without_a_token_is_refused(@TempDir Path other) {
        try (Workbench wb = Workbench.open(other.resolve("n.db"), PluginJars.builtInPlugins(), other, "test", null)) {
            assertThatThrownBy(() -> ApiServer.start(wb, ApiServer.Options.defaults().withHost("0.0.0.0").withPort(0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
        }
        assertThat(ApiServer.isLoopbackAddress("127.0.0.1")).isTrue();
        assertThat(ApiServer.isLoopbackAddress("::1")).isTrue();
        assertThat(ApiServer.isLoopbackAddress("0.0.0.0")).isFalse();
    }
}
