package dev.tokenbroker.service;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import java.time.Instant;
import java.util.List;

/**
 * A minted, audited token. {@code token} is delivered to the caller once and kept nowhere;
 * {@code auditId} names the issuance in the audit log; {@code replaced}, when not null, is the key
 * of the token a retry with the same Idempotency-Key revoked.
 */
public record IssuedToken(GafaelfawrToken token, String username, List<String> scopes, Instant expires,
        String requestedBy, String auditId, String replaced) {

    public IssuedToken(GafaelfawrToken token, String username, List<String> scopes, Instant expires,
            String requestedBy, String auditId) {
        this(token, username, scopes, expires, requestedBy, auditId, null);
    }

    /** The same token, delivered in place of {@code key}: a retry with the same Idempotency-Key revoked that one. */
    IssuedToken replacing(String key) {
        return new IssuedToken(token, username, scopes, expires, requestedBy, auditId, key);
    }

    public String key() {
        return token.key();
    }
}
