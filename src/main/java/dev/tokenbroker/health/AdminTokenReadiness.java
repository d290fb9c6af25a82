package dev.tokenbroker.health;

import dev.tokenbroker.config.InvalidConfigurationException;
import dev.tokenbroker.gafaelfawr.AdminCredential;
import dev.tokenbroker.gafaelfawr.AdminIdentity;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.gafaelfawr.TokenInfo;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Gafaelfawr accepts the broker's admin token and it holds
 * admin:token: a broker that cannot mint should receive no traffic. The check runs
 * in the background every {@code broker.health.admin-token-check-interval}; a probe
 * answers with its last result at once, so a slow Gafaelfawr can never make a probe
 * time out (and Kubernetes restart or unroute every replica at the same moment).
 * The token itself never appears, only its key.
 */
@Readiness
@ApplicationScoped
public class AdminTokenReadiness implements HealthCheck {

    static final String NAME = "gafaelfawr-admin-token";
    static final String ADMIN_SCOPE = "admin:token";

    private final GafaelfawrClient gafaelfawr;
    private final AdminCredential admin;
    private final Clock clock;
    private final AdminIdentity identity;
    private volatile HealthCheckResponse last =
            HealthCheckResponse.named(NAME).down().withData("reason", "not checked yet").build();

    @Inject
    public AdminTokenReadiness(GafaelfawrClient gafaelfawr, AdminCredential admin, Clock clock,
            AdminIdentity identity) {
        this.identity = identity;
        this.gafaelfawr = gafaelfawr;
        this.admin = admin;
        this.clock = clock;
    }

    /** The last background check; never a call to Gafaelfawr. */
    @Override
    public HealthCheckResponse call() {
        return last;
    }

    @Scheduled(identity = "admin-token-check", every = "${broker.health.admin-token-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        last = check();
    }

    private HealthCheckResponse check() {
        // When the answer was found: a probe reads it later, from memory.
        HealthCheckResponseBuilder checked = HealthCheckResponse.named(NAME).withData("checked_at", clock.instant().toString());
        GafaelfawrToken token;
        try {
            token = admin.current();
        } catch (InvalidConfigurationException e) {
            return checked.down().withData("reason", e.getMessage()).build();
        }
        Optional<TokenInfo> info;
        try {
            info = gafaelfawr.tokenInfo(token);
        } catch (GafaelfawrException e) {
            return checked.down().withData("reason", "cannot check the admin token with Gafaelfawr: " + e.getMessage())
                    .build();
        }
        checked.withData("token_key", token.key());
        if (info.isEmpty()) {
            return checked.down()
                    .withData("reason", "Gafaelfawr does not accept the admin token (revoked, expired or unknown)")
                    .build();
        }
        if (!info.get().scopes().contains(ADMIN_SCOPE)) {
            return checked.down().withData("reason", "the admin token does not hold " + ADMIN_SCOPE).build();
        }
        identity.learned(info.get().username());
        return checked.up()
                .withData("username", info.get().username())
                .withData("expires", info.get().expires() == null ? "never"
                        : Instant.ofEpochSecond(info.get().expires()).toString())
                .build();
    }
}
