package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Successive halving through the server's queue, and the rungs and importance routes of the sweep page. */
class SweepInsightsApiTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.copyBuiltIns(plugins);
        t = TestServer.start(dir, plugins, TestServer.fastOptions().withConcurrency(1));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    @Test
    void the_queue_promotes_the_best_half_into_the_next_rung_and_the_routes_explain_the_sweep() throws Exception {
        HttpResponse<String> r = t.post("/api/runs", """
                {"name":"halving-api","family":"softmax","dataset":"spirals","params":{"optimizer":"sgd","logEvery":5},
                 "random":{"trials":6,"seed":2,"params":{"lr":{"logUniform":[1e-4,1.0]},"momentum":{"uniform":[0.0,0.5]}}},
                 "halving":{"metric":"train_loss","keep":0.34,"epochs":[1,2]}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long experiment = json(r).get("experiment").get("id").asLong();
        assertThat(json(r).get("runIds")).hasSize(6);

        JsonNode rungs = json(t.get("/api/experiments/" + experiment + "/rungs"));
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (!(rungs.get("rungs").size() == 2 && finished(rungs.get("rungs").get(1))) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            rungs = json(t.get("/api/experiments/" + experiment + "/rungs"));
        }
        assertThat(rungs.get("halving").get("epochs").toString()).isEqualTo("[1,2]");
        JsonNode rung0 = rungs.get("rungs").get(0), rung1 = rungs.get("rungs").get(1);
        assertThat(rung0.get("runs")).hasSize(6);
        assertThat(rung1.get("runs")).as("floor(6 x 0.34) = 2 configurations go on").hasSize(2);
        assertThat(rung1.get("epochs").asInt()).isEqualTo(2);
        int promoted = 0;
        for (JsonNode run : rung0.get("runs")) if (run.get("promoted").asBoolean()) promoted++;
        assertThat(promoted).isEqualTo(2);
        // Rung 0 lists best first: the promoted runs head it.
        assertThat(rung0.get("runs").get(0).get("promoted").asBoolean()).isTrue();
        assertThat(rung0.get("runs").get(1).get("promoted").asBoolean()).isTrue();

        HttpResponse<String> imp = t.get("/api/experiments/" + experiment + "/importance?metric=train_loss&summary=last");
        assertThat(imp.statusCode()).as(imp.body()).isEqualTo(200);
        JsonNode body = json(imp);
        assertThat(body.get("runs").asInt()).isEqualTo(8);
        assertThat(body.get("params")).extracting(p -> p.get("name").asText()).contains("lr", "momentum", "epochs");
        JsonNode lr = null;
        for (JsonNode p : body.get("params")) if (p.get("name").asText().equals("lr")) lr = p;
        assertThat(lr.get("log").asBoolean()).as("lr lives on a log scale (schema)").isTrue();
        assertThat(lr.get("importance").isNumber()).isTrue();

        HttpResponse<String> unknown = t.get("/api/experiments/" + experiment + "/importance?metric=bogus");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(json(unknown).get("message").asText()).contains("metric: \"bogus\" is not recorded by any run of experiment halving-api");
        assertThat(t.get("/api/experiments/" + experiment + "/importance?metric=train_loss&summary=median").statusCode()).isEqualTo(400);
        assertThat(t.get("/api/experiments/" + experiment + "/importance").statusCode()).isEqualTo(400);
        assertThat(t.get("/api/experiments/999999/rungs").statusCode()).isEqualTo(404);
    }

    private static boolean finished(JsonNode rung) {
        for (JsonNode run : rung.get("runs")) if (!run.get("status").asText().equals("FINISHED")) return false;
        return true;
    }
}
