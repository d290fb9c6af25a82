package dev.tokenbroker.gafaelfawr;

/**
 * Gafaelfawr did not do what was asked. The message is safe to show a caller: it
 * never carries a token, and upstream text is reduced to Gafaelfawr's own
 * error messages.
 */
public class GafaelfawrException extends RuntimeException {

    public enum Fault {
        /** Could not connect at all. */
        UNREACHABLE,
        /** Connected, but no answer within the configured timeout; the request may have been acted on. */
        TIMEOUT,
        /** A 5xx, or an answer that does not follow the contract. */
        BAD_RESPONSE,
        /** Gafaelfawr refused the request itself (403/422): its message says why. */
        REQUEST_REFUSED,
        /** Gafaelfawr refused the broker's own admin token: an operator must act. */
        CREDENTIAL_REJECTED
    }

    private final Fault fault;

    public GafaelfawrException(Fault fault, String message) {
        super(message);
        this.fault = fault;
    }

    public GafaelfawrException(Fault fault, String message, Throwable cause) {
        super(message, cause);
        this.fault = fault;
    }

    public Fault fault() {
        return fault;
    }
}
