package dev.nnlab.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.nnlab.store.RunQuery;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch form in Chromium against a real server that trains for real: refused values land next
 * to their field, and a launched run's curve grows in the compare view without a reload.
 */
class LaunchFormTest {
    /** The chart's raw train_loss line of the first run, in points; -1 while there is none. */
    private static final String TRAIN_LOSS_POINTS = "() => { const c = window.nnlab.charts && window.nnlab.charts.train_loss;"
            + " const d = c && c.data.datasets.find(d => d.role === 'raw'); return d ? d.data.length : -1; }";

    @TempDir
    static Path dir;
    private static UiServer server;
    private static Chromium.Session chromium;

    private Chromium.Tab tab;
    private Page page;

    @BeforeAll
    static void startServerAndBrowser() {
        server = UiServer.start(dir);
        chromium = new Chromium.Session();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
    }

    @BeforeEach
    void openForm() {
        tab = chromium.open();
        page = tab.page;
        page.navigate(server.page("#/launch?family=mlp&dataset=spirals"));
        page.waitForFunction("() => window.nnlab && window.nnlab.launchReady === true");
    }

    @AfterEach
    void noScriptErrors() {
        tab.closeWithoutScriptErrors();
    }

    @Test
    void datasets_of_a_kind_the_family_cannot_train_on_are_offered_disabled() {
        assertThat(page.locator("#launch-dataset").inputValue()).isEqualTo("spirals");
        assertThat(page.locator("#launch-dataset option[value='spirals']").isDisabled()).isFalse();
        assertThat(page.locator("#launch-dataset option[value='mnist-10k']").isDisabled()).isFalse();
        assertThat(page.locator("#launch-dataset option[value='markov-text']").isDisabled()).isTrue();
        assertThat(page.locator("#launch-dataset option[value='word-groups']").textContent()).contains("text_corpus");
    }

    @Test
    void a_refused_value_is_shown_next_to_its_field_and_nothing_is_launched() {
        int runsBefore = server.store().runs().list(new RunQuery(null, null, 0, 0)).size();
        page.locator("#param-lr").fill("0");
        page.locator("#launch-submit").click();

        PlaywrightAssertions.assertThat(page.locator(".field-error[data-field='params.lr']")).containsText("0 is not allowed");
        PlaywrightAssertions.assertThat(page.locator("#param-lr")).hasClass(java.util.regex.Pattern.compile("invalid"));
        assertThat(page.url()).contains("#/launch");
        assertThat(server.store().runs().list(new RunQuery(null, null, 0, 0))).hasSize(runsBefore);
    }

    @Test
    void a_run_launched_from_the_form_grows_live_in_the_compare_view() {
        // Wide layers, small batches and many epochs keep spirals training far longer than the test watches
        // (30 epochs once took seconds; faster kernels finished them in one, before a second point could be
        // seen). The run is stopped through the API once growth has been seen.
        page.locator("#launch-epochs").fill("3000");
        page.locator("#param-hidden").fill("512, 512");
        page.locator("#param-batchSize").fill("8");
        page.locator("#param-logEvery").fill("5");
        page.locator("#param-lr").fill("0.05");
        page.locator("#launch-submit").click();

        page.waitForURL("**/#/compare?ids=*");
        page.waitForFunction("() => window.nnlab.compareReady === true");
        page.evaluate("() => { window.__sameDocument = true; }");
        page.waitForFunction("() => (" + TRAIN_LOSS_POINTS + ")() > 0", null, new Page.WaitForFunctionOptions().setTimeout(60_000));
        int before = ((Number) page.evaluate(TRAIN_LOSS_POINTS)).intValue();

        page.waitForFunction("n => (" + TRAIN_LOSS_POINTS + ")() > n", before, new Page.WaitForFunctionOptions().setTimeout(60_000));

        assertThat(((Number) page.evaluate(TRAIN_LOSS_POINTS)).intValue()).isGreaterThan(before);
        assertThat(page.evaluate("() => window.__sameDocument === true")).as("no reload").isEqualTo(true);
        PlaywrightAssertions.assertThat(page.locator(".legend .badge").first()).hasText(java.util.regex.Pattern.compile("RUNNING|FINISHED"));
        Object stopped = page.evaluate("() => fetch('/api/runs/' + new URLSearchParams(location.hash.split('?')[1]).get('ids')"
                + " + '/stop', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'}).then(r => r.status)");
        assertThat(((Number) stopped).intValue()).isEqualTo(202);
    }
}
