package dev.nnlab.ui;

import com.microsoft.playwright.Download;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runs list over runs of two families (softmax has no {@code hidden} and no {@code activation}),
 * and the CSV download, on a server that needs a token.
 */
class RunsListTest extends BrowserPageTest {
    static final String TOKEN = "ui-token";

    @TempDir
    static Path dir;
    private static long softmaxRun;
    private static long mlpRun;


    @BeforeAll
    static void startServerAndBrowser() {
        server = UiServer.start(dir, PluginJars.builtInPlugins(), TOKEN);
        Store store = server.store();
        Experiment e = store.experiments().getOrCreate("mixed", null);
        mlpRun = finished(store, e, "mlp", "mlp a", Map.of("optimizer", "sgd", "lr", 0.1, "hidden", List.of(100), "activation", "relu"));
        finished(store, e, "mlp", "mlp b", Map.of("optimizer", "sgd", "lr", 0.01, "hidden", List.of(100), "activation", "relu"));
        softmaxRun = finished(store, e, "softmax", "softmax", Map.of("optimizer", "sgd", "lr", 0.1));
        try (var w = store.newMetricWriter()) {
            w.metric(mlpRun, "train_loss", 1, 0.5, 0.25);
            w.metric(mlpRun, "train_loss", 2, 1.0, Double.NaN);
        }
        chromium = new Chromium.Session();
    }

    private static long finished(Store store, Experiment e, String family, String name, Map<String, Object> params) {
        Provenance prov = new Provenance(family, "test", "test", null, 1L, "spirals", null);
        long id = store.runs().create(new NewRun(e.id(), name, family, prov, null, new LinkedHashMap<>(params))).id();
        store.runs().markRunning(id);
        store.runs().finish(id, RunStatus.FINISHED, null);
        return id;
    }

    private String withToken(String hash) {
        return server.page("?token=" + TOKEN + hash);
    }

    @Test
    void the_same_for_all_line_names_only_parameters_every_listed_run_has() {
        page.navigate(withToken("#/runs?experiment=mixed"));
        page.locator(".runs-table tbody tr").nth(2).waitFor();

        String shared = page.locator(".shared-params").textContent();
        assertThat(shared).contains("Same for all 3 listed runs").contains("optimizer").contains("sgd");
        assertThat(shared).as("softmax runs have neither").doesNotContain("hidden").doesNotContain("activation");

        List<String> headers = page.locator(".runs-table thead th").allTextContents();
        assertThat(headers).anyMatch(h -> h.startsWith("hidden")).anyMatch(h -> h.startsWith("activation"));
        int hiddenColumn = indexOfHeader(headers, "hidden");
        String softmaxHidden = page.locator("tr[data-run-id='" + softmaxRun + "'] td").nth(hiddenColumn).textContent();
        String mlpHidden = page.locator("tr[data-run-id='" + mlpRun + "'] td").nth(hiddenColumn).textContent();
        assertThat(softmaxHidden).as("absent, not a shared value").isEqualTo("\u2014");
        assertThat(mlpHidden).isEqualTo("[100]");
    }

    @Test
    void the_same_for_all_line_shows_a_parameter_that_every_run_has_with_one_value() {
        page.navigate(withToken("#/runs?experiment=mixed&filter=" + java.net.URLEncoder.encode("family = \"mlp\"", java.nio.charset.StandardCharsets.UTF_8)));
        page.waitForFunction("() => document.querySelectorAll('.runs-table tbody tr').length === 2");
        String shared = page.locator(".shared-params").textContent();
        assertThat(shared).contains("Same for all 2 listed runs").contains("hidden").contains("activation");
    }

    @Test
    void the_csv_download_works_on_a_server_that_needs_a_token() throws Exception {
        page.navigate(withToken("#/compare?ids=" + mlpRun));
        page.locator(".run-card .csv-link").first().waitFor();
        Download download = page.waitForDownload(() -> page.locator(".run-card .csv-link").first().click());
        assertThat(download.suggestedFilename()).isEqualTo("run-" + mlpRun + "-metrics.csv");
        String csv = Files.readString(download.path());
        assertThat(csv.lines().toList()).hasSize(3).first().isEqualTo("run_id,key,step,epoch,wall_time,value");
        assertThat(csv).contains(mlpRun + ",train_loss,1,0.5,");
        assertThat(tab.dialogs).as("no error alert").isEmpty();
    }

    private static int indexOfHeader(List<String> headers, String name) {
        for (int i = 0; i < headers.size(); i++) if (headers.get(i).startsWith(name)) return i;
        throw new AssertionError(name + " not in " + headers);
    }
}
