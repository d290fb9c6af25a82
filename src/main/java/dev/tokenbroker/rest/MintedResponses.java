package dev.tokenbroker.rest;

import dev.tokenbroker.service.IssuedToken;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * The answer to every request that minted a token (a mint, a rotation, a CI job's exchange):
 * 201, where the token can be read, never cached, and the key of the token an Idempotency-Key
 * replay replaced.
 */
final class MintedResponses {

    static final String REPLACED = "Idempotency-Replaced";

    private MintedResponses() {
    }

    /** The answer's status and headers; the caller adds the body. */
    static Response.ResponseBuilder created(IssuedToken issued, UriInfo uri) {
        Response.ResponseBuilder created = Response.status(Response.Status.CREATED)
                .header(HttpHeaders.LOCATION, uri.getBaseUri().getRawPath() + "service-tokens/" + issued.key())
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
        if (issued.replaced() != null) {
            created.header(REPLACED, issued.replaced());
        }
        return created;
    }
}
