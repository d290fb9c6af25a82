package dev.tokenbroker.service;

import dev.tokenbroker.gafaelfawr.GafaelfawrClient;
import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.gafaelfawr.ServiceTokenSpec;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.IssuancePolicy;
import dev.tokenbroker.policy.TokenRequest;
import dev.tokenbroker.policy.Violation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Issuing a service token on a caller's behalf: decide, then mint. Every authorization decision is made here. */
@ApplicationScoped
public class TokenIssuanceService {

    private static final Logger LOG = Logger.getLogger(TokenIssuanceService.class);

    private final IssuancePolicy policy;
    private final GafaelfawrClient gafaelfawr;
    private final Clock clock;

    @Inject
    public TokenIssuanceService(IssuancePolicy policy, GafaelfawrClient gafaelfawr, Clock clock) {
        this.policy = policy;
        this.gafaelfawr = gafaelfawr;
        this.clock = clock;
    }

    public IssuedToken issue(Caller caller, TokenRequest request) {
        Decision decision = policy.decide(caller, request, clock.instant());
        if (decision instanceof Decision.Denied denied) {
            LOG.infof("denied service token for %s requested by %s: %s", request.username(), caller.username(),
                    denied.violations().stream().map(Violation::rule).collect(Collectors.joining(",")));
            throw new PolicyDeniedException(denied);
        }
        Decision.Allowed allowed = (Decision.Allowed) decision;
        GafaelfawrToken token = gafaelfawr.createServiceToken(new ServiceTokenSpec(
                allowed.username(), allowed.displayName(), allowed.scopes(), allowed.expires()));
        LOG.infof("issued service token key=%s for %s scopes=%s expires=%s requested by %s (token key %s)",
                token.key(), allowed.username(), allowed.scopes(), allowed.expires(), caller.username(),
                caller.tokenKey());
        return new IssuedToken(token, allowed.username(), allowed.scopes(), allowed.expires(), caller.username());
    }
}
