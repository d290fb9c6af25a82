package dev.tokenbroker.auth;

import dev.tokenbroker.metrics.BrokerMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Requests refused for want of valid credentials: counted and logged, never
 * stored in the audit log (anyone can send them, so they would let strangers fill it).
 */
@ApplicationScoped
public class UnauthenticatedRequests {

    private static final Logger LOG = Logger.getLogger(UnauthenticatedRequests.class);

    @Inject
    BrokerMetrics metrics;

    /** @param reason a bounded label: missing, invalid_request, invalid_token */
    public void refused(String reason, String requestId, String path) {
        metrics.unauthenticated(reason);
        LOG.infof("unauthenticated request refused: reason=%s request_id=%s path=%s", reason, requestId, path);
    }
}
