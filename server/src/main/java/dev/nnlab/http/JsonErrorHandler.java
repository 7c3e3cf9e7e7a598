package dev.nnlab.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors that Jetty answers itself, before a request reaches Javalin (a URI too long: 414, headers
 * too large: 431, a path it will not decode: 400), as the API's JSON error instead of Jetty's HTML
 * page. The message is the status's own words: Jetty's reason may name its internals.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        return ByteBuffer.wrap(body(status));
    }

    static byte[] body(int status) {
        String message = switch (status) {
            case 400 -> "the request cannot be read (a malformed path, query or header)";
            case 404 -> "no such endpoint (see server/API.md)";
            case 405 -> "method not allowed (see server/API.md)";
            case 413 -> "the request body is larger than the server accepts";
            case 414 -> "the request URI is longer than the server accepts";
            case 431 -> "the request headers are larger than the server accepts";
            default -> status >= 500 ? "internal error; the server log has the details" : "the request was refused (HTTP " + status + ")";
        };
        return ("{\"error\":\"" + ApiErrors.code(status) + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
