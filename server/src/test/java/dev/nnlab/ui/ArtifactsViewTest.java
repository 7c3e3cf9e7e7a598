package dev.nnlab.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compare view's artifacts in Chromium, for two softmax runs really trained by the server on the
 * bundled MNIST subset: each run's confusion matrix drawn as a heat map and its weight templates
 * shown inline as an image. Checked through the DOM and the canvas, never pixels.
 */
class ArtifactsViewTest extends BrowserPageTest {
    private static final Path SCREENSHOT = Path.of("target", "ui-screenshots", "artifacts.png");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HTML_ARTIFACT = "<img src=x onerror=alert(1)>.txt";

    @TempDir
    static Path dir;
    private static List<Long> trained;
    private static long handMade;


    @BeforeAll
    static void trainTwoSoftmaxRunsAndStartTheBrowser() throws Exception {
        server = UiServer.start(dir);
        trained = launch("""
                {"name":"softmax-templates","family":"softmax","dataset":"mnist-10k","epochs":1,
                 "params":{"optimizer":"momentum","batchSize":128,"logEvery":20},
                 "variants":[{"lr":0.01},{"lr":0.05}]}""");
        Store store = server.store();
        Experiment e = store.experiments().getOrCreate("hand-made", null);
        handMade = store.runs().create(new NewRun(e.id(), "files only", "softmax", Provenance.UNKNOWN, null, Map.of())).id();
        store.runs().markRunning(handMade);
        store.artifacts().put(handMade, HTML_ARTIFACT, "text/plain", "<script>alert(2)</script> & more".getBytes(StandardCharsets.UTF_8));
        store.artifacts().put(handMade, "blob.bin", "application/octet-stream", new byte[] {0, 1, 2, 3});
        store.runs().finish(handMade, RunStatus.FINISHED, null);
        chromium = new Chromium.Session();
        for (long id : trained) awaitFinished(id);
    }

    @AfterEach
    void noDialogs() {
        assertThat(tab.dialogs).as("dialogs opened by the page").isEmpty();
    }

    @Test
    void the_compare_view_shows_each_runs_confusion_heat_map_and_template_image_side_by_side() throws Exception {
        page.navigate(server.page("#/compare?ids=" + trained.get(0) + "," + trained.get(1)));
        page.waitForFunction("() => window.nnlab && window.nnlab.compareReady === true");
        page.waitForFunction("() => document.querySelectorAll('#artifacts canvas.confusion-heatmap').length === 2");
        page.waitForFunction("() => [...document.querySelectorAll('#artifacts img.artifact-image')]"
                + ".filter(i => i.complete && i.naturalWidth > 0).length === 2");

        assertThat(page.evaluate("() => [...document.querySelectorAll('#artifacts .artifact-row[data-artifact]')]"
                + ".map(r => r.dataset.artifact)"))
                .isEqualTo(List.of("weight_templates.png", "confusion_matrix.json", "final_weights.ckpt"));

        for (long id : trained) {
            String cell = "#artifacts .artifact-row[data-artifact='%s'] .artifact-cell[data-run-id='" + id + "']";
            // The template grid: ten 28x28 templates at twice their size, 2-pixel gaps.
            Object width = page.evaluate("s => document.querySelector(s).naturalWidth", cell.formatted("weight_templates.png") + " img");
            assertThat(((Number) width).intValue()).isEqualTo(10 * 56 + 11 * 2);

            JsonNode cm = JSON.readTree(get("api/runs/" + id + "/artifacts/confusion_matrix.json"));
            String canvas = cell.formatted("confusion_matrix.json") + " canvas.confusion-heatmap";
            assertThat(page.evaluate("s => document.querySelector(s).dataset.classes", canvas)).isEqualTo("10");
            assertThat(page.evaluate("s => Number(document.querySelector(s).dataset.total)", canvas))
                    .isEqualTo(cm.get("total").asInt());
            assertThat(((Number) page.evaluate("s => document.querySelector(s).width", canvas)).intValue()).isGreaterThan(200);

            String ckpt = cell.formatted("final_weights.ckpt") + " a.artifact-download";
            assertThat(page.evaluate("s => document.querySelector(s).getAttribute('href')", ckpt))
                    .isEqualTo("/api/runs/" + id + "/artifacts/final_weights.ckpt");
        }
        SCREENSHOT.getParent().toFile().mkdirs();
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
    }

    @Test
    void stored_names_and_text_are_shown_as_text_and_unknown_types_as_downloads() {
        page.navigate(server.page("#/compare?ids=" + handMade));
        page.waitForFunction("() => window.nnlab && window.nnlab.compareReady === true");
        page.waitForFunction("() => document.querySelector('#artifacts pre.artifact-text') !== null");

        assertThat(page.evaluate("() => document.querySelector('#artifacts pre.artifact-text').textContent"))
                .isEqualTo("<script>alert(2)</script> & more");
        assertThat(page.evaluate("() => document.querySelectorAll('#artifacts script, #artifacts img').length")).isEqualTo(0);
        assertThat(page.evaluate("() => [...document.querySelectorAll('#artifacts .artifact-name')].map(e => e.textContent)"))
                .isEqualTo(List.of("", HTML_ARTIFACT, "blob.bin"));
        assertThat(page.evaluate("() => document.querySelector(\"#artifacts .artifact-row[data-artifact='blob.bin'] a\").download"))
                .isEqualTo("blob.bin");
    }

    static List<Long> launch(String spec) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api("api/runs")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<Long> ids = new ArrayList<>();
        JSON.readTree(r.body()).get("runIds").forEach(n -> ids.add(n.asLong()));
        return ids;
    }

    static String get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api(path))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void awaitFinished(long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String status;
        do {
            status = JSON.readTree(get("api/runs/" + id)).get("status").asText();
            if (status.equals("FINISHED")) return;
            assertThat(status).as("run " + id).isIn("QUEUED", "RUNNING");
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + id + " stayed " + status);
    }
}
