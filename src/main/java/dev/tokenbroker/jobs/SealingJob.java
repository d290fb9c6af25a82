package dev.tokenbroker.jobs;

import dev.tokenbroker.audit.AuditStore;
import dev.tokenbroker.audit.AuditStoreException;
import dev.tokenbroker.config.BrokerConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Links appended audit records into the hash chain, every
 * {@code broker.audit.seal-interval}, draining the queue batch by batch. Every
 * replica runs it; the store lets one seal at a time and the others skip.
 */
@ApplicationScoped
public class SealingJob {

    private static final Logger LOG = Logger.getLogger(SealingJob.class);

    private final AuditStore store;
    private final int batch;

    @Inject
    public SealingJob(AuditStore store, BrokerConfig config) {
        this.store = store;
        this.batch = config.audit().sealBatch();
    }

    @Scheduled(every = "${broker.audit.seal-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void seal() {
        try {
            while (store.sealPending(batch) == batch) {
                // a backlog: keep going until the queue is shorter than a batch
            }
        } catch (AuditStoreException e) {
            // Records stay queued and durable; the next run seals them. Verification reports a long delay.
            LOG.warnf("audit sealing failed, will retry: %s", e.getMessage());
        }
    }
}
