package dev.tokenbroker.gafaelfawr;

import dev.tokenbroker.problem.ProblemException;
import java.util.Optional;

/**
 * Gafaelfawr did not do what was asked. The message is safe to show a caller: it
 * never carries a token, and upstream text is reduced to Gafaelfawr's own
 * error messages.
 */
public class GafaelfawrException extends ProblemException {

    public enum Fault {
        /** Could not connect at all (refused, connect timeout, unknown host): nothing was sent. */
        UNREACHABLE(502, "upstream-unreachable", "Gafaelfawr is unreachable"),
        /** Connected and sent, but no answer within the read timeout; the request may have been acted on. */
        TIMEOUT(504, "upstream-timeout", "Gafaelfawr did not answer in time"),
        /** A 5xx, a broken connection after sending, or an answer that does not follow the contract. */
        BAD_RESPONSE(502, "upstream-failure", "Gafaelfawr failed"),
        /** Gafaelfawr refused the request itself (403/422): its message says why. */
        REQUEST_REFUSED(502, "upstream-refused", "Gafaelfawr refused the request"),
        /** Gafaelfawr refused the broker's own admin token: an operator must act. */
        CREDENTIAL_REJECTED(503, "broker-credential-rejected", "The broker's admin token is not accepted by Gafaelfawr");

        final int status;
        final String kind;
        final String title;

        Fault(int status, String kind, String title) {
            this.status = status;
            this.kind = kind;
            this.title = title;
        }

        /** Whether Gafaelfawr certainly minted nothing: the request never arrived, or was refused. */
        public boolean certainlyNothingMinted() {
            return this == UNREACHABLE || this == REQUEST_REFUSED || this == CREDENTIAL_REJECTED;
        }
    }

    private final Fault fault;
    private final String mintedKey;

    public GafaelfawrException(Fault fault, String message) {
        this(fault, message, null, null);
    }

    public GafaelfawrException(Fault fault, String message, Throwable cause) {
        this(fault, message, null, cause);
    }

    private GafaelfawrException(Fault fault, String message, String mintedKey, Throwable cause) {
        super(fault.status, fault.kind, fault.title, message, cause);
        this.fault = fault;
        this.mintedKey = mintedKey;
    }

    /** Gafaelfawr answered 201 but not as its contract says; the token with this key exists and nobody holds it. */
    public static GafaelfawrException mintedButUnreadable(String key, String message) {
        return new GafaelfawrException(Fault.BAD_RESPONSE, message, key, null);
    }

    public Fault fault() {
        return fault;
    }

    /** The key of a token Gafaelfawr minted despite the fault, when its answer named one. */
    public Optional<String> mintedKey() {
        return Optional.ofNullable(mintedKey);
    }
}
