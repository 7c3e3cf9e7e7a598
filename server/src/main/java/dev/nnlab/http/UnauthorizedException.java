package dev.nnlab.http;

/** An {@code /api} call without the server's token. 401. */
final class UnauthorizedException extends RuntimeException {
    UnauthorizedException(String message) {
        super(message);
    }
}
