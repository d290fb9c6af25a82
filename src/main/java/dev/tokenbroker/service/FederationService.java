package dev.tokenbroker.service;

import static dev.tokenbroker.policy.Violation.Kind.FORBIDDEN;
import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.oidc.VerifiedJobToken;
import dev.tokenbroker.policy.BodyFields;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.JobTokenRules;
import dev.tokenbroker.policy.Names;
import dev.tokenbroker.policy.TokenRequest;
import dev.tokenbroker.policy.TrustPolicy;
import dev.tokenbroker.policy.TrustPolicyRules;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.registry.TrustPolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * A CI job exchanges its verified OIDC identity token for a short-lived token of a bot: the
 * token is used once ({@code jti}), the bot's first trust policy that matches the job decides
 * which scopes and how long, and the mint is an ordinary issuance (policy, quotas, write-ahead
 * audit, compensation, reconciler, Idempotency-Key) with the policy in place of the owners.
 */
@ApplicationScoped
public class FederationService {

    private static final Logger LOG = Logger.getLogger(FederationService.class);

    private final TrustPolicyStore policies;
    private final TokenIssuanceService issuance;
    private final BrokerMetrics metrics;
    private final Clock clock;

    @Inject
    public FederationService(TrustPolicyStore policies, TokenIssuanceService issuance, BrokerMetrics metrics,
            Clock clock) {
        this.policies = policies;
        this.issuance = issuance;
        this.metrics = metrics;
        this.clock = clock;
    }

    public IssuedToken exchange(VerifiedJobToken job, ExchangeDraft draft, RequestContext context,
            String idempotencyKey) {
        Instant now = clock.instant();
        List<Violation> invalid = new ArrayList<>(BodyFields.refuse(draft.otherFields()));
        if (!Names.isBotName(draft.username())) {
            invalid.add(new Violation("username", "username-format", INVALID, "username must name a bot (bot-...)"));
        }
        Duration lifetime = draft.lifetime() == null ? null : TrustPolicyRules.lifetime("lifetime", draft.lifetime(), invalid);
        if (!invalid.isEmpty()) {
            throw new PolicyDeniedException(new Decision.Denied(invalid));
        }
        String subject = job.claims().subject();
        if (!policies.claimJti(job.issuer().name(), job.claims().jwtId(), job.claims().expires(), now)) {
            metrics.denied("job-token-replayed");
            throw new ReplayedJobTokenException();
        }
        List<TrustPolicy> candidates = policies.list(draft.username()).stream()
                .filter(p -> p.issuer().equals(job.issuer().name())).toList();
        Optional<TrustPolicy> matched = candidates.stream()
                .filter(p -> TrustPolicyRules.matches(p, subject, job.allClaims())).findFirst();
        Caller caller = new Caller(JobTokenRules.callerName(job.issuer().name(), subject),
                Set.copyOf(matched.map(TrustPolicy::scopes).orElse(List.of())), JobTokenRules.CALLER_TYPE,
                job.sha256().substring(0, 22));
        String note = "federated: iss " + job.issuer().url() + ", sub " + subject + ", job token sha256 " + job.sha256();
        if (matched.isEmpty()) {
            // Which policies were tried is the audit's to know, not the caller's.
            String tried = "tried " + (candidates.isEmpty() ? "no policy" : String.join(", ",
                    candidates.stream().map(TrustPolicy::name).toList()));
            LOG.infof("no trust policy of %s matches %s (%s)", draft.username(), caller.username(), tried);
            throw issuance.refuse(caller, draft.username(), context, new Violation("username",
                    "no-trust-policy-matches", FORBIDDEN, "no trust policy of this bot admits this job"),
                    note + "; " + tried);
        }
        TrustPolicy policy = matched.get();
        List<String> scopes = draft.scopes() == null ? policy.scopes() : List.copyOf(draft.scopes());
        List<Violation> beyond = new ArrayList<>();
        if (!new HashSet<>(policy.scopes()).containsAll(scopes)) {
            beyond.add(new Violation("scopes", "scope-beyond-trust-policy", FORBIDDEN,
                    "trust policy " + policy.name() + " grants at most " + policy.scopes()));
        }
        if (lifetime != null && (lifetime.compareTo(policy.maxLifetime()) > 0 || lifetime.isNegative()
                || lifetime.isZero())) {
            beyond.add(new Violation("lifetime", "lifetime-beyond-trust-policy", FORBIDDEN,
                    "trust policy " + policy.name() + " grants at most " + policy.maxLifetime()));
        }
        if (!beyond.isEmpty()) {
            throw issuance.refuse(caller, draft.username(), context, beyond.get(0),
                    note + "; trust policy " + policy.name());
        }
        Instant expires = now.plus(lifetime == null ? policy.maxLifetime() : lifetime);
        TokenRequest request = new TokenRequest(draft.username(), null, "service", scopes, expires, Set.of());
        return issuance.issue(Issuance.federated(caller, request, context, idempotencyKey, draft.lifetime(), policy.name(),
                note + "; trust policy " + policy.name()));
    }
}
