package dev.tokenbroker.auth;

import dev.tokenbroker.gafaelfawr.GafaelfawrToken;
import dev.tokenbroker.policy.CallerRule;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/**
 * Turns {@code Authorization: Bearer <token>} into an authentication request: a Gafaelfawr token
 * for every route, or, at the exchange route alone, a CI job's OIDC identity token (a JWT).
 */
@ApplicationScoped
public class GafaelfawrBearerMechanism implements HttpAuthenticationMechanism {

    public static final String REALM = "service-token-broker";

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String header = context.request().getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return Uni.createFrom().nullItem();
        }
        AuthenticationRequest request;
        try {
            String token = BearerHeader.value(header);
            if (GafaelfawrToken.parse(token).isEmpty() && BearerHeader.isJwt(token)) {
                if (!CallerRule.isExchange(context.request().method().name(), context.request().path())) {
                    throw new CallerAuthenticationException("invalid_token",
                            "a CI job's identity token is accepted only by POST /federated-tokens");
                }
                request = new JobTokenAuthenticationRequest(token);
            } else {
                request = new TokenAuthenticationRequest(
                        new TokenCredential(BearerHeader.token(header).secretValue(), "bearer"));
            }
        } catch (CallerAuthenticationException e) {
            return Uni.createFrom().failure(e);
        }
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(request, context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"" + REALM + "\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, JobTokenAuthenticationRequest.class);
    }
}
