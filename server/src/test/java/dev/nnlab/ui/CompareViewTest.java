package dev.nnlab.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The runs table and the compare view in Chromium against a real server over a store filled with
 * fixture runs. Charts are checked through their Chart.js instances (window.nnlab.charts), never pixels.
 */
class CompareViewTest extends BrowserPageTest {
    private static final Path SCREENSHOT = Path.of("target", "ui-screenshots", "compare.png");

    @TempDir
    static Path dir;
    private static FixtureRuns.Ids ids;


    @BeforeAll
    static void startServerAndBrowser() {
        server = UiServer.start(dir);
        ids = FixtureRuns.fill(server.store());
        chromium = new Chromium.Session();
    }

    @AfterEach
    void noDialogs() {
        assertThat(tab.dialogs).as("dialogs opened by the page").isEmpty();
    }

    private void openCompare(String query) {
        page.navigate(server.page("#/compare?" + query));
        page.waitForFunction("() => window.nnlab && window.nnlab.compareReady === true");
    }

    /** The smoothed (or raw) line of each run in chart {@code name}: run id -> y values. */
    @SuppressWarnings("unchecked")
    private Map<String, List<Number>> lines(String name, String role) {
        return (Map<String, List<Number>>) page.evaluate("([name, role]) => Object.fromEntries("
                + "window.nnlab.charts[name].data.datasets.filter(d => d.role === role)"
                + ".map(d => [d.runIds.join('+'), d.data.map(p => p.y)]))", List.of(name, role));
    }

    private static double[] trainLoss(double scale) {
        double[] v = new double[FixtureRuns.STEPS];
        for (int i = 0; i < v.length; i++) v[i] = FixtureRuns.trainLoss(scale, i);
        return v;
    }

    /** TensorBoard's debiased EMA, written out independently of the page's module. */
    private static double[] debiasedEma(double[] values, double w) {
        double[] out = new double[values.length];
        double last = 0;
        for (int i = 0; i < values.length; i++) {
            last = last * w + (1 - w) * values[i];
            out[i] = last / (1 - Math.pow(w, i + 1));
        }
        return out;
    }

