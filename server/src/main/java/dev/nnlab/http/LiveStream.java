package dev.nnlab.http;

import dev.nnlab.live.LiveEvent;
import dev.nnlab.live.LiveWatcher;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/live}: one Server-Sent Events stream per browser tab, fed by the
 * {@link LiveWatcher}. Each client gets its own bounded queue and sender thread, so a slow or
 * vanished client never holds up the watcher or the other clients; a client that falls too far
 * behind is disconnected (EventSource reconnects by itself and the UI reloads what it missed).
 */
final class LiveStream {
    /** Events a client may lag behind before it is dropped. */
    static final int BACKLOG = 10_000;
    /** A comment this often finds clients that left without closing (a write to them fails). */
    static final long HEARTBEAT_SECONDS = 15;

    private LiveStream() {}

    static void handle(Context ctx, LiveWatcher watcher) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new BadRequestException("/api/live is a Server-Sent Events stream: send 'Accept: text/event-stream'"
                    + " (a browser's EventSource does)");
        }
        new SseHandler(client -> attach(client, watcher)).handle(ctx);
    }

    private static void attach(SseClient client, LiveWatcher watcher) {
        ArrayBlockingQueue<LiveEvent> backlog = new ArrayBlockingQueue<>(BACKLOG);
        AutoCloseable subscription = watcher.subscribe(event -> {
            if (!backlog.offer(event)) client.close();
        });
        Thread sender = Thread.ofVirtual().name("nnlab-sse").start(() -> {
            try {
                client.sendComment("connected");
                while (!client.terminated()) {
                    LiveEvent e = backlog.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                    if (e == null) client.sendComment("heartbeat");
                    else client.sendEvent(e.eventName(), e);
                }
            } catch (InterruptedException ignored) {
                // Closed: nothing more to send.
            } catch (RuntimeException e) {
                client.close();
            } finally {
                closeQuietly(subscription);
            }
        });
        client.onClose(() -> {
            closeQuietly(subscription);
            sender.interrupt();
        });
        client.keepAlive();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Removing a listener cannot meaningfully fail.
        }
    }
}
