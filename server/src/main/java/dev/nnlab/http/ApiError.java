package dev.nnlab.http;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The body of every error answer: {@code error} (bad_request, unauthorized, not_found, conflict,
 * too_large, internal), a message a person can act on, and for a bad experiment spec the JSON path
 * of each problem. Never a stack trace.
 *
 * @param position for a filter or sort that cannot be read, the 0-based position of the problem
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String error, String message, List<FieldError> fields, Integer position) {

    record FieldError(String path, String message) {}

    static ApiError of(String error, String message) {
        return new ApiError(error, message, null, null);
    }
}
