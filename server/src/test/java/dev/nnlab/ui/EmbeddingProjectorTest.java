package dev.nnlab.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.data.WordGroups;
import dev.nnlab.catalog.DatasetCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A word2vec run really trained by the server on the generated word-groups corpus, seen in
 * Chromium: the embedding projector highlights a searched word, and the neighbour box lists a
 * planted word's group and says plainly when a word is not in the vocabulary.
 */
class EmbeddingProjectorTest extends BrowserPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static long run;
    private static List<String> group;


    @BeforeAll
    static void trainOnWordGroups() throws Exception {
        server = UiServer.start(dir);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api("api/runs")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("""
                        {"name":"groups","family":"word2vec","dataset":"word-groups",
                         "params":{"dim":20,"minCount":1,"epochs":3}}""")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        run = JSON.readTree(r.body()).get("runIds").get(0).asLong();
        group = WordGroups.standard(DatasetCatalog.DEFAULT_SEED).groups().getFirst();
        chromium = new Chromium.Session();
        awaitFinished(run);
    }

    @Test
    void the_projector_plots_every_word_and_highlights_a_searched_one() {
        page.navigate(server.page("#/compare?ids=" + run));
        page.waitForFunction("() => document.querySelector('#artifacts canvas.projector-canvas') !== null");
        int words = WordGroups.DEFAULT_GROUPS * WordGroups.DEFAULT_WORDS_PER_GROUP + WordGroups.DEFAULT_FILLERS;
        assertThat(page.evaluate("() => Number(document.querySelector('canvas.projector-canvas').dataset.words)")).isEqualTo(words);
        page.fill("input.projector-search", group.getFirst());
        page.waitForFunction("() => document.querySelector('canvas.projector-canvas').dataset.highlighted === '1'");
        assertThat(page.textContent(".projector-found")).isEqualTo("1 of " + words + " words match");
        // A search labels its hits only (the label beside the point is drawn on the canvas: read back from the chart).
        assertThat(page.evaluate("() => document.querySelector('canvas.projector-canvas').dataset.labelled")).isEqualTo("1");
        assertThat(page.evaluate("() => { const c = Chart.getChart(document.querySelector('canvas.projector-canvas'));"
                + " return c.$labelled.map(i => c.data.datasets[0].data[i].word); }")).isEqualTo(List.of(group.getFirst()));
        page.fill("input.projector-search", "");
        page.waitForFunction("() => document.querySelector('canvas.projector-canvas').dataset.highlighted === '0'");
        assertThat(page.evaluate("() => Number(document.querySelector('canvas.projector-canvas').dataset.labelled)"))
                .isEqualTo(Math.min(words, 40));
    }

    @Test
    void hovering_a_point_shows_its_word() {
        page.navigate(server.page("#/compare?ids=" + run));
        page.waitForFunction("() => document.querySelector('#artifacts canvas.projector-canvas') !== null");
        page.locator("canvas.projector-canvas").scrollIntoViewIfNeeded();
        String word = group.get(2);
        @SuppressWarnings("unchecked")
        List<Number> at = (List<Number>) page.evaluate("w => { const canvas = document.querySelector('canvas.projector-canvas');"
                + " const c = Chart.getChart(canvas), i = c.data.datasets[0].data.findIndex(p => p.word === w);"
                + " const el = c.getDatasetMeta(0).data[i], r = canvas.getBoundingClientRect();"
                + " return [r.left + el.x, r.top + el.y]; }", word);
        page.mouse().move(at.get(0).doubleValue(), at.get(1).doubleValue());
        page.waitForFunction("() => document.querySelector('canvas.projector-canvas').dataset.hovered !== ''");
        // Points may overlap; the hovered one must lie under the cursor, and the tooltip names it.
        String hovered = (String) page.evaluate("() => document.querySelector('canvas.projector-canvas').dataset.hovered");
        assertThat(page.evaluate("() => { const c = Chart.getChart(document.querySelector('canvas.projector-canvas'));"
                + " const a = c.tooltip.getActiveElements(); return a.length ? c.data.datasets[0].data[a[0].index].word : null; }"))
                .isEqualTo(hovered);
        // With overlapping points the tooltip lists each (one body item per active element); the first is the hovered one.
        assertThat(page.evaluate("() => Chart.getChart(document.querySelector('canvas.projector-canvas')).tooltip.body[0]"
                + ".lines.join(' ')")).isEqualTo(hovered);
        @SuppressWarnings("unchecked")
        List<Number> hoveredAt = (List<Number>) page.evaluate("w => { const canvas = document.querySelector('canvas.projector-canvas');"
                + " const c = Chart.getChart(canvas), i = c.data.datasets[0].data.findIndex(p => p.word === w);"
                + " const el = c.getDatasetMeta(0).data[i], r = canvas.getBoundingClientRect();"
                + " return [r.left + el.x, r.top + el.y]; }", hovered);
        assertThat(Math.hypot(hoveredAt.get(0).doubleValue() - at.get(0).doubleValue(),
                hoveredAt.get(1).doubleValue() - at.get(1).doubleValue())).isLessThan(8);
        page.mouse().move(1, 1);
        page.waitForFunction("() => document.querySelector('canvas.projector-canvas').dataset.hovered === ''"
                + " && Chart.getChart(document.querySelector('canvas.projector-canvas')).tooltip.getActiveElements().length === 0");
    }

    @Test
    void the_neighbour_box_lists_a_planted_words_group_and_explains_an_unknown_word() {
        page.navigate(server.page("#/compare?ids=" + run));
        page.waitForFunction("() => document.querySelector('#artifacts form.neighbour-box') !== null");
        page.fill("input.neighbour-word", group.getFirst());
        page.click("form.neighbour-box button");
        page.waitForFunction("() => document.querySelectorAll('.neighbour-list li').length === 10");
        @SuppressWarnings("unchecked")
        List<String> found = (List<String>) page.evaluate("() => [...document.querySelectorAll('.neighbour-list li')].map(li => li.dataset.word)");
        // The 5 other members of the group come first.
        assertThat(found.subList(0, group.size() - 1)).containsExactlyInAnyOrderElementsOf(group.subList(1, group.size()));

        page.fill("input.neighbour-word", "<img src=x onerror=alert(1)>");
        page.click("form.neighbour-box button");
        page.waitForFunction("() => document.querySelector('.neighbour-result .note.unknown-word') !== null");
        assertThat(page.textContent(".neighbour-result .note.unknown-word"))
                .contains("\"<img src=x onerror=alert(1)>\" is not in the vocabulary of run " + run);
        assertThat(page.evaluate("() => document.querySelector('.neighbour-result .note.error')")).isNull();
        assertThat(page.evaluate("() => document.querySelectorAll('#artifacts img').length")).isEqualTo(0);
    }

    @Test
    void the_neighbours_route_answers_json_errors_for_unknown_words_missing_words_and_bad_k() throws Exception {
        HttpResponse<String> unknown = get("api/runs/" + run + "/neighbours?word=zebra");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("unknown_word");
        assertThat(JSON.readTree(unknown.body()).get("message").asText()).contains("\"zebra\" is not in the vocabulary");
        assertThat(get("api/runs/" + run + "/neighbours").statusCode()).isEqualTo(400);
        HttpResponse<String> badK = get("api/runs/" + run + "/neighbours?word=" + group.getFirst() + "&k=0");
        assertThat(badK.statusCode()).isEqualTo(400);
        assertThat(badK.body()).contains("k=0");
        JsonNode ok = JSON.readTree(get("api/runs/" + run + "/neighbours?word=" + group.getFirst() + "&k=3").body());
        assertThat(ok.get("neighbours")).hasSize(3);
        assertThat(ok.get("neighbours").get(0).get("similarity").asDouble())
                .isGreaterThanOrEqualTo(ok.get("neighbours").get(2).get("similarity").asDouble());
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api(path))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void awaitFinished(long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        String status;
        do {
            status = JSON.readTree(get("api/runs/" + id).body()).get("status").asText();
            if (status.equals("FINISHED")) return;
            assertThat(status).as("run " + id + ": " + get("api/runs/" + id).body()).isIn("QUEUED", "RUNNING");
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + id + " stayed " + status);
    }
}
