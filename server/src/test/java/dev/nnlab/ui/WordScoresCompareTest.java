package dev.nnlab.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.WordGroups;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Skip-gram and CBOW trained by the server on the generated word-groups corpus, each scored on a
 * similarity file generated here (pairs within a planted group rated high, across groups low): the
 * compare page shows both runs' scores side by side in the final metrics table.
 */
class WordScoresCompareTest extends BrowserPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static long skipGram, cbow;

    @BeforeAll
    static void trainBothModels() throws Exception {
        server = UiServer.start(dir);
        List<List<String>> g = WordGroups.standard(DatasetCatalog.DEFAULT_SEED).groups();
        List<String> lines = new ArrayList<>(List.of("# generated pairs"));
        for (int i = 0; i < g.size(); i++) {
            lines.add(g.get(i).get(0) + "\t" + g.get(i).get(1) + "\t9");
            lines.add(g.get(i).get(2) + "\t" + g.get(i).get(3) + "\t8");
            lines.add(g.get(i).get(0) + "\t" + g.get((i + 1) % g.size()).get(1) + "\t1");
        }
        Path sim = Files.write(dir.resolve("pairs.tsv"), lines);
        skipGram = submit("skipgram", sim);
        cbow = submit("cbow", sim);
        chromium = new Chromium.Session();
        EmbeddingProjectorTest.awaitFinished(skipGram);
        EmbeddingProjectorTest.awaitFinished(cbow);
    }

    private static long submit(String model, Path sim) throws Exception {
        String body = JSON.writeValueAsString(java.util.Map.of("name", "scores-" + model, "family", "word2vec",
                "dataset", "word-groups", "params", java.util.Map.of("model", model, "dim", 20, "minCount", 1, "epochs", 2,
                        "wordsim", sim.toString())));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api("api/runs")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return JSON.readTree(r.body()).get("runIds").get(0).asLong();
    }

    @Test
    void the_compare_page_shows_both_models_similarity_scores_side_by_side() {
        page.navigate(server.page("#/compare?ids=" + skipGram + "," + cbow));
        page.waitForFunction("() => [...document.querySelectorAll('table.metrics-table th')].some(th => th.textContent === 'wordsim_spearman')"
                + " && document.querySelectorAll('table.metrics-table tbody tr').length === 2");
        @SuppressWarnings("unchecked")
        List<String> cells = (List<String>) page.evaluate("""
                () => {
                  const t = document.querySelector('table.metrics-table');
                  const col = [...t.querySelectorAll('thead th')].findIndex(th => th.textContent === 'wordsim_spearman');
                  return [...t.querySelectorAll('tbody tr')].map(tr => tr.children[col].firstChild.textContent);
                }""");
        assertThat(cells).hasSize(2);
        for (String c : cells) assertThat(Double.parseDouble(c)).as(c).isGreaterThan(0.3).isLessThanOrEqualTo(1);
    }

    @Test
    void a_run_refuses_a_similarity_file_in_an_unknown_format_before_anything_is_recorded() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.tsv"), "tiger,cat,7.35\n");
        String body = JSON.writeValueAsString(java.util.Map.of("name", "bad-file", "family", "word2vec", "dataset", "word-groups",
                "params", java.util.Map.of("minCount", 1, "wordsim", bad.toString())));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.api("api/runs")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("wordsim").contains("line 1");
        assertThat(JSON.readTree(EmbeddingProjectorTest.get("api/runs").body()).toString()).doesNotContain("bad-file");
    }
}
