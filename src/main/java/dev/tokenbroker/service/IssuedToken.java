package dev.tokenbroker.service;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import java.time.Instant;
import java.util.List;

/**
 * A minted, audited token. {@code token} is delivered to the caller once and kept nowhere;
 * {@code auditId} names the issuance in the audit log.
 */
public record IssuedToken(GafaelfawrToken token, String username, List<String> scopes, Instant expires,
        String requestedBy, String auditId) {

    public String key() {
        return token.key();
    }
}
