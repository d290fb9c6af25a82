package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The one rule for fields a request body does not have, on every route: each is refused by name. */
public final class BodyFields {

    /** Gafaelfawr's identity overrides: the broker mints bot users, not identities. */
    static final Set<String> IDENTITY_OVERRIDES = Set.of("uid", "gid", "groups", "email");

    private BodyFields() {
    }

    public static List<Violation> refuse(Set<String> otherFields) {
        List<Violation> violations = new ArrayList<>();
        for (String field : new TreeSet<>(otherFields)) {
            if (IDENTITY_OVERRIDES.contains(field)) {
                violations.add(new Violation(field, "identity-override", INVALID,
                        field + " is refused: the broker mints bot users, not identities"));
            } else {
                violations.add(new Violation(field, "unknown-field", INVALID,
                        field + " is not a field of this request"));
            }
        }
        return violations;
    }
}
