package dev.tokenbroker.policy;

/**
 * One broken rule.
 *
 * @param field the request field at fault, by its JSON name; null when the rule is about the caller
 * @param rule a stable identifier of the rule, for clients and metrics
 * @param kind whether the request is malformed or the caller is not allowed it
 */
public record Violation(String field, String rule, Kind kind, String message) {

    public enum Kind {
        /** The request itself can never be granted as written. */
        INVALID,
        /** The request is well formed, but this caller may not have it. */
        FORBIDDEN
    }
}
