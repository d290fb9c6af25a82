package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.FORBIDDEN;
import static dev.tokenbroker.policy.Violation.Kind.INVALID;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Every rule a service-token request must pass, and nothing else: no I/O, no clock
 * of its own. Each refusal names the field and the rule so that the caller can fix
 * the request without reading the source.
 */
public final class IssuancePolicy {

    public static final int MAX_USERNAME_LENGTH = 64;
    public static final int MAX_NAME_LENGTH = 256;

    /** Gafaelfawr's username rule (DMTN-225): lowercase, single inner hyphens, at least one letter. */
    static final Pattern USERNAME =
            Pattern.compile("^[a-z0-9](?:[a-z0-9]|-[a-z0-9])*[a-z](?:[a-z0-9]|-[a-z0-9])*$");

    /** Gafaelfawr's extra rule for service-token usernames. */
    static final Pattern BOT_USERNAME = Pattern.compile("^bot-[a-z0-9](?:[a-z0-9]|-[a-z0-9])*$");

    private final PolicySettings settings;

    public IssuancePolicy(PolicySettings settings) {
        this.settings = settings;
    }

    public PolicySettings settings() {
        return settings;
    }

    public Decision decide(Caller caller, TokenRequest request, Instant now) {
        List<Violation> violations = new ArrayList<>();
        checkCaller(caller, violations);
        checkOtherFields(request.otherFields(), violations);
        checkTokenType(request.tokenType(), violations);
        checkUsername(request.username(), violations);
        checkName(request.name(), violations);
        List<String> scopes = checkScopes(caller, request.scopes(), violations);
        Instant expires = checkExpiry(request.expires(), now, violations);
        if (!violations.isEmpty()) {
            return new Decision.Denied(violations);
        }
        return new Decision.Allowed(request.username(), request.name(), scopes, expires);
    }

    /** Who may call at all is {@link CallerRule}'s; here only whether this caller may mint. */
    private void checkCaller(Caller caller, List<Violation> violations) {
        if (caller.isBot() && !settings.allowServiceCallers()) {
            violations.add(new Violation(null, "service-caller", FORBIDDEN,
                    "bots (service tokens, or tokens of a bot- user) may not mint tokens"));
        }
    }

    private static void checkOtherFields(Set<String> fields, List<Violation> violations) {
        violations.addAll(BodyFields.refuse(fields));
    }

    private static void checkTokenType(String tokenType, List<Violation> violations) {
        if (tokenType != null && !tokenType.equals("service")) {
            violations.add(new Violation("token_type", "token-type", INVALID,
                    "token_type must be \"service\" when given: the broker mints service tokens only"));
        }
    }

    private void checkUsername(String username, List<Violation> violations) {
        Violation violation = usernameViolation(username);
        if (violation != null) {
            violations.add(violation);
        }
    }

    /** The first username rule broken, in the order Gafaelfawr checks them, or null. */
    private Violation usernameViolation(String username) {
        if (username == null || username.isEmpty()) {
            return invalidUsername("username-required", "username is required");
        }
        if (username.codePointCount(0, username.length()) > MAX_USERNAME_LENGTH) {
            return invalidUsername("username-length", "username must be at most " + MAX_USERNAME_LENGTH + " characters");
        }
        if (!USERNAME.matcher(username).matches()) {
            return invalidUsername("username-pattern", "username must be lowercase letters, digits and single hyphens"
                    + " between them, with at least one letter (Gafaelfawr's username rule)");
        }
        if (!BOT_USERNAME.matcher(username).matches()) {
            return invalidUsername("username-bot", "username of a service token must start with \"bot-\"");
        }
        if (!username.startsWith(settings.usernamePrefix())) {
            return invalidUsername("username-prefix", "username must start with \"" + settings.usernamePrefix() + "\"");
        }
        return null;
    }

    private static Violation invalidUsername(String rule, String message) {
        return new Violation("username", rule, INVALID, message);
    }

    private static void checkName(String name, List<Violation> violations) {
        if (name == null) {
            return;
        }
        int length = name.codePointCount(0, name.length());
        if (name.isBlank() || length > MAX_NAME_LENGTH) {
            violations.add(new Violation("name", "name-length", INVALID,
                    "name must be 1 to " + MAX_NAME_LENGTH + " characters and not blank when given"));
        } else if (!Text.isPrintable(name)) {
            violations.add(new Violation("name", "name-characters", INVALID,
                    "name must not contain control characters (such as NUL or a line break) or unpaired surrogates"));
        }
    }

    private List<String> checkScopes(Caller caller, List<String> requested, List<Violation> violations) {
        if (requested == null) {
            // Defaults are checked like any request: a caller must not gain by omitting the field.
            requested = List.copyOf(settings.defaultScopes());
        } else if (requested.isEmpty()) {
            violations.add(new Violation("scopes", "scopes-empty", INVALID,
                    "scopes must name at least one scope (omit the field for the default "
                            + new TreeSet<>(settings.defaultScopes()) + ")"));
            return List.of();
        }
        if (requested.stream().anyMatch(java.util.Objects::isNull)) {
            violations.add(new Violation("scopes", "scopes-null", INVALID, "scopes must not contain null"));
            return List.of();
        }
        TreeSet<String> scopes = new TreeSet<>(requested);
        boolean delegatesFreely = caller.holds(settings.adminScope());
        for (String scope : scopes) {
            if (!settings.allowedScopes().contains(scope)) {
                violations.add(new Violation("scopes", "scope-not-allowed", FORBIDDEN,
                        "scope \"" + scope + "\" is not allowed by the broker's policy (allowed: "
                                + new TreeSet<>(settings.allowedScopes()) + ")"));
            } else if (!delegatesFreely && !caller.holds(scope)) {
                violations.add(new Violation("scopes", "scope-not-held", FORBIDDEN,
                        "you may only request scopes your own token holds, and it lacks \"" + scope + "\""));
            }
        }
        return List.copyOf(scopes);
    }

    private Instant checkExpiry(Instant requested, Instant now, List<Violation> violations) {
        Instant start = now.truncatedTo(ChronoUnit.SECONDS);
        if (requested == null) {
            return start.plus(settings.defaultLifetime());
        }
        Instant expires = requested.truncatedTo(ChronoUnit.SECONDS);
        if (!expires.isAfter(now)) {
            violations.add(new Violation("expires", "expires-past", INVALID, "expires is in the past"));
        } else if (expires.isBefore(now.plus(PolicySettings.MIN_LIFETIME))) {
            violations.add(new Violation("expires", "expires-too-soon", INVALID,
                    "expires must be at least " + describe(PolicySettings.MIN_LIFETIME) + " from now"));
        } else if (expires.isAfter(now.plus(settings.maxLifetime()))) {
            violations.add(new Violation("expires", "expires-too-late", INVALID,
                    "expires must be at most " + describe(settings.maxLifetime()) + " from now"));
        }
        return expires;
    }

    private static String describe(Duration duration) {
        if (duration.toSeconds() % 86_400 == 0) {
            return duration.toDays() + " days";
        }
        if (duration.toSeconds() % 60 == 0) {
            return duration.toMinutes() + " minutes";
        }
        return duration.toSeconds() + " seconds";
    }
}
