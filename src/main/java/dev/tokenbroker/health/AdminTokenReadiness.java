package dev.tokenbroker.health;

import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.config.InvalidConfigurationException;
import dev.tokenbroker.gafaelfawr.AdminCredential;
import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrException;
import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.gafaelfawr.TokenInfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while Gafaelfawr accepts the broker's admin token and it holds
 * admin:token: a broker that cannot mint should receive no traffic. The answer is
 * reused for {@code broker.health.admin-token-check-interval} so probes do not
 * hammer Gafaelfawr; the token itself never appears, only its key.
 */
@Readiness
@ApplicationScoped
public class AdminTokenReadiness implements HealthCheck {

    static final String NAME = "gafaelfawr-admin-token";
    static final String ADMIN_SCOPE = "admin:token";

    private record Checked(HealthCheckResponse response, Instant at) {
    }

    private final GafaelfawrClient gafaelfawr;
    private final AdminCredential admin;
    private final Clock clock;
    private final Duration interval;
    private volatile Checked last;

    @Inject
    public AdminTokenReadiness(GafaelfawrClient gafaelfawr, AdminCredential admin, Clock clock, BrokerConfig config) {
        this.gafaelfawr = gafaelfawr;
        this.admin = admin;
        this.clock = clock;
        this.interval = config.health().adminTokenCheckInterval();
    }

    @Override
    public HealthCheckResponse call() {
        Checked previous = last;
        Instant now = clock.instant();
        if (previous != null && now.isBefore(previous.at().plus(interval))) {
            return previous.response();
        }
        HealthCheckResponse response = check();
        last = new Checked(response, now);
        return response;
    }

    private HealthCheckResponse check() {
        GafaelfawrToken token;
        try {
            token = admin.current();
        } catch (InvalidConfigurationException e) {
            return down(e.getMessage());
        }
        Optional<TokenInfo> info;
        try {
            info = gafaelfawr.tokenInfo(token);
        } catch (GafaelfawrException e) {
            return down("cannot check the admin token with Gafaelfawr: " + e.getMessage());
        }
        if (info.isEmpty()) {
            return HealthCheckResponse.named(NAME).down().withData("token_key", token.key())
                    .withData("reason", "Gafaelfawr does not accept the admin token (revoked, expired or unknown)")
                    .build();
        }
        if (!info.get().scopes().contains(ADMIN_SCOPE)) {
            return HealthCheckResponse.named(NAME).down().withData("token_key", token.key())
                    .withData("reason", "the admin token does not hold " + ADMIN_SCOPE).build();
        }
        return HealthCheckResponse.named(NAME).up()
                .withData("token_key", token.key())
                .withData("username", info.get().username())
                .withData("expires", info.get().expires() == null ? "never"
                        : Instant.ofEpochSecond(info.get().expires()).toString())
                .build();
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }
}
