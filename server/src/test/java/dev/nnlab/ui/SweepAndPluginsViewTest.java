package dev.nnlab.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.nnlab.host.PluginJars;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The sweep view (scatter and parallel coordinates over one experiment) and the plugins page, on a
 * server whose plugins folder holds the built-in families and one JAR that cannot load.
 */
class SweepAndPluginsViewTest extends BrowserPageTest {
    @TempDir
    static Path dir;
    private static FixtureRuns.Ids ids;
    private static Path plugins;


    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        plugins = Files.createDirectories(dir.resolve("plugins"));
        try (Stream<Path> jars = Files.list(PluginJars.builtInPlugins())) {
            for (Path jar : jars.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.copy(jar, plugins.resolve(jar.getFileName()));
            }
        }
        Files.writeString(plugins.resolve("broken.jar"), "not a zip file");
        server = UiServer.start(dir, plugins);
        ids = FixtureRuns.fill(server.store());
        chromium = new Chromium.Session();
    }

    private long experimentId() {
        return server.store().experiments().findByName("fixture").orElseThrow().id();
    }

    @Test
    void the_scatter_puts_a_log_scale_parameter_on_a_log_axis() {
        page.navigate(server.page("#/sweep?experiment=" + experimentId() + "&param=lr&metric=val_acc"));
        page.waitForFunction("() => window.nnlab.charts.scatter !== undefined");

        assertThat(page.evaluate("() => window.nnlab.charts.scatter.options.scales.x.type")).isEqualTo("logarithmic");
        assertThat(page.evaluate("() => window.nnlab.charts.scatter.data.datasets[0].data.map(p => p.x).sort((a, b) => a - b)"))
                .isEqualTo(List.of(0.001, 0.1, 0.1, 0.5));
        page.locator("#sweep-logx").uncheck();
        assertThat(page.evaluate("() => window.nnlab.charts.scatter.options.scales.x.type")).isEqualTo("linear");
    }

    @Test
    @SuppressWarnings("unchecked")
    void parallel_coordinates_normalise_each_axis_and_end_on_the_metric() {
        page.navigate(server.page("#/sweep?experiment=" + experimentId() + "&metric=val_acc"));
        page.waitForFunction("() => window.nnlab.charts.parallel !== undefined");

        assertThat(page.evaluate("() => window.nnlab.charts.parallel.data.labels"))
                .isEqualTo(List.of("optimizer", "lr (log)", "seed", "val_acc"));
        Map<String, List<Number>> lines = (Map<String, List<Number>>) page.evaluate("() => Object.fromEntries("
                + "window.nnlab.charts.parallel.data.datasets.map(d => [String(d.runId), d.data]))");
        // lr on a log axis from 0.001 (0) to 0.5 (1): 0.1 sits at log10(0.1/0.001) / log10(0.5/0.001).
        double sgdLr = Math.log10(0.1 / 0.001) / Math.log10(0.5 / 0.001);
        assertThat(lines.get(String.valueOf(ids.adam())).get(1).doubleValue()).isCloseTo(0.0, within(1e-9));
        assertThat(lines.get(String.valueOf(ids.sgdSeed1())).get(1).doubleValue()).isCloseTo(sgdLr, within(1e-9));
        assertThat(lines.get(String.valueOf(ids.htmlNamed())).get(1).doubleValue()).isCloseTo(1.0, within(1e-9));
        // optimizer categories in order (adam, sgd); seeds 1 and 2.
        assertThat(lines.get(String.valueOf(ids.adam())).get(0).doubleValue()).isCloseTo(0.0, within(1e-9));
        assertThat(lines.get(String.valueOf(ids.sgdSeed2())).get(0).doubleValue()).isCloseTo(1.0, within(1e-9));
        assertThat(lines.get(String.valueOf(ids.sgdSeed2())).get(2).doubleValue()).isCloseTo(1.0, within(1e-9));
        // val_acc = 1 - 0.1 * loss at the last step: the smallest loss scale (adam, 1.5) is the best run.
        assertThat(lines.get(String.valueOf(ids.adam())).get(3).doubleValue()).isCloseTo(1.0, within(1e-9));
        assertThat(lines.get(String.valueOf(ids.htmlNamed())).get(3).doubleValue()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void the_plugins_page_shows_each_family_and_the_jar_that_failed() {
        page.navigate(server.page("#/plugins"));

        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='mlp'] h3")).hasText("Multilayer perceptron");
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='softmax']")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='mlp'] tr[data-param='hidden']")).containsText("int_list");
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='mlp'] tr[data-param='lr']")).containsText("log");
        PlaywrightAssertions.assertThat(page.locator("tr.failure")).hasCount(1);
        PlaywrightAssertions.assertThat(page.locator("tr.failure")).containsText("broken.jar");
        assertThat(page.locator("tr.failure td.error-text").textContent()).isNotBlank();
    }

    static void dropFamily(String cls, String id) throws Exception {
        byte[] jar = PluginJars.bytes("org.example", cls, PluginJars.family("org.example", cls, id, "3.1", "CommonParams.SCHEMA", "",
                "return TrainResult.finished();"));
        Files.write(plugins.resolve(id + ".jar"), jar);
    }

    @Test
    void reload_on_the_plugins_page_shows_a_newly_dropped_family() throws Exception {
        page.navigate(server.page("#/plugins"));
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='mlp']")).isVisible();
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='fresh']")).hasCount(0);

        dropFamily("Fresh", "fresh");
        page.locator("#plugins-reload").click();

        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='fresh'] h3")).hasText("Test family fresh");
        PlaywrightAssertions.assertThat(page.locator("section.family[data-family='fresh']")).containsText("v3.1");
        PlaywrightAssertions.assertThat(page.locator(".reload-status")).containsText("Reloaded");
        PlaywrightAssertions.assertThat(page.locator("tr.failure")).hasCount(1);
    }

    @Test
    void an_open_launch_form_offers_a_family_dropped_meanwhile_without_a_reload() throws Exception {
        page.navigate(server.page("#/launch"));
        page.waitForFunction("() => window.nnlab.launchReady === true");
        PlaywrightAssertions.assertThat(page.locator("#launch-family option[value='later']")).hasCount(0);

        dropFamily("Later", "later");

        // The server's watcher sees the JAR and the live stream tells the page: no click, no reload.
        PlaywrightAssertions.assertThat(page.locator("#launch-family option[value='later']")).hasCount(1,
                new com.microsoft.playwright.assertions.LocatorAssertions.HasCountOptions().setTimeout(15_000));
        assertThat(page.locator("#launch-family").inputValue()).isEqualTo("mlp");
    }
}
