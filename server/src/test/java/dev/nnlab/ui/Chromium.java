package dev.nnlab.ui;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium driven by Playwright, offline: the browser is never downloaded, and the flags
 * keep it from phoning home on this closed network (and from needing a GPU or a large /dev/shm).
 */
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
}
