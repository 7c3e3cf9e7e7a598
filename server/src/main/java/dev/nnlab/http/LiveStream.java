package dev.nnlab.http;

import dev.nnlab.live.LiveEvent;
import dev.nnlab.live.LiveWatcher;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;

import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/live}: one Server-Sent Events stream per browser tab, fed by the
 * {@link LiveWatcher}. Each client gets its own bounded queue and sender thread, so a slow or
 * vanished client never holds up the watcher or the other clients; a client that falls too far
 * behind is disconnected (EventSource reconnects by itself and the UI reloads what it missed).
 */
final class LiveStream implements AutoCloseable {
    /** Events a client may lag behind before it is dropped. */
    static final int BACKLOG = 10_000;
    /** A comment this often finds clients that left without closing (a write to them fails). */
    static final long HEARTBEAT_SECONDS = 15;

    private final LiveWatcher watcher;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;

    LiveStream(LiveWatcher watcher) {
        this.watcher = watcher;
    }

    void handle(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            throw new BadRequestException("/api/live is a Server-Sent Events stream: send 'Accept: text/event-stream'"
                    + " (a browser's EventSource does)");
        }
        new SseHandler(this::attach).handle(ctx);
    }

    private void attach(SseClient client) {
        ArrayBlockingQueue<LiveEvent> backlog = new ArrayBlockingQueue<>(BACKLOG);
        // Our own flag: Javalin reports a failed write by logging, not by throwing, so the sender
        // cannot learn from an exception that its client is gone.
        AtomicBoolean open = new AtomicBoolean(true);
        AutoCloseable subscription = watcher.subscribe(event -> {
            if (!backlog.offer(event)) open.set(false);
        });
        clients.add(client);
        Thread sender = Thread.ofVirtual().name("nnlab-sse").start(() -> {
            try {
                client.sendComment("connected");
                while (open.get() && !closing && !client.terminated()) {
                    LiveEvent e = backlog.poll(HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                    if (!open.get() || closing || client.terminated()) break;
                    if (e == null) client.sendComment("heartbeat");
                    else client.sendEvent(e.eventName(), e);
                }
            } catch (InterruptedException ignored) {
                // Closed: nothing more to send.
            } catch (RuntimeException e) {
                open.set(false);
            } finally {
                closeQuietly(subscription);
                clients.remove(client);
                if (!client.terminated()) client.close();
            }
        });
        client.onClose(() -> {
            open.set(false);
            closeQuietly(subscription);
            sender.interrupt();
        });
        client.keepAlive();
    }

    /** Ends every stream while the responses still exist; call before the web server stops. */
    @Override
    public void close() {
        closing = true;
        for (SseClient c : clients) {
            try {
                c.close();
            } catch (RuntimeException ignored) {
                // The client left at the same moment.
            }
        }
        clients.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Removing a listener cannot meaningfully fail.
        }
    }
}
