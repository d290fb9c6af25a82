package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditFilter;
import dev.tokenbroker.audit.AuditOutcome;
import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.audit.ChainVerification;
import dev.tokenbroker.audit.ChainVerifier;
import dev.tokenbroker.audit.StoredEvent;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/** Reading the audit log: auditors see everything and may verify the chain; others see what they caused. */
@ApplicationScoped
public class AuditQueryService {

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
    public List<AuditEntry> events(Caller caller, AuditFilter filter, Long beforeSeq, int limit) {
        Lookups.pageLimit(limit);
        Lookups.plainText("caller", filter.callerUsername());
        Lookups.plainText("username", filter.targetUsername());
        Lookups.plainText("token_key", filter.tokenKey());
        boolean auditor = caller.holds(auditorScope);
        String asked = filter.callerUsername();
        if (!auditor && asked != null && !asked.equals(caller.username())) {
            throw new AccessDeniedException("only holders of " + auditorScope + " may see other callers' records");
        }
        AuditFilter visible = auditor ? filter : filter.withCaller(caller.username());
        return store.find(visible, beforeSeq, limit).stream().map(AuditQueryService::entry).toList();
    }

    private static AuditEntry entry(StoredEvent stored) {
        return stored.link() == null ? new AuditEntry(stored.seq(), stored.event(), null, null, null)
                : new AuditEntry(stored.seq(), stored.event(), stored.link().seq(), stored.link().prevHash(),
                        stored.link().hash());
    }

    /**
     * The issuance that minted the token with this key, if the caller may see it
     * (auditors: any; others: their own). Invisible and unknown look the same.
     */
    Optional<StoredEvent> issuanceOf(Caller caller, String tokenKey) {
        if (!Names.isTokenKey(tokenKey)) {
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
