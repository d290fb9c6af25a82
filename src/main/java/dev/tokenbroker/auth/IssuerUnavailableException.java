package dev.tokenbroker.auth;

import dev.tokenbroker.problem.UnavailableException;

/** A trusted issuer's discovery document or keys cannot be fetched: no job token is accepted (fail closed). */
public class IssuerUnavailableException extends UnavailableException {

    IssuerUnavailableException(String message) {
        super("issuer-unavailable", "The job token's issuer cannot be reached", message, null);
    }
}
