package dev.nnlab.http;

/**
 * A request refused before any handler ran: from another site (403), for a host name this server
 * does not answer to (403), with a body that is not JSON (415). {@code error} is the API's code.
 */
final class RefusedException extends RuntimeException {
    final int status;
    final String error;

    RefusedException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error;
    }
}
