package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.oidc.TrustedIssuer;
import dev.tokenbroker.oidc.TrustedIssuers;
import dev.tokenbroker.policy.BodyFields;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Decision;
import dev.tokenbroker.policy.IssuancePolicy;
import dev.tokenbroker.policy.Names;
import dev.tokenbroker.policy.TrustPolicy;
import dev.tokenbroker.policy.TrustPolicyRules;
import dev.tokenbroker.policy.Violation;
import dev.tokenbroker.registry.TrustPolicyStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A bot's trust policies, managed by its owners and admins and read by whoever may read the bot;
 * every change is audited in the same transaction. A policy belongs to its bot: removing the
 * owner who wrote it leaves it in force.
 */
@ApplicationScoped
public class TrustPolicyService {

    private final TrustPolicyStore store;
    private final BotService bots;
    private final AuditStore audit;
    private final TrustedIssuers issuers;
    private final IssuancePolicy issuance;
    private final BrokerConfig config;
    private final Clock clock;

    @Inject
    public TrustPolicyService(TrustPolicyStore store, BotService bots, AuditStore audit, TrustedIssuers issuers,
            IssuancePolicy issuance, BrokerConfig config, Clock clock) {
        this.store = store;
        this.bots = bots;
        this.audit = audit;
        this.issuers = issuers;
        this.issuance = issuance;
        this.config = config;
        this.clock = clock;
    }

    /** The bot's policies, if the caller may read the bot. */
    public Optional<List<TrustPolicy>> list(Caller caller, String username) {
        if (!Names.isBotName(username) || !bots.mayRead(caller, username)) {
            return Optional.empty();
        }
        return Optional.of(store.list(username));
    }

    public Optional<TrustPolicy> find(Caller caller, String username, String name) {
        return list(caller, username).flatMap(all -> all.stream().filter(p -> p.name().equals(name)).findFirst());
    }

    /** Creates or replaces a policy; empty when the caller may not see the bot. */
    public Optional<TrustPolicy> put(Caller caller, String username, String name, TrustPolicyDraft draft,
            RequestContext context) {
        if (!mayChange(caller, username)) {
            return Optional.empty();
        }
        bots.requireTouchable(username);
        List<Violation> violations = new ArrayList<>(BodyFields.refuse(draft.otherFields()));
        TrustPolicy policy = new TrustPolicy(name, draft.issuer(), draft.subject(), draft.subjectPattern(),
                draft.claims(), draft.claimPatterns(), draft.scopes(),
                TrustPolicyRules.lifetime("max_lifetime", draft.maxLifetime(), violations));
        violations.addAll(TrustPolicyRules.validate(policy,
                issuers.all().stream().map(TrustedIssuer::name).collect(Collectors.toSet()),
                issuance.settings().allowedScopes(), config.federation().maxLifetime()));
        if (!violations.isEmpty()) {
            throw new PolicyDeniedException(new Decision.Denied(violations));
        }
        Instant now = clock.instant();
        AuditStore.Appended appended = store.put(username, policy, caller.username(), now, audit.appendStep(
                ChangeRecord.of(caller, context, now, ChangeRecord.SET_POLICY, username, AuditOutcome.POLICY_SET,
                        describe(policy), null)));
        audit.published(appended);
        return Optional.of(policy);
    }

    /** Deletes a policy; false when the caller may not see the bot or it has no such policy. */
    public boolean delete(Caller caller, String username, String name, RequestContext context) {
        if (!mayChange(caller, username) || name == null || !TrustPolicyRules.NAME.matcher(name).matches()) {
            return false;
        }
        Instant now = clock.instant();
        Optional<AuditStore.Appended> appended = store.delete(username, name, audit.appendStep(
                ChangeRecord.of(caller, context, now, ChangeRecord.DELETE_POLICY, username,
                        AuditOutcome.POLICY_DELETED, "trust policy " + name, null)));
        appended.ifPresent(audit::published);
        return appended.isPresent();
    }

    /** Owners and admins change policies; a bot that may read itself is told it may not. */
    private boolean mayChange(Caller caller, String username) {
        if (!Names.isBotName(username)) {
            return false;
        }
        if (bots.mayManage(caller, username)) {
            return true;
        }
        if (bots.mayRead(caller, username)) {
            throw new AccessDeniedException("bot-caller-read-only",
                    "a bot's token may read its trust policies but never change them");
        }
        return false;
    }

    /** What the audit records of a policy: everything it allows. */
    static String describe(TrustPolicy policy) {
        return "trust policy " + policy.name() + ": issuer " + policy.issuer()
                + (policy.subject() != null ? ", subject " + policy.subject() : ", subject_pattern " + policy.subjectPattern())
                + (policy.claims().isEmpty() ? "" : ", claims " + new java.util.TreeMap<>(policy.claims()))
                + (policy.claimPatterns().isEmpty() ? "" : ", claim_patterns " + new java.util.TreeMap<>(policy.claimPatterns()))
                + ", scopes " + policy.scopes() + ", max_lifetime " + policy.maxLifetime();
    }
}
