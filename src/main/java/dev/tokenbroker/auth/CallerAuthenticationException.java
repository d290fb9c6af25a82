package dev.tokenbroker.auth;


/** The caller's credentials were missing, malformed or refused; the message never carries the token. */
public class CallerAuthenticationException extends RuntimeException {

    /** RFC 6750's error code for the WWW-Authenticate challenge. */
    private final String bearerError;

    public CallerAuthenticationException(String bearerError, String message) {
        super(message);
        this.bearerError = bearerError;
    }

    public String bearerError() {
        return bearerError;
    }
}
