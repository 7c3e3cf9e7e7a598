package dev.nnlab.ui;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the browser test classes share: one server and one Chromium session per class (each class
 * starts both in its own {@code @BeforeAll}, with the data it needs), a fresh tab per test, and a
 * test fails when the page threw a script error. Classes run one after another,
 * so the static fields belong to the class that is running.
 */
abstract class BrowserPageTest {
    static UiServer server;
    static Chromium.Session chromium;

    Chromium.Tab tab;
    Page page;

    @AfterAll
    static void stop() {
        if (chromium != null) chromium.close();
        if (server != null) server.close();
        chromium = null;
        server = null;
    }

    @BeforeEach
    void openPage() {
        tab = chromium.open();
        page = tab.page;
    }

    @AfterEach
    void noScriptErrors() {
        tab.closeWithoutScriptErrors();
    }
}
