package dev.nnlab.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets an {@code /api} call through only with the server's token: {@code Authorization: Bearer T},
 * or {@code ?token=T} on the live stream alone (EventSource cannot set headers). Anywhere else a
 * token in the address would end up in browser history, logs and Referer headers, so it is not
 * accepted there. Compared in constant time, so the answer's timing does not leak how much of a
 * guess was right.
 */
final class TokenGuard implements Handler {
    static final String LIVE_PATH = "/api/live";
    private final byte[] token;

    TokenGuard(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        String given = bearer(ctx.header("Authorization"));
        if (given == null && ctx.path().equals(LIVE_PATH)) given = ctx.queryParam("token");
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException(given == null
                    ? "this server needs its token: send 'Authorization: Bearer TOKEN' (only " + LIVE_PATH
                    + " also takes ?token=TOKEN, for EventSource)"
                    : "wrong token");
        }
    }

    private static String bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    }
}
