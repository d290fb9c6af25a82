package dev.tokenbroker.config;

import dev.tokenbroker.gafaelfawr.AdminCredential;
import dev.tokenbroker.oidc.TrustedIssuers;
import dev.tokenbroker.policy.IssuancePolicy;
import dev.tokenbroker.policy.QuotaPolicy;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.util.Set;

/**
 * Refuses to start with settings that could never work, so that a bad deployment
 * fails its rollout instead of its first caller. Each failure names the key.
 */
public class StartupChecks {

    void onStart(@Observes StartupEvent event, BrokerConfig config, AdminCredential admin, IssuancePolicy policy,
            QuotaPolicy quotas, TrustedIssuers issuers) {
        checkUrl(config.gafaelfawr().url());
        if (!LaunchMode.current().isDevOrTest() && "http".equals(config.gafaelfawr().url().getScheme())
                && !config.gafaelfawr().allowInsecure()) {
            throw new InvalidConfigurationException("broker.gafaelfawr.url", "must be https:// in the packaged jar:"
                    + " the admin token travels with every request (set broker.gafaelfawr.allow-insecure=true"
                    + " only for a local test)");
        }
        admin.check();
        policy.settings();
        quotas.toString(); // builds it: a refused quota setting stops startup here
        issuers.all(); // and a refused trusted issuer
        if (config.policy().maxRotationGrace().isNegative()) {
            throw new InvalidConfigurationException("broker.policy.max-rotation-grace", "must not be negative");
        }
    }

    private static void checkUrl(URI url) {
        if (!url.isAbsolute() || !Set.of("http", "https").contains(url.getScheme()) || url.getHost() == null) {
            throw new InvalidConfigurationException("broker.gafaelfawr.url",
                    "must be an absolute http(s) URL such as https://data.lsst.cloud");
        }
        if (url.getQuery() != null || url.getFragment() != null) {
            throw new InvalidConfigurationException("broker.gafaelfawr.url", "must not have a query or fragment");
        }
    }
}
