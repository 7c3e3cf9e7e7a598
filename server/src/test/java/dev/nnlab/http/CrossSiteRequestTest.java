package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests forged as a hostile web page would send them to a server on 127.0.0.1: an HTML form, a
 * {@code no-cors} fetch, a page under a rebound host name. Each is refused before anything is
 * recorded; the UI's own requests and non-browser clients still pass.
 */
class CrossSiteRequestTest {
    static final String SPEC = """
            {"name":"forged","family":"mlp","dataset":"spirals","epochs":1,"params":{"logEvery":5}}""";

    @TempDir
    static Path dir;
    static TestServer t;
    static long runId;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Experiment e = t.wb.store().experiments().getOrCreate("existing", null);
        runId = t.wb.store().runs().create(new NewRun(e.id(), "a finished run", "mlp", null, null, Map.of())).id();
        t.wb.store().runs().finish(runId, dev.nnlab.store.RunStatus.FINISHED, null);
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = t.request(path).POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return t.send(b.build());
    }

    String self() {
        return "http://127.0.0.1:" + t.server.port();
    }

    long runs() throws Exception {
        return SchemaQueries.count(dir.resolve("nnlab.db"), "runs");
    }

    static void assertRefused(HttpResponse<String> r, int status, String error) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = TestServer.json(r);
        assertThat(body.get("error").asText()).isEqualTo(error);
    }

    @Test
    void a_launch_from_a_page_of_another_origin_is_refused_and_records_nothing() throws Exception {
        long before = runs();
        assertRefused(post("/api/runs", "application/json", SPEC, "Origin", "http://evil.example"), 403, "forbidden");
        assertRefused(post("/api/runs", "application/json", SPEC, "Origin", "null"), 403, "forbidden");
        assertRefused(post("/api/runs", "application/json", SPEC, "Sec-Fetch-Site", "cross-site"), 403, "forbidden");
        assertThat(runs()).isEqualTo(before);
    }

    @Test
    void a_form_post_or_a_no_cors_fetch_cannot_send_json_and_is_refused() throws Exception {
        long before = runs();
        // What an HTML form and a no-cors fetch can send without a CORS preflight.
        assertRefused(post("/api/runs", "text/plain;charset=UTF-8", SPEC), 415, "unsupported_media_type");
        assertRefused(post("/api/runs", "application/x-www-form-urlencoded", "a=" + SPEC), 415, "unsupported_media_type");
        assertRefused(post("/api/runs", "multipart/form-data; boundary=x", SPEC), 415, "unsupported_media_type");
        assertRefused(post("/api/runs", null, SPEC), 415, "unsupported_media_type");
        assertRefused(post("/api/runs/" + runId + "/tags", "text/plain", "{\"key\":\"k\",\"value\":\"v\"}"), 415, "unsupported_media_type");
        assertRefused(post("/api/runs/" + runId + "/stop", "text/plain", ""), 415, "unsupported_media_type");
        assertThat(runs()).isEqualTo(before);
        assertThat(t.wb.store().annotations().tags(runId)).isEmpty();
    }

    @Test
    void stopping_tagging_and_deleting_from_another_origin_are_refused() {
        assertRefused(post("/api/runs/" + runId + "/stop", "application/json", "", "Origin", "http://evil.example"), 403, "forbidden");
        assertRefused(post("/api/runs/" + runId + "/tags", "application/json", "{\"key\":\"k\",\"value\":\"v\"}",
                "Origin", "http://evil.example"), 403, "forbidden");
        assertRefused(t.send(t.request("/api/runs/" + runId + "/tags/k").header("Origin", "https://evil.example").DELETE().build()),
                403, "forbidden");
        assertRefused(t.send(t.request("/api/runs/" + runId).header("Sec-Fetch-Site", "same-site").DELETE().build()),
                403, "forbidden");
        assertThat(t.wb.store().runs().get(runId)).isPresent();
        assertThat(t.wb.store().annotations().tags(runId)).isEmpty();
    }

    @Test
    void a_page_under_a_rebound_host_name_can_neither_read_nor_act() throws Exception {
        int port = t.server.port();
        long before = runs();
        RawHttp.Answer read = RawHttp.send(port, "GET /api/runs HTTP/1.1\r\nHost: evil.example:" + port + "\r\n");
        assertThat(read.status()).isEqualTo(403);
        assertThat(read.body()).contains("\"error\":\"forbidden\"").doesNotContain("a finished run");
        // Same-origin to the browser (the page's own name), so Origin matches Host; the name does not.
        RawHttp.Answer launch = RawHttp.send(port, "POST /api/runs HTTP/1.1\r\nHost: evil.example:" + port
                + "\r\nOrigin: http://evil.example:" + port + "\r\nContent-Type: application/json\r\n", SPEC.getBytes(StandardCharsets.UTF_8));
        assertThat(launch.status()).isEqualTo(403);
        assertThat(RawHttp.send(port, "GET /api/live HTTP/1.1\r\nHost: rebind.127.0.0.1.nip.io:" + port
                + "\r\nAccept: text/event-stream\r\n").status()).isEqualTo(403);
        assertThat(runs()).isEqualTo(before);
    }

    @Test
    void the_ui_itself_and_clients_that_are_not_browsers_still_pass() {
        int port = t.server.port();
        for (String host : new String[]{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "LOCALHOST"}) {
            assertThat(RawHttp.send(port, "GET /api/runs HTTP/1.1\r\nHost: " + host + "\r\n").status()).as(host).isEqualTo(200);
        }
        HttpResponse<String> fromUi = post("/api/runs/" + runId + "/tags", "application/json; charset=utf-8",
                "{\"key\":\"from\",\"value\":\"ui\"}", "Origin", self(), "Sec-Fetch-Site", "same-origin");
        assertThat(fromUi.statusCode()).as(fromUi.body()).isEqualTo(200);
        HttpResponse<String> fromCurl = post("/api/runs/" + runId + "/tags", "application/json", "{\"key\":\"from\",\"value\":\"curl\"}");
        assertThat(fromCurl.statusCode()).as(fromCurl.body()).isEqualTo(200);
        assertThat(t.send(t.request("/api/runs/" + runId + "/tags/from").header("Origin", self()).DELETE().build()).statusCode())
                .isEqualTo(204);
    }

    @Test
    void host_names_are_judged_by_their_text_and_never_resolved() {
        assertThat(SameOriginGuard.isLoopbackLiteral("127.0.0.1")).isTrue();
        assertThat(SameOriginGuard.isLoopbackLiteral("127.9.9.9")).isTrue();
        assertThat(SameOriginGuard.isLoopbackLiteral("::1")).isTrue();
        assertThat(SameOriginGuard.isLoopbackLiteral("10.0.0.1")).isFalse();
        assertThat(SameOriginGuard.isLoopbackLiteral("localtest.me")).as("a name that resolves to 127.0.0.1").isFalse();
        assertThat(SameOriginGuard.hostName("[::1]:7070")).isEqualTo("::1");
        assertThat(SameOriginGuard.hostName("Example.COM:80")).isEqualTo("example.com");
    }
}