    private static void assertLine(List<Number> actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i).doubleValue()).as("point %d", i).isCloseTo(expected[i], within(1e-9));
        }
    }

    @Test
    void selecting_two_runs_in_the_table_compares_both_in_one_chart() throws Exception {
        page.navigate(server.page("#/runs"));
        page.locator("tr[data-run-id='" + ids.sgdSeed1() + "'] input[type=checkbox]").check();
        page.locator("tr[data-run-id='" + ids.adam() + "'] input[type=checkbox]").check();
        page.locator(".compare-button").click();
        page.waitForFunction("() => window.nnlab && window.nnlab.compareReady === true");

        assertThat(page.url()).endsWith("#/compare?ids=" + ids.sgdSeed1() + "," + ids.adam());
        Map<String, List<Number>> smoothed = lines("train_loss", "smoothed");
        assertThat(smoothed.keySet()).containsExactlyInAnyOrder(String.valueOf(ids.sgdSeed1()), String.valueOf(ids.adam()));
        assertLine(lines("train_loss", "raw").get(String.valueOf(ids.adam())), trainLoss(1.5));
        assertThat(page.evaluate("() => Object.keys(window.nnlab.charts).sort()"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .contains("train_loss", "val_loss", "val_acc", "lr", "layers:" + ids.adam());
        PlaywrightAssertions.assertThat(page.locator(".params-table tr.differs[data-param='optimizer']")).isVisible();

        Files.createDirectories(SCREENSHOT.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
        assertThat(Files.size(SCREENSHOT)).isGreaterThan(10_000);
    }

    @Test
    void smoothing_slider_replots_every_run_with_the_debiased_ema() {
        openCompare("ids=" + ids.sgdSeed1() + "," + ids.adam() + "&smoothing=0");
        String a = String.valueOf(ids.sgdSeed1());
        String c = String.valueOf(ids.adam());
        assertLine(lines("train_loss", "smoothed").get(a), trainLoss(2.0));

        page.locator("#smoothing").focus();
        page.keyboard().press("End");
        assertThat(page.locator("#smoothing").inputValue()).isEqualTo("0.99");

        Map<String, List<Number>> smoothed = lines("train_loss", "smoothed");
        assertLine(smoothed.get(a), debiasedEma(trainLoss(2.0), 0.99));
        assertLine(smoothed.get(c), debiasedEma(trainLoss(1.5), 0.99));
        assertLine(lines("train_loss", "raw").get(a), trainLoss(2.0));
    }

    @Test
    void smoothing_module_is_tensorboards_debiased_ema() {
        page.navigate(server.page("#/plugins"));
        Object out = page.evaluate("async () => (await import('/js/smoothing.js')).emaSmooth([1, 2, 3, null, 4], 0.5)");
        // By hand: last = 0.5, 1.25, 2.125 over debias 0.5, 0.75, 0.875; null passes through; then 3.0625 / 0.9375.
        List<?> values = (List<?>) out;
        assertThat(((Number) values.get(0)).doubleValue()).isCloseTo(1.0, within(1e-12));
        assertThat(((Number) values.get(1)).doubleValue()).isCloseTo(5.0 / 3, within(1e-12));
        assertThat(((Number) values.get(2)).doubleValue()).isCloseTo(17.0 / 7, within(1e-12));
        assertThat(values.get(3)).isNull();
        assertThat(((Number) values.get(4)).doubleValue()).isCloseTo(3.0625 / 0.9375, within(1e-12));
    }

    @Test
    void group_by_seed_plots_the_seed_mean_inside_its_min_max_band() {
        openCompare("ids=" + ids.sgdSeed1() + "," + ids.sgdSeed2() + "," + ids.adam() + "&smoothing=0");
        page.locator("#group-seeds").check();

        Map<String, List<Number>> smoothed = lines("train_loss", "smoothed");
        String group = ids.sgdSeed1() + "+" + ids.sgdSeed2();
        assertThat(smoothed.keySet()).containsExactlyInAnyOrder(group, String.valueOf(ids.adam()));
        double[] s1 = trainLoss(2.0);
        double[] s2 = trainLoss(2.2);
        double[] mean = new double[s1.length];
        double[] lo = new double[s1.length];
        double[] hi = new double[s1.length];
        for (int i = 0; i < s1.length; i++) {
            mean[i] = (s1[i] + s2[i]) / 2;
            lo[i] = Math.min(s1[i], s2[i]);
            hi[i] = Math.max(s1[i], s2[i]);
        }
        assertLine(smoothed.get(group), mean);
        assertLine(lines("train_loss", "min").get(group), lo);
        assertLine(lines("train_loss", "max").get(group), hi);
        PlaywrightAssertions.assertThat(page.locator(".legend")).containsText("mean of 2 seeds");
    }

    @Test
    void a_run_named_like_html_shows_as_text() {
        page.navigate(server.page("#/runs"));
        PlaywrightAssertions.assertThat(page.locator("a.run-name", new Page.LocatorOptions().setHasText(FixtureRuns.HTML_NAME)))
                .isVisible();
        assertThat(page.locator("img").count()).isZero();

        openCompare("ids=" + ids.htmlNamed());
        PlaywrightAssertions.assertThat(page.locator(".legend")).containsText(FixtureRuns.HTML_NAME);
        PlaywrightAssertions.assertThat(page.locator(".hint")).hasText(FixtureRuns.HTML_HINT);
        assertThat(page.locator("img").count()).isZero();
        assertThat(page.locator(".hint b").count()).isZero();
    }

    @Test
    void a_filter_syntax_error_shows_the_servers_message_inline() throws Exception {
        String bad = "params.lr < and";
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(server.api("api/runs?filter=" + URLEncoder.encode(bad, StandardCharsets.UTF_8)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(400);
        JsonNode error = new ObjectMapper().readTree(res.body());

        page.navigate(server.page("#/runs"));
        page.locator(".filter-input").fill(bad);
        page.locator(".filter-input").press("Enter");
        PlaywrightAssertions.assertThat(page.locator(".filter-error")).hasText(error.get("message").asText());
        PlaywrightAssertions.assertThat(page.locator(".filter-input")).hasClass(java.util.regex.Pattern.compile("invalid"));

        page.locator(".filter-input").fill("params.optimizer = 'adam'");
        page.locator(".filter-input").press("Enter");
        PlaywrightAssertions.assertThat(page.locator(".filter-error")).isEmpty();
        PlaywrightAssertions.assertThat(page.locator(".runs-table tbody tr")).hasCount(1);
    }

    @Test
    void a_run_started_elsewhere_appears_and_changes_status_without_a_reload() {
        page.navigate(server.page("#/runs"));
        PlaywrightAssertions.assertThat(page.locator("tr[data-run-id='" + ids.adam() + "']")).isVisible();
        page.evaluate("() => { window.__sameDocument = true; }");

        long id = FixtureRuns.queued(server.store(), "started elsewhere");
        String badge = "tr[data-run-id='" + id + "'] .badge";
        PlaywrightAssertions.assertThat(page.locator(badge)).hasText("QUEUED");
        server.store().runs().markRunning(id);
        PlaywrightAssertions.assertThat(page.locator(badge)).hasText("RUNNING");
        server.store().runs().finish(id, dev.nnlab.store.RunStatus.STOPPED, null);
        PlaywrightAssertions.assertThat(page.locator(badge)).hasText("STOPPED");
        assertThat(page.evaluate("() => window.__sameDocument === true")).as("no reload").isEqualTo(true);
    }

    @Test
    void clicking_a_parameter_header_sorts_the_table_on_the_server() {
        page.navigate(server.page("#/runs"));
        page.locator("th[data-sort='params.lr']").click();
        // lr: adam 0.001 < both sgd 0.1 < the html-named run 0.5
        PlaywrightAssertions.assertThat(page.locator(".runs-table tbody tr").first())
                .hasAttribute("data-run-id", String.valueOf(ids.adam()));
        PlaywrightAssertions.assertThat(page.locator(".runs-table tbody tr").last())
                .hasAttribute("data-run-id", String.valueOf(ids.htmlNamed()));
        page.locator("th[data-sort='params.lr']").click();
        PlaywrightAssertions.assertThat(page.locator(".runs-table tbody tr").first())
                .hasAttribute("data-run-id", String.valueOf(ids.htmlNamed()));
        List<String> varying = new ArrayList<>(page.locator("thead th.varying").allTextContents());
        assertThat(varying).anySatisfy(t -> assertThat(t).startsWith("optimizer")).anySatisfy(t -> assertThat(t).startsWith("seed"));
    }
}
