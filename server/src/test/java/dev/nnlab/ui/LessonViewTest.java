package dev.nnlab.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nnlab.lessons.Lesson;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An experiment's lesson on its sweep page: the claim, the verdict, the numbers and a chart of the
 * compared statistic; a lesson that did not hold says so. The verdicts come from hand-built runs
 * judged by the real evaluator.
 */
class LessonViewTest extends BrowserPageTest {
    @TempDir
    static Path dir;
    private static long held, notHeld;


    private static final String SPEC = """
            {"name":"NAME","family":"softmax","dataset":"mnist-10k","grid":{"optimizer":["sgd","momentum"]},
             "lesson":{"claim":"Momentum <b>speeds</b> up SGD.","source":"CS231n, parameter updates",
                       "checks":[{"statistic":"train_loss","at":{"epoch":1},"group":{"optimizer":"GROUP"},"compare":"<",
                                  "other":{"optimizer":"OTHER"}}]}}""";

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        server = UiServer.start(dir);
        held = experiment(server.store(), "lesson-held", "momentum", "sgd");
        notHeld = experiment(server.store(), "lesson-swapped", "sgd", "momentum");
        chromium = new Chromium.Session();
    }

    /** Two runs per optimizer; momentum's train loss at epoch 1 is lower. Returns the experiment id. */
    private static long experiment(Store store, String name, String group, String other) throws Exception {
        JsonNode spec = new ObjectMapper().readTree(SPEC.replace("NAME", name).replace("GROUP", group).replace("OTHER", other));
        Experiment e = store.experiments().getOrCreate(name, spec);
        List<Long> ids = new ArrayList<>();
        double[][] losses = {{0.50, 0.52}, {0.90, 0.94}};
        String[] optimizers = {"momentum", "sgd"};
        for (int o = 0; o < 2; o++) {
            for (int seed = 1; seed <= 2; seed++) {
                Provenance p = new Provenance("softmax", "0.1.0", "test", "abc", (long) seed, "mnist-10k", "sha256:00");
                long id = store.runs().create(new NewRun(e.id(), optimizers[o] + " seed=" + seed, "softmax", p,
                        JsonNodeFactory.instance.objectNode(), Map.of("optimizer", optimizers[o], "seed", seed))).id();
                store.metrics().append(List.of(new MetricPoint(id, "train_loss", 100, 1.0, 1L, losses[o][seed - 1])));
                store.runs().markRunning(id);
                store.runs().finish(id, RunStatus.FINISHED, null);
                ids.add(id);
            }
        }
        new LessonService(store).evaluate(e.id(), Lesson.parse(name, spec.get("lesson")), ids);
        return e.id();
    }

    @Test
    void a_lesson_that_held_shows_its_claim_verdict_numbers_and_a_chart_of_the_compared_statistic() {
        page.navigate(server.page("#/sweep?experiment=" + held));
        page.waitForSelector("#lesson-verdict");
        // the claim is text, never markup
        assertThat(page.textContent("#lesson-claim")).isEqualTo("Momentum <b>speeds</b> up SGD.");
        assertThat(page.getAttribute("#lesson-verdict", "data-verdict")).isEqualTo("HELD");
        assertThat(page.textContent("#lesson-panel")).contains("CS231n, parameter updates").contains("0.51").contains("0.92")
                .doesNotContain("did not hold");
        page.waitForFunction("() => window.nnlab.charts['lesson:0'] !== undefined");
        assertThat(page.evaluate("() => window.nnlab.charts['lesson:0'].data.labels")).isEqualTo(List.of("optimizer=momentum", "optimizer=sgd"));
        assertThat(page.evaluate("() => window.nnlab.charts['lesson:0'].data.datasets[0].data.map(v => Math.round(v * 1000) / 1000)")).isEqualTo(List.of(0.51, 0.92));
        assertThat(page.evaluate("() => window.nnlab.charts['lesson:0'].data.datasets[1].data.map(p => p.y)"))
                .isEqualTo(List.of(0.5, 0.52, 0.9, 0.94));
    }

    @Test
    void a_lesson_that_did_not_hold_is_shown_as_not_held() {
        page.navigate(server.page("#/sweep?experiment=" + notHeld));
        page.waitForSelector("#lesson-verdict");
        assertThat(page.getAttribute("#lesson-verdict", "data-verdict")).isEqualTo("NOT_HELD");
        assertThat(page.textContent("#lesson-panel")).contains("did not hold");
        assertThat(page.getAttribute(".lesson-check", "data-outcome")).isEqualTo("NOT_HELD");
    }

    @Test
    void the_verdicts_route_answers_json_404_for_an_unknown_experiment_and_400_for_a_bad_id() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(server.api("api/experiments/" + held + "/verdicts"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode list = new ObjectMapper().readTree(ok.body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("verdict").asText()).isEqualTo("HELD");
        assertThat(list.get(0).get("created").isIntegralNumber()).isTrue();
        assertThat(list.get(0).get("checks").get(0).get("group").get("mean").asDouble()).isCloseTo(0.51, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.api("api/experiments/99999/verdicts"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.api("api/experiments/x/verdicts"))).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }
}
