package dev.tokenbroker.auth;

import dev.tokenbroker.metrics.BrokerMetrics;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Authenticated callers that {@link dev.tokenbroker.policy.CallerRule} turns away at the door:
 * counted by rule and logged (username, token key, what the ingress said), then answered 403.
 */
@ApplicationScoped
public class RefusedCallers {

    private static final Logger LOG = Logger.getLogger(RefusedCallers.class);

    @Inject
    BrokerMetrics metrics;

    /** The refusal to throw; the message names the rule, never a secret. */
    public ProblemException refuse(Caller caller, Violation violation, String path) {
        metrics.denied(violation.rule());
        LOG.infof("caller refused: rule=%s caller=%s token_key=%s token_type=%s service=%s presented_service=%s"
                + " path=%s", violation.rule(), caller.username(), caller.tokenKey(), caller.tokenType(),
                caller.service(), caller.presentedService(), path);
        return new Refused(violation);
    }

    /** 403 with the rule, as a policy refusal is answered. */
    static final class Refused extends ProblemException {
        private final Violation violation;

        Refused(Violation violation) {
            super(403, "forbidden", "Caller may not use the broker", violation.message(), null);
            this.violation = violation;
        }

        @Override
        public List<FieldRule> errors() {
            return List.of(new FieldRule(violation.field(), violation.rule(), violation.message()));
        }
    }
}
