package dev.tokenbroker.policy;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tunable part of the issuance policy. The constructor refuses any combination
 * that could never be right, so a bad deployment stops at startup rather than at
 * the first request.
 */
public record PolicySettings(
        String usernamePrefix,
        Set<String> allowedScopes,
        Set<String> defaultScopes,
        Duration defaultLifetime,
        Duration maxLifetime,
        String adminScope,
        boolean allowServiceCallers) {

    /** Gafaelfawr's own floor for a token's lifetime. */
    public static final Duration MIN_LIFETIME = Duration.ofMinutes(5);

    /** Scope prefixes Gafaelfawr reserves for itself: a minted bot must never hold one. */
    public static final List<String> RESERVED_SCOPE_PREFIXES = List.of("admin:", "user:");

    private static final Pattern SCOPE = Pattern.compile("^[a-zA-Z0-9:._-]+$");
    private static final Pattern PREFIX = Pattern.compile("^bot-[a-z0-9-]*$");

    public PolicySettings {
        if (usernamePrefix == null || !PREFIX.matcher(usernamePrefix).matches()) {
            throw new InvalidSettingException("username-prefix",
                    "must start with \"bot-\" and contain only lowercase letters, digits and hyphens");
        }
        allowedScopes = Set.copyOf(new LinkedHashSet<>(allowedScopes));
        defaultScopes = Set.copyOf(new LinkedHashSet<>(defaultScopes));
        if (allowedScopes.isEmpty()) {
            throw new InvalidSettingException("allowed-scopes", "must name at least one scope");
        }
        for (String scope : allowedScopes) {
            if (!SCOPE.matcher(scope).matches()) {
                throw new InvalidSettingException("allowed-scopes", "\"" + scope + "\" is not a valid scope name");
            }
            if (isReserved(scope)) {
                throw new InvalidSettingException("allowed-scopes", "\"" + scope
                        + "\" can never be allowed: admin: and user: scopes are reserved by Gafaelfawr");
            }
        }
        if (defaultScopes.isEmpty()) {
            throw new InvalidSettingException("default-scopes", "must name at least one scope");
        }
        for (String scope : defaultScopes) {
            if (!allowedScopes.contains(scope)) {
                throw new InvalidSettingException("default-scopes",
                        "\"" + scope + "\" is not in broker.policy.allowed-scopes");
            }
        }
        if (maxLifetime == null || maxLifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new InvalidSettingException("max-lifetime", "must be at least " + MIN_LIFETIME);
        }
        if (defaultLifetime == null || defaultLifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new InvalidSettingException("default-lifetime", "must be at least " + MIN_LIFETIME);
        }
        if (defaultLifetime.compareTo(maxLifetime) > 0) {
            throw new InvalidSettingException("default-lifetime",
                    "must not exceed broker.policy.max-lifetime (" + maxLifetime + ")");
        }
        if (adminScope == null || adminScope.isBlank()) {
            throw new InvalidSettingException("admin-scope", "must not be empty");
        }
    }

    public static boolean isReserved(String scope) {
        return RESERVED_SCOPE_PREFIXES.stream().anyMatch(scope::startsWith);
    }
}
