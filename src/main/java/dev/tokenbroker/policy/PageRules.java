package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.util.Optional;

/** How much one page of any listing (tokens, bots, audit records) may hold. */
public final class PageRules {

    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 100;

    private PageRules() {
    }

    public static Optional<Violation> limit(long limit) {
        return limit >= 1 && limit <= MAX_LIMIT ? Optional.empty() : Optional.of(new Violation("limit",
                "limit-range", INVALID, "limit must be a whole number from 1 to " + MAX_LIMIT));
    }
}
