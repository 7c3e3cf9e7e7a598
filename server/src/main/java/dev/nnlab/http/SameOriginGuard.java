package dev.nnlab.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * Lets only this server's own pages, and clients that are not browsers, act on it. A browser lets
 * any web page send requests to 127.0.0.1; these checks are what keeps such a page from starting,
 * stopping or tagging runs, or from reading them:
 * <ul>
 *   <li>{@code Host} (every request, when bound to loopback): the name the client used must be
 *       {@code localhost}, a loopback address or the address bound. A page served under its own
 *       name that later resolves to 127.0.0.1 (DNS rebinding) is same-origin to the browser, and
 *       only the Host header still shows the foreign name. Names are never resolved here.</li>
 *   <li>{@code Origin} and {@code Sec-Fetch-Site} (requests that change something): a browser
 *       names the page that sent the request; another site's is refused. A client that sends
 *       neither (curl, scripts) is not a browser and passes.</li>
 *   <li>{@code Content-Type: application/json} on every POST and on any other request with a body:
 *       an HTML form or a {@code no-cors} fetch cannot send that type without the browser asking
 *       the server first (a CORS preflight, which this server never grants).</li>
 * </ul>
 */
final class SameOriginGuard implements Handler {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final boolean loopback;
    private final String boundHost;

    SameOriginGuard(String boundHost, boolean loopback) {
        this.boundHost = hostName(boundHost);
        this.loopback = loopback;
    }

    @Override
    public void handle(Context ctx) {
        String host = ctx.header("Host");
        if (loopback && host != null && !allowedHost(hostName(host))) {
            throw new RefusedException(403, "forbidden", "this server answers only to localhost or " + boundHost
                    + ", not to the host name \"" + host + "\" (a page under another name may be a DNS rebinding attack)");
        }
        String method = ctx.method().name().toUpperCase(Locale.ROOT);
        if (SAFE_METHODS.contains(method)) return;
        String origin = ctx.header("Origin");
        if (origin != null && (host == null || !origin.equalsIgnoreCase(ctx.scheme() + "://" + host))) {
            throw new RefusedException(403, "forbidden", "cross-site request refused: a page of " + origin
                    + " may not act on this server; use its own web UI");
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            throw new RefusedException(403, "forbidden", "cross-site request refused (Sec-Fetch-Site: " + site
                    + "); use this server's own web UI");
        }
        if ((method.equals("POST") || hasBody(ctx)) && !isJson(ctx.header("Content-Type"))) {
            String given = ctx.header("Content-Type");
            throw new RefusedException(415, "unsupported_media_type", "send the request with 'Content-Type: application/json'"
                    + (given == null ? "" : ", not '" + given + "'"));
        }
    }

    private static boolean hasBody(Context ctx) {
        String length = ctx.header("Content-Length");
        return ctx.header("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }

    static boolean isJson(String contentType) {
        if (contentType == null) return false;
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private boolean allowedHost(String name) {
        if (name.equals("localhost") || name.equals(boundHost)) return true;
        return isLoopbackLiteral(name);
    }

    /** An IP address written out (never a name, which would need DNS, the very thing an attacker controls). */
    static boolean isLoopbackLiteral(String name) {
        if (!name.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) return false;
        try {
            return InetAddress.ofLiteral(name).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The host name of a Host header or bound address: lower case, without port or IPv6 brackets. */
    static String hostName(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end < 0 ? h : h.substring(1, end);
        }
        int colon = h.indexOf(':');
        // One colon: name:port. More: a bare IPv6 address (only a bound address is written so).
        if (colon >= 0 && h.indexOf(':', colon + 1) < 0) return h.substring(0, colon);
        return h;
    }
}
