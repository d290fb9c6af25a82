package dev.tokenbroker.service;

import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Revokes a token that was minted but could not be audited. Revocation is
 * idempotent (a 404 counts as done), so unlike the token POST it is retried.
 */
@ApplicationScoped
public class CompensatingRevocation {

    @Inject
    GafaelfawrClient gafaelfawr;

    @Retry(maxRetries = 3, delay = 200, jitter = 100)
    public void revoke(String username, String key) {
        gafaelfawr.revokeToken(username, key);
    }
}
