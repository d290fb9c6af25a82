package dev.tokenbroker.service;

import dev.tokenbroker.policy.Names;
import dev.tokenbroker.policy.PageRules;
import dev.tokenbroker.policy.Violation;
import java.util.Optional;

/** Applies the rules of {@link Names} and {@link PageRules} to a listing's query: a broken value is a 400. */
final class Lookups {

    private Lookups() {
    }

    static void plainText(String field, String value) {
        refuse(Names.filterText(field, value));
    }

    static void pageLimit(long limit) {
        refuse(PageRules.limit(limit));
    }

    private static void refuse(Optional<Violation> violation) {
        violation.ifPresent(v -> {
            throw new InvalidQueryException(v.field(), v.message());
        });
    }
}
