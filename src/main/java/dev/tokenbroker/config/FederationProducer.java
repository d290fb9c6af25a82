package dev.tokenbroker.config;

import dev.tokenbroker.oidc.JobTokenVerifier;
import dev.tokenbroker.oidc.TrustedIssuer;
import dev.tokenbroker.oidc.TrustedIssuers;
import dev.tokenbroker.policy.JobTokenRules;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The trusted issuers of job tokens, checked as configured: a name trust policies can use, an
 * absolute HTTPS issuer URL (plain HTTP only to a loopback issuer marked insecure), an audience,
 * and asymmetric algorithms only. A setting it refuses stops startup naming the key.
 */
public class FederationProducer {

    // Letters and digits only: an environment variable (BROKER_FEDERATION_ISSUERS_<NAME>_URL) cannot tell a dash from a dot.
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9]{0,31}$");
    private static final Set<String> ASYMMETRIC = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    @Produces
    @Singleton
    TrustedIssuers trustedIssuers(BrokerConfig config) {
        BrokerConfig.Federation federation = config.federation();
        List<TrustedIssuer> issuers = new ArrayList<>();
        for (Map.Entry<String, BrokerConfig.Federation.Issuer> entry : federation.issuers().entrySet()) {
            String key = "broker.federation.issuers." + entry.getKey();
            BrokerConfig.Federation.Issuer issuer = entry.getValue();
            if (!NAME.matcher(entry.getKey()).matches()) {
                throw new InvalidConfigurationException(key, "an issuer's name is 1 to 32 lower-case letters and digits,"
                        + " starting with a letter");
            }
            URI url = issuer.url();
            if (!url.isAbsolute() || url.getHost() == null || url.getQuery() != null || url.getFragment() != null) {
                throw new InvalidConfigurationException(key + ".url", "must be an absolute issuer URL");
            }
            if (!"https".equals(url.getScheme()) && !(issuer.insecure() && "http".equals(url.getScheme())
                    && loopback(url.getHost()))) {
                throw new InvalidConfigurationException(key + ".url", "must be https:// (plain HTTP only to a"
                        + " loopback issuer with insecure=true)");
            }
            for (String algorithm : issuer.algorithms()) {
                if (!ASYMMETRIC.contains(algorithm)) {
                    throw new InvalidConfigurationException(key + ".algorithms", algorithm
                            + " is not allowed: only asymmetric signatures (" + String.join(", ", new TreeSet<>(ASYMMETRIC)) + ")");
                }
            }
            String audience = issuer.audience().or(federation::audience).orElseThrow(() ->
                    new InvalidConfigurationException(key + ".audience", "set it, or broker.federation.audience"
                            + " (the broker's external URL)"));
            issuers.add(new TrustedIssuer(entry.getKey(), url, audience, issuer.algorithms(), issuer.insecure()));
        }
        if (federation.maxLifetime().isNegative() || federation.maxLifetime().isZero()) {
            throw new InvalidConfigurationException("broker.federation.max-lifetime", "must be positive");
        }
        return new TrustedIssuers(issuers);
    }

    @Produces
    @Singleton
    JobTokenVerifier jobTokenVerifier(TrustedIssuers issuers, BrokerConfig config) {
        BrokerConfig.Federation federation = config.federation();
        return new JobTokenVerifier(issuers.all(), federation.timeout(), federation.keysCacheTtl(),
                federation.keysRefreshInterval());
    }

    @Produces
    @Singleton
    JobTokenRules.Limits jobTokenLimits(BrokerConfig config) {
        return new JobTokenRules.Limits(config.federation().clockSkew(), config.federation().maxTokenAge());
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
