package dev.tokenbroker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting of the broker. Key names are an interface operators depend on
 * (see the README's configuration table): do not rename them.
 */
@ConfigMapping(prefix = "broker")
public interface BrokerConfig {

    Gafaelfawr gafaelfawr();

    Policy policy();

    Auth auth();

    Audit audit();

    Health health();

    Database database();

    Http http();

    Quota quota();

    Rotation rotation();

    Reconcile reconcile();

    Federation federation();

    /**
     * How long after an issuance last moved no answer from Gafaelfawr can still come for it:
     * the read timeout plus the reconcile margin. After it, the reconciler may decide a
     * pending issuance and a retry may take over its Idempotency-Key. Derived, not a setting.
     */
    default Duration settledAfter() {
        return gafaelfawr().readTimeout().plus(reconcile().margin());
    }

    interface Gafaelfawr {
        /** Base URL of the environment, e.g. https://data.lsst.cloud; the client appends /auth/api/v1. */
        URI url();

        /** Allows a plain-HTTP Gafaelfawr URL in the packaged jar (never needed in a real deployment). */
        @WithDefault("false")
        boolean allowInsecure();

        /** The admin:token token; or use admin-token-file. */
        Optional<String> adminToken();

        /** A file holding the admin token (a mounted Secret); re-read on every use so rotation needs no restart. */
        Optional<Path> adminTokenFile();

        @WithDefault("2s")
        Duration connectTimeout();

        @WithDefault("10s")
        Duration readTimeout();
    }

    interface Policy {
        @WithDefault("bot-")
        String usernamePrefix();

        @WithDefault("write:sasquatch")
        List<String> allowedScopes();

        @WithDefault("write:sasquatch")
        List<String> defaultScopes();

        @WithDefault("P90D")
        Duration defaultLifetime();

        @WithDefault("P365D")
        Duration maxLifetime();

        @WithDefault("admin:token")
        String adminScope();

        @WithDefault("false")
        boolean allowServiceCallers();

        /** The service name the GafaelfawrIngress delegates internal tokens to; others' internal tokens are refused. */
        @WithDefault("service-token-broker")
        String delegatedService();

        /** The longest a rotated token may stay valid beside its replacement. */
        @WithDefault("P1D")
        Duration maxRotationGrace();
    }

    interface Auth {
        /** How long a verified caller token is trusted before Gafaelfawr is asked again. */
        @WithDefault("30s")
        Duration cacheTtl();

        @WithDefault("10000")
        @Positive
        int cacheMaxEntries();

        /**
         * Applications whose delegated tokens may stand for their user here: behind the GafaelfawrIngress,
         * a caller whose X-Auth-Request-Service names another application is refused unless it is listed.
         * None by default.
         */
        Optional<List<String>> trustedPresentingServices();
    }

    interface Audit {
        /** Holders see every audit record and may verify the chain; others see the records they caused. */
        @WithDefault("admin:token")
        String auditorScope();

        /** How often queued records are linked into the hash chain: the longest a record stays unsealed. */
        @WithDefault("1s")
        Duration sealInterval();

        /** At most this many records are sealed in one transaction. */
        @WithDefault("1000")
        @Positive
        int sealBatch();

        /** A record unsealed for longer than this makes verification fail: the sealer is not running. */
        @WithDefault("10s")
        Duration maxUnsealedAge();
    }

    interface Http {
        /**
         * Peers (address ranges) whose X-Forwarded-For is believed for the audit's client address: the
         * ingress pods. The NetworkPolicy admits nothing else; narrow this to the cluster's pod range.
         */
        @WithDefault("127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16")
        List<String> trustedProxies();
    }

    /** PostgreSQL session limits of the broker's own connections. */
    interface Database {
        /** How long a statement waits for a row lock (the audit chain head) before it fails. */
        @WithDefault("2s")
        Duration lockTimeout();

        @WithDefault("5s")
        Duration statementTimeout();

        /** A transaction left open this long (a stuck client) is ended by the server, releasing its locks. */
        @WithDefault("10s")
        Duration idleInTransactionTimeout();
    }

    interface Health {
        /**
         * How often the admin token is checked with Gafaelfawr (token-info), in the background; the
         * readiness probe answers with the last result and never waits on Gafaelfawr. At least 1 s.
         */
        @WithDefault("15s")
        Duration adminTokenCheckInterval();
    }

    /** Enforced in the database, so that every replica counts the same. */
    interface Quota {
        @WithDefault("60")
        int issuancesPerCallerPerHour();

        /** Active (neither expired nor revoked) tokens a bot may hold; a rotation may exceed it by one. */
        @WithDefault("5")
        int activeTokensPerBot();
    }

    interface Rotation {
        /** How often a replica looks for rotated tokens whose grace has ended, to revoke them. */
        @WithDefault("5s")
        Duration revocationInterval();
    }

    interface Reconcile {
        /** How often one replica resolves issuances left pending by a crash or a timeout. */
        @WithDefault("PT1M")
        Duration interval();

        /** How long after Gafaelfawr's read timeout an issuance still pending is taken as cut short. */
        @WithDefault("PT30S")
        Duration margin();
    }

    /**
     * CI jobs that mint with their OIDC identity token instead of a stored secret. No trusted
     * issuer by default: until one is configured, no job token is accepted.
     */
    interface Federation {
        /** Trusted issuers, by the name trust policies use (lower-case letters, digits, dashes). */
        Map<String, Issuer> issuers();

        /** The audience every issuer's tokens must carry unless the issuer names its own: the broker's external URL. */
        Optional<String> audience();

        /** The longest lifetime a trust policy may give its tokens. */
        @WithDefault("PT12H")
        Duration maxLifetime();

        /** How far the issuer's and the broker's clocks may disagree on exp, nbf and iat. */
        @WithDefault("60s")
        Duration clockSkew();

        /** A job token issued longer ago than this is refused, whatever its exp. */
        @WithDefault("PT10M")
        Duration maxTokenAge();

        /** How long an issuer's keys are kept before they are fetched again. */
        @WithDefault("PT5M")
        Duration keysCacheTtl();

        /** A token signed with a key the cache does not know refetches the keys at most this often. */
        @WithDefault("30s")
        Duration keysRefreshInterval();

        /** Connect and read timeout of the discovery document and JWKS requests. */
        @WithDefault("5s")
        Duration timeout();

        interface Issuer {
            /** The issuer URL, compared exactly with the token's iss, e.g. https://token.actions.githubusercontent.com */
            URI url();

            /** The audience this issuer's tokens must carry, if not broker.federation.audience. */
            Optional<String> audience();

            /** Signing algorithms allowed (asymmetric only: never none or HMAC). */
            @WithDefault("RS256,ES256")
            List<String> algorithms();

            /** Allows plain HTTP to a loopback issuer (local tests only). */
            @WithDefault("false")
            boolean insecure();
        }
    }
}
