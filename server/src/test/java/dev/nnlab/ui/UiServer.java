package dev.nnlab.ui;

import dev.nnlab.host.PluginJars;
import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.Store;

import java.nio.file.Path;

/**
 * A real nnlab server for browser tests: a SQLite store in a temporary folder, the built-in plugin
 * JARs, the web UI from the classpath, on a free loopback port.
 */
final class UiServer implements AutoCloseable {
    private final Workbench workbench;
    private final ApiServer server;

    private UiServer(Workbench workbench, ApiServer server) {
        this.workbench = workbench;
        this.server = server;
    }

    static UiServer start(Path dir) {
        return start(dir, PluginJars.builtInPlugins());
    }

    /** A server loading the plugin JARs of {@code pluginsDir}. */
    static UiServer start(Path dir, Path pluginsDir) {
        return start(dir, pluginsDir, null);
    }

    /** A server that needs {@code token} (null for none) on every API call. */
    static UiServer start(Path dir, Path pluginsDir, String token) {
        Workbench wb = Workbench.open(dir.resolve("nnlab.db"), pluginsDir, dir.resolve("data"), "test", null);
        try {
            return new UiServer(wb, ApiServer.start(wb, ApiServer.Options.defaults().withPort(0).withToken(token)));
        } catch (RuntimeException e) {
            wb.close();
            throw e;
        }
    }

    Store store() {
        return workbench.store();
    }

    /** The page at {@code hash}, e.g. {@code "#/compare?ids=1,2"}. */
    String page(String hash) {
        return server.url() + hash;
    }

    /** The API at {@code path}, e.g. {@code "api/runs"}. */
    String api(String path) {
        return server.url() + path;
    }

    @Override
    public void close() {
        server.close();
        workbench.close();
    }
}
