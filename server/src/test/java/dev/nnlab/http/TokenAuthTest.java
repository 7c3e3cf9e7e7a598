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
    void calls_with_the_token_in_the_header_or_the_query_are_answered() {
        assertThat(raw("/api/runs", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
        assertThat(raw("/api/runs?token=" + TOKEN, null).statusCode()).isEqualTo(200);
        assertThat(raw("/", null).statusCode()).as("the UI's files need no token").isEqualTo(200);
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
