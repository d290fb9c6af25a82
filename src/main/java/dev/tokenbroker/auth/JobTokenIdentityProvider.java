package dev.tokenbroker.auth;

import dev.tokenbroker.oidc.JobTokenException;
import dev.tokenbroker.oidc.JobTokenVerifier;
import dev.tokenbroker.oidc.VerifiedJobToken;
import dev.tokenbroker.policy.JobTokenRules;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * A CI job at the door of the exchange route: its OIDC identity token verified with its trusted
 * issuer's keys ({@link JobTokenVerifier}) and its claims accepted by {@link JobTokenRules}, or
 * refused (401; 503 when the issuer's keys cannot be fetched). The identity carries the
 * verified token's claims, never the token.
 */
@ApplicationScoped
public class JobTokenIdentityProvider implements IdentityProvider<JobTokenAuthenticationRequest> {

    static final String JOB_ATTRIBUTE = VerifiedJobToken.class.getName();

    @Inject
    JobTokenVerifier verifier;

    @Inject
    JobTokenRules.Limits limits;

    @Inject
    Clock clock;

    @Override
    public Class<JobTokenAuthenticationRequest> getRequestType() {
        return JobTokenAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(JobTokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            VerifiedJobToken job;
            try {
                job = verifier.verify(request.token());
            } catch (JobTokenException e) {
                if (e.kind() == JobTokenException.Kind.ISSUER_UNAVAILABLE) {
                    throw new IssuerUnavailableException(e.getMessage());
                }
                throw new CallerAuthenticationException("invalid_token", e.rule() + ": " + e.getMessage());
            }
            JobTokenRules.check(job.claims(), job.issuer().url().toString(), job.issuer().audience(), clock.instant(),
                    limits).ifPresent(violation -> {
                        throw new CallerAuthenticationException("invalid_token",
                                violation.rule() + ": " + violation.message());
                    });
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(JobTokenRules.callerName(job.issuer().name(),
                            job.claims().subject())))
                    .addAttribute(JOB_ATTRIBUTE, job)
                    .build();
        });
    }

    /** The verified job token behind an identity this provider built. */
    public static VerifiedJobToken jobOf(SecurityIdentity identity) {
        VerifiedJobToken job = identity.getAttribute(JOB_ATTRIBUTE);
        if (job == null) {
            throw new IllegalStateException("not a CI job's identity");
        }
        return job;
    }
}
