package dev.tokenbroker.gafaelfawr;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * Who the broker is to Gafaelfawr (the admin token's username), remembered for a while:
 * every mint needs the answer, and the readiness check learns it anyway every
 * broker.health.admin-token-check-interval. Asked of Gafaelfawr only when not known
 * recently; a lookup that fails is not remembered.
 */
@ApplicationScoped
public class AdminIdentity {

    static final Duration REMEMBERED = Duration.ofMinutes(5);

    private final GafaelfawrClient gafaelfawr;
    private volatile String username;
    private volatile long knownUntilNanos;

    @Inject
    public AdminIdentity(GafaelfawrClient gafaelfawr) {
        this.gafaelfawr = gafaelfawr;
    }

    public String username() {
        String known = username;
        if (known != null && System.nanoTime() - knownUntilNanos < 0) {
            return known;
        }
        String fresh = gafaelfawr.adminUsername();
        learned(fresh);
        return fresh;
    }

    /** What token-info just said of the admin token. */
    public void learned(String adminUsername) {
        username = adminUsername;
        knownUntilNanos = System.nanoTime() + REMEMBERED.toNanos();
    }
}
