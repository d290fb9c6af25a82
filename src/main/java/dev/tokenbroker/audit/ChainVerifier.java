package dev.tokenbroker.audit;

import dev.tokenbroker.config.BrokerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Recomputes the sealed hash chain from the first link to the head and reports
 * the first broken or missing link, a record that is neither sealed nor queued
 * for sealing (written behind the broker's back), and records that stayed
 * unsealed longer than {@code broker.audit.max-unsealed-age} (the sealer is not
 * running). Everything is read in one snapshot, so appends and seals committed
 * while it runs neither show up nor look foreign.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int BATCH = 1000;

    private final AuditStore store;
    private final Clock clock;
    private final Duration maxUnsealedAge;

    @Inject
    public ChainVerifier(AuditStore store, Clock clock, BrokerConfig config) {
        this.store = store;
        this.clock = clock;
        this.maxUnsealedAge = config.audit().maxUnsealedAge();
    }

    public ChainVerification verify() {
        return store.inSnapshot(snapshot -> {
            try {
                return verify(snapshot);
            } catch (SQLException e) {
                throw new AuditStore.UncheckedSqlException(e);
            }
        });
    }

    private ChainVerification verify(AuditStore.Snapshot snapshot) throws SQLException {
        ChainHead head = snapshot.head();
        long unsealed = snapshot.unsealed();
        long expectedSeq = 1;
        String previousHash = HashChain.GENESIS;
        long checked = 0;
        while (true) {
            List<AuditStore.SealedRecord> batch = snapshot.chainAfter(expectedSeq - 1, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (AuditStore.SealedRecord sealed : batch) {
                ChainLink link = sealed.link();
                String problem = null;
                if (link.seq() > head.seq()) {
                    problem = "link is beyond the chain head (seq " + head.seq() + "): written outside the broker";
                } else if (link.seq() != expectedSeq) {
                    return broken(checked, head, expectedSeq, "link is missing (the next present is seq "
                            + link.seq() + ")", unsealed);
                } else if (!link.prevHash().equals(previousHash)) {
                    problem = "prev_hash does not match the hash of the link before";
                } else if (sealed.record() == null) {
                    problem = "record is missing: the chain seals record " + sealed.eventId() + ", which is gone";
                } else if (!HashChain.hash(sealed.record(), link.seq(), previousHash).equals(link.hash())) {
                    problem = "record was altered: its hash does not match its content";
                }
                if (problem != null) {
                    return broken(checked, head, link.seq(), problem, unsealed);
                }
                previousHash = link.hash();
                expectedSeq++;
                checked++;
            }
        }
        if (checked != head.seq()) {
            return broken(checked, head, expectedSeq, "link is missing: the chain head says there are " + head.seq(),
                    unsealed);
        }
        if (!previousHash.equals(head.hash())) {
            return broken(checked, head, head.seq(), "the chain head's hash does not match the last link", unsealed);
        }
        Long outside = snapshot.firstUnaccountedRecord();
        if (outside != null) {
            return broken(checked, head, outside, "record (entry " + outside + ") is neither sealed nor queued for"
                    + " sealing: written outside the broker", unsealed);
        }
        long stale = snapshot.unsealedSince(clock.instant().minus(maxUnsealedAge));
        if (stale > 0) {
            return broken(checked, head, null, stale + " record(s) stayed unsealed for more than " + maxUnsealedAge
                    + ": the sealer is not running", unsealed);
        }
        return new ChainVerification(true, checked, head, null, null, unsealed);
    }

    private static ChainVerification broken(long checked, ChainHead head, Long at, String problem, long unsealed) {
        return new ChainVerification(false, checked, head, at, problem, unsealed);
    }
}
