package dev.tokenbroker.auth;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A CI job's OIDC identity token, presented to the exchange route; never logged or kept. */
public final class JobTokenAuthenticationRequest extends BaseAuthenticationRequest {

    private final String token;

    JobTokenAuthenticationRequest(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    @Override
    public String toString() {
        return "JobTokenAuthenticationRequest[token=<redacted>]";
    }
}
