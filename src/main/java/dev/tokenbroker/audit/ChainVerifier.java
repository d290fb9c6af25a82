package dev.tokenbroker.audit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;

/**
 * Recomputes the hash chain from the first record to the head and reports the
 * first broken or missing link. The head and every record are read in one
 * snapshot, so appends committed while it runs neither show up nor look foreign.
 */
@ApplicationScoped
public class ChainVerifier {

    private static final int BATCH = 1000;

    private final AuditStore store;

    @Inject
    public ChainVerifier(AuditStore store) {
        this.store = store;
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

    private static ChainVerification verify(AuditStore.Snapshot snapshot) throws SQLException {
        ChainHead head = snapshot.head();
        long expectedSeq = 1;
        String previousHash = HashChain.GENESIS;
        long checked = 0;
        while (true) {
            List<StoredEvent> batch = snapshot.inChainOrder(expectedSeq - 1, BATCH);
            if (batch.isEmpty()) {
                break;
            }
            for (StoredEvent stored : batch) {
                if (stored.seq() > head.seq()) {
                    return broken(checked, head, stored.seq(), "record is beyond the chain head (seq "
                            + head.seq() + "): appended outside the broker");
                }
                if (stored.seq() != expectedSeq) {
                    return broken(checked, head, expectedSeq, "record is missing (the next present is seq "
                            + stored.seq() + ")");
                }
                if (!stored.prevHash().equals(previousHash)) {
                    return broken(checked, head, stored.seq(), "prev_hash does not match the hash of the record before");
                }
                if (!HashChain.hash(stored, previousHash).equals(stored.hash())) {
                    return broken(checked, head, stored.seq(), "record was altered: its hash does not match its content");
                }
                previousHash = stored.hash();
                expectedSeq++;
                checked++;
            }
        }
        if (checked != head.seq()) {
            return broken(checked, head, expectedSeq, "record is missing: the chain head says there are " + head.seq());
        }
        if (!previousHash.equals(head.hash())) {
            return broken(checked, head, head.seq(), "the chain head's hash does not match the last record");
        }
        return new ChainVerification(true, checked, head, null, null);
    }

    private static ChainVerification broken(long checked, ChainHead head, long seq, String problem) {
        return new ChainVerification(false, checked, head, seq, problem);
    }
}
