package dev.nnlab.cli;

import dev.nnlab.store.StoreLocation;
import dev.nnlab.http.ApiServer;
import dev.nnlab.runs.Workbench;
import io.javalin.util.JavalinBindException;

import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;

/** What {@code serve} and {@code quickstart} share: starting the server, saying where it is, serving until Ctrl-C. */
final class Serving {
    private Serving() {}

    /** 24 random bytes, URL-safe: as hard to guess as a 192-bit key, and fits in a query string as is. */
    static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static ApiServer start(Workbench wb, ApiServer.Options options) {
        return start(wb, options, null);
    }

    /** With the queue's runs trained on {@code executor} (null: in this process), which the server then owns and closes. */
    static ApiServer start(Workbench wb, ApiServer.Options options, dev.nnlab.runs.TrialExecutor executor) {
        try {
            return ApiServer.start(wb, options, executor);
        } catch (IllegalArgumentException e) {
            throw new InputError(e.getMessage());
        } catch (JavalinBindException e) {
            throw new InputError("cannot listen on " + options.host() + ":" + options.port() + " (" + e.getMessage()
                    + "); choose another --port (0 picks a free one)");
        }
    }

    static void announce(ApiServer server, StoreLocation db, String token, boolean generated, PrintStream out) {
        out.println("nnlab is serving " + server.url() + "  (store " + db + "; Ctrl-C stops)");
        if (token != null) {
            out.println((generated ? "generated token: " : "token: ") + token);
            out.println("every /api call needs 'Authorization: Bearer " + token + "'; in a browser open "
                    + server.url() + "?token=" + token);
        }
        out.flush();
    }

    /**
     * Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes the server (the queue stops
     * its runs so they end STOPPED with their points flushed) and the workbench.
     */
    static int untilStopped(ApiServer server, Workbench wb) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
                wb.close();
            } finally {
                closed.countDown();
            }
        }, "nnlab-serve-shutdown"));
        closed.await();
        return 0;
    }
}
