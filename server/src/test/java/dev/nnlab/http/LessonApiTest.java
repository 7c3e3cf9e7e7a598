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
import java.util.ArrayList;
import java.util.List;

import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A batch launched over the API with a lesson: refused at its path when a check cannot exist, judged when its last run ends. */
class LessonApiTest {
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

    private static String spec(String name, String check) {
        return """
                {"name":"%s","family":"mlp","dataset":"spirals","epochs":1,"params":{"logEvery":5,"hidden":[8]},
                 "grid":{"optimizer":["sgd","momentum"]},
                 "lesson":{"claim":"Both train.","source":"test","checks":[%s]}}""".formatted(name, check);
    }

    @Test
    void the_queue_judges_the_lesson_when_the_batch_ends_and_the_route_returns_the_verdict() throws Exception {
        HttpResponse<String> r = t.post("/api/runs", spec("judged", """
                {"statistic":"status","group":{},"compare":"==","value":"FINISHED"},
                {"statistic":"train_loss","at":{"epoch":1},"group":{"optimizer":"sgd"},"compare":"<","value":1000}"""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        long experiment = json(r).get("experiment").get("id").asLong();
        List<Long> ids = new ArrayList<>();
        json(r).get("runIds").forEach(n -> ids.add(n.asLong()));

        JsonNode verdicts = json(t.get("/api/experiments/" + experiment + "/verdicts"));
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (verdicts.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            verdicts = json(t.get("/api/experiments/" + experiment + "/verdicts"));
        }
        assertThat(verdicts).hasSize(1);
        JsonNode v = verdicts.get(0);
        assertThat(v.get("verdict").asText()).as(v.toString()).isEqualTo("HELD");
        List<Long> judged = new ArrayList<>();
        v.get("runIds").forEach(n -> judged.add(n.asLong()));
        assertThat(judged).isEqualTo(ids);
        assertThat(v.get("lesson").get("claim").asText()).isEqualTo("Both train.");
        assertThat(v.get("checks").get(0).get("group").get("runs")).hasSize(2);
        for (long id : ids) assertThat(json(t.get("/api/runs/" + id)).get("status").asText()).isEqualTo("FINISHED");
    }

    @Test
    void a_check_whose_group_no_trial_has_is_a_400_at_its_path_and_stores_nothing() {
        int experiments = json(t.get("/api/experiments")).size();
        HttpResponse<String> r = t.post("/api/runs", spec("refused", """
                {"statistic":"train_loss","group":{"optimizer":"adam"},"compare":"<","value":1}"""));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode field = json(r).get("fields").get(0);
        assertThat(field.get("path").asText()).isEqualTo("$.lesson.checks[0].group");
        assertThat(field.get("message").asText()).contains("optimizer=adam").contains("[sgd, momentum]");
        assertThat(json(t.get("/api/experiments")).size()).isEqualTo(experiments);
    }
}
