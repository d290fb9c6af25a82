package dev.tokenbroker.auth;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.CallerRule;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Verifies a bearer token with Gafaelfawr and makes the caller the request's
 * identity: principal = username, roles = scopes, and the {@link Caller} itself as
 * an attribute. The token is not kept in the identity. Here, once for every route,
 * {@link CallerRule} decides whether this caller may call the broker at all.
 */
@ApplicationScoped
public class GafaelfawrIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    static final String CALLER_ATTRIBUTE = Caller.class.getName();
    /** Set by Gafaelfawr's ingress (12.0+), which overwrites whatever a client sent. */
    public static final String PRESENTED_SERVICE_HEADER = "X-Auth-Request-Service";

    @Inject
    CallerVerifier verifier;

    @Inject
    CallerRule rule;

    @Inject
    RefusedCallers refused;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        GafaelfawrToken token = GafaelfawrToken.parse(request.getToken().getToken()).orElseThrow();
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String presented = http == null ? null : http.request().getHeader(PRESENTED_SERVICE_HEADER);
        boolean fresh = http != null && managesAccess(http.request().method().name(), http.request().path());
        return context.runBlocking(() -> {
            // The verified caller is cached by token; what the ingress says is this request's alone.
            Caller caller = (fresh ? verifier.verifyFresh(token) : verifier.verify(token)).presentedVia(presented);
            boolean exchange = http != null && CallerRule.isExchange(http.request().method().name(), http.request().path());
            rule.refusal(caller, exchange).ifPresent(violation -> {
                throw refused.refuse(caller, violation, http == null ? null : http.request().path());
            });
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(caller.username()))
                    .addRoles(caller.scopes())
                    .addAttribute(CALLER_ATTRIBUTE, caller)
                    .build();
        });
    }

    /**
     * Requests that change who may act or what stays live (an owner change, a revocation, a
     * rotation: every PUT and DELETE, and a POST to one token) are decided on the caller as
     * Gafaelfawr sees it now, not as cached: a revoked token or a lost group membership stops
     * them at once. Mints and reads trust the cache for up to broker.auth.cache-ttl (30 s).
     */
    static boolean managesAccess(String method, String path) {
        return switch (method) {
            case "PUT", "DELETE", "PATCH" -> true;
            case "POST" -> path.endsWith("/rotate");
            default -> false;
        };
    }

    /** The caller behind an identity this provider built. */
    public static Caller callerOf(SecurityIdentity identity) {
        Caller caller = identity.getAttribute(CALLER_ATTRIBUTE);
        if (caller == null) {
            throw new IllegalStateException("the request's identity was not established by a Gafaelfawr token");
        }
        return caller;
    }
}
