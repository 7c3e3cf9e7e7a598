package dev.nnlab.http;

/** A request the API cannot read: a query parameter that is not a number, a body that is not JSON. 400. */
final class BadRequestException extends RuntimeException {
    BadRequestException(String message) {
        super(message);
    }
}
