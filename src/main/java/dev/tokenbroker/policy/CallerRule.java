package dev.tokenbroker.policy;

import static dev.tokenbroker.policy.Violation.Kind.FORBIDDEN;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call the broker at all, on any route: decided once per request, before the
 * route runs (auth applies it), so a new route inherits it. Per-route rules then only
 * say owner, admin or requester.
 *
 * <p>Admitted: people (session, user, notebook tokens, and internal tokens that
 * Gafaelfawr's ingress delegated to the broker) and bots (service tokens, or any token of
 * a bot- user; they may read what concerns their own bot, see {@link BotAccess}). Refused:
 * an internal token delegated to another application, directly or behind the ingress
 * ({@code X-Auth-Request-Service}), and token types that stand for nobody here (oidc).
 */
public final class CallerRule {

    /** Token types that stand for a person (internal: delegated by Gafaelfawr's ingress). */
    static final Set<String> PERSONAL_TOKEN_TYPES = Set.of("session", "user", "notebook", "internal");

    private final String delegatedService;
    private final Set<String> trustedPresentingServices;

    /**
     * @param delegatedService the service the broker's GafaelfawrIngress delegates to
     * @param trustedPresentingServices applications whose delegated tokens may stand for their user here
     *        (none by default)
     */
    public CallerRule(String delegatedService, Set<String> trustedPresentingServices) {
        if (delegatedService == null || delegatedService.isBlank()) {
            throw new InvalidSettingException("delegated-service", "must name the service the ingress delegates to");
        }
        this.delegatedService = delegatedService;
        this.trustedPresentingServices = new HashSet<>(trustedPresentingServices);
        this.trustedPresentingServices.add(delegatedService);
    }

    /** The one route a CI job's OIDC identity token is accepted by, and a Gafaelfawr token is not. */
    public static boolean isExchange(String method, String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return "POST".equals(method) && (trimmed.equals("/federated-tokens") || trimmed.endsWith("/federated-tokens"));
    }

    /** Why this caller may not call this route at all (the exchange takes job tokens only), or empty when it may. */
    public Optional<Violation> refusal(Caller caller, boolean exchange) {
        if (exchange) {
            return Optional.of(new Violation("Authorization", "job-token-required", FORBIDDEN,
                    "POST /federated-tokens takes a CI job's OIDC identity token; mint with POST /service-tokens"));
        }
        return refusal(caller);
    }

    /** Why this caller may not call the broker at all, or empty when it may. */
    public Optional<Violation> refusal(Caller caller) {
        if ("internal".equals(caller.tokenType()) && !delegatedService.equals(caller.service())) {
            // Gafaelfawr hands every application its users' internal tokens: only ours may stand for the user here.
            return Optional.of(delegatedElsewhere("this internal token was delegated to "
                    + named(caller.service()) + ", not to \"" + delegatedService + "\""));
        }
        if (caller.presentedService() != null && !trustedPresentingServices.contains(caller.presentedService())) {
            // The ingress re-delegated to us a token that was itself another application's.
            return Optional.of(delegatedElsewhere("the token presented to the ingress was delegated to "
                    + named(caller.presentedService()) + ", which may not act for its user here"));
        }
        if (!caller.isBot() && !PERSONAL_TOKEN_TYPES.contains(caller.tokenType())) {
            return Optional.of(new Violation(null, "caller-token-type", FORBIDDEN,
                    "callers presenting a token of type \"" + caller.tokenType() + "\" may not use the broker"));
        }
        return Optional.empty();
    }

    private static Violation delegatedElsewhere(String why) {
        return new Violation(null, "caller-delegated-elsewhere", FORBIDDEN,
                why + "; present your own token, or one delegated to the broker");
    }

    /** A service name as Gafaelfawr writes them; anything else (a header sent by hand) is not repeated. */
    private static String named(String service) {
        if (service == null) {
            return "no service";
        }
        return SERVICE_NAME.matcher(service).matches() ? "the service \"" + service + "\"" : "another service";
    }

    private static final java.util.regex.Pattern SERVICE_NAME = java.util.regex.Pattern.compile("^[a-z0-9-]{1,64}$");
}
