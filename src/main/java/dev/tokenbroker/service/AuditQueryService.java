package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditFilter;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.audit.ChainVerification;
import dev.tokenbroker.audit.ChainVerifier;
import dev.tokenbroker.audit.StoredEvent;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.policy.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Reading the audit log: auditors see everything and may verify the chain; others see what they caused. */
@ApplicationScoped
public class AuditQueryService {

    public static final int MAX_PAGE = 500;

    private final AuditStore store;
    private final ChainVerifier verifier;
    private final String auditorScope;

    @Inject
    public AuditQueryService(AuditStore store, ChainVerifier verifier, BrokerConfig config) {
        this.store = store;
        this.verifier = verifier;
        this.auditorScope = config.audit().auditorScope();
    }

    /** One page, newest first: records with seq below {@code beforeSeq}, at most {@code limit}. */
    public List<StoredEvent> events(Caller caller, AuditFilter filter, Long beforeSeq, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidQueryException("limit", "limit must be between 1 and " + MAX_PAGE);
        }
        Lookups.plainText("caller", filter.callerUsername());
        Lookups.plainText("username", filter.targetUsername());
        Lookups.plainText("token_key", filter.tokenKey());
        boolean auditor = caller.holds(auditorScope);
        String asked = filter.callerUsername();
        if (!auditor && asked != null && !asked.equals(caller.username())) {
            throw new AccessDeniedException("only holders of " + auditorScope + " may see other callers' records");
        }
        AuditFilter visible = auditor ? filter : filter.withCaller(caller.username());
        return store.find(visible, beforeSeq, limit);
    }

    /**
     * The issuance that minted the token with this key, if the caller may see it
     * (auditors: any; others: their own). Invisible and unknown look the same.
     */
    public Optional<StoredEvent> issuanceOf(Caller caller, String tokenKey) {
        if (!Lookups.isTokenKey(tokenKey)) {
            return Optional.empty();
        }
        AuditFilter filter = new AuditFilter(null, null, AuditOutcome.ISSUED, tokenKey, null, null);
        AuditFilter visible = caller.holds(auditorScope) ? filter : filter.withCaller(caller.username());
        return store.find(visible, null, 1).stream().findFirst();
    }

    public ChainVerification verify(Caller caller) {
        if (!caller.holds(auditorScope)) {
            throw new AccessDeniedException("only holders of " + auditorScope + " may verify the audit chain");
        }
        return verifier.verify();
    }
}
