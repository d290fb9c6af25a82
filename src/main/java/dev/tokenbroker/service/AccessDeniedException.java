package dev.tokenbroker.service;

/** The caller is authenticated but may not do this. */
public class AccessDeniedException extends RuntimeException {

    public AccessDeniedException(String message) {
        super(message);
    }
}
