package dev.tokenbroker.policy;

import java.time.Instant;
import java.util.List;

/** The policy's answer: what to mint, or every reason not to. */
public sealed interface Decision {

    /** A grant, with defaults filled in: scopes sorted and free of duplicates, expiry to the second. */
    record Allowed(String username, String displayName, List<String> scopes, Instant expires) implements Decision {
        public Allowed {
            scopes = List.copyOf(scopes);
        }
    }

    record Denied(List<Violation> violations) implements Decision {
        public Denied {
            violations = List.copyOf(violations);
        }

        /** A request that is malformed is reported as such even when the caller also lacks rights. */
        public boolean invalid() {
            return violations.stream().anyMatch(v -> v.kind() == Violation.Kind.INVALID);
        }
    }
}
