package dev.tokenbroker.service;

/** A query parameter the service cannot honour; {@code field} names it. */
public class InvalidQueryException extends RuntimeException {

    private final String field;

    public InvalidQueryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
