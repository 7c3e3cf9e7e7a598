package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Launching a model too large for the server's heap is a 400 with the estimate and the limit; nothing is recorded. */
class LaunchMemoryTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() {
        t = TestServer.start(dir, PluginJars.builtInPlugins(), TestServer.fastOptions().withConcurrency(1));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void an_mlp_too_large_for_the_heap_is_a_400_and_stores_nothing_while_a_normal_one_is_accepted() {
        HttpResponse<String> r = t.post("/api/runs", """
                {"name":"huge","family":"mlp","dataset":"mnist-10k","epochs":1,"params":{"hidden":[65536,65536]}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = json(r);
        assertThat(e.get("error").asText()).isEqualTo("bad_request");
        assertThat(e.get("fields").get(0).get("path").asText()).isEqualTo("$.params");
        assertThat(e.get("fields").get(0).get("message").asText()).contains("needs an estimated").contains("parameters 16.2 GiB")
                .contains("more than the limit of");
        assertThat(json(t.get("/api/runs")).get("total").asLong()).isZero();
        assertThat(json(t.get("/api/experiments")).size()).isZero();

        HttpResponse<String> ok = t.post("/api/runs", """
                {"name":"small","family":"mlp","dataset":"mnist-10k","epochs":1,"params":{"hidden":[32],"valFraction":0.5}}""");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(202);
        assertThat(json(t.get("/api/runs")).get("total").asLong()).isEqualTo(1);
    }
}
