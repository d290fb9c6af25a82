package dev.tokenbroker.auth;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.policy.Caller;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Verifies a bearer token with Gafaelfawr and makes the caller the request's
 * identity: principal = username, roles = scopes, and the {@link Caller} itself as
 * an attribute. The token is not kept in the identity.
 */
@ApplicationScoped
public class GafaelfawrIdentityProvider implements IdentityProvider<TokenAuthenticationRequest> {

    static final String CALLER_ATTRIBUTE = Caller.class.getName();

    @Inject
    CallerVerifier verifier;

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        GafaelfawrToken token = GafaelfawrToken.parse(request.getToken().getToken()).orElseThrow();
        return context.runBlocking(() -> {
            Caller caller = verifier.verify(token);
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(caller.username()))
                    .addRoles(caller.scopes())
                    .addAttribute(CALLER_ATTRIBUTE, caller)
                    .build();
        });
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
