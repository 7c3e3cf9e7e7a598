package dev.nnlab.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets an {@code /api} call through only with the server's token: {@code Authorization: Bearer T},
 * or {@code ?token=T} for EventSource, which cannot set headers. Compared in constant time, so the
 * answer's timing does not leak how much of a guess was right.
 */
final class TokenGuard implements Handler {
    private final byte[] token;

    TokenGuard(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        String given = bearer(ctx.header("Authorization"));
        if (given == null) given = ctx.queryParam("token");
        if (given == null || !MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
            throw new UnauthorizedException(given == null
                    ? "this server needs its token: send 'Authorization: Bearer TOKEN' (EventSource: ?token=TOKEN)"
                    : "wrong token");
        }
    }

    private static String bearer(String header) {
        if (header == null) return null;
        String h = header.strip();
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
    }
}
