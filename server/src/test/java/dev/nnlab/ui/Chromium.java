package dev.nnlab.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Debian's Chromium driven by Playwright, offline: the browser is never downloaded, and the flags
 * keep it from phoning home on this closed network (and from needing a GPU or a large /dev/shm).
 */
import static org.assertj.core.api.Assertions.assertThat;

final class Chromium {
    static final String EXECUTABLE = "/usr/bin/chromium";

    private Chromium() {}

    static Playwright playwright() {
        // Surefire sets this too; repeated here so that an IDE run does not try to download a browser.
        return Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get(EXECUTABLE))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
    }

    /** One headless Chromium for a test class. */
    static final class Session implements AutoCloseable {
        private final Playwright playwright = playwright();
        private final Browser browser = launch(playwright);

        /** A fresh page (its own context) for one test. */
        Tab open() {
            return new Tab(browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900)));
        }

        @Override
        public void close() {
            browser.close();
            playwright.close();
        }
    }

    /** A page that records uncaught script errors and dismisses (and records) any dialog it opens. */
    static final class Tab {
        final BrowserContext context;
        final Page page;
        final List<String> errors = new CopyOnWriteArrayList<>();
        final List<String> dialogs = new CopyOnWriteArrayList<>();

        private Tab(BrowserContext context) {
            this.context = context;
            this.page = context.newPage();
            page.onPageError(errors::add);
            page.onDialog(d -> {
                dialogs.add(d.message());
                d.dismiss();
            });
        }

        /** Closes the page, then fails the test if its scripts threw. */
        void closeWithoutScriptErrors() {
            context.close();
            assertThat(errors).as("uncaught errors in the page").isEmpty();
        }
    }
}
