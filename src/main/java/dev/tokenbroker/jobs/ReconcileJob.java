package dev.tokenbroker.jobs;

import dev.tokenbroker.registry.JobLocks;
import dev.tokenbroker.service.Reconciliation;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Resolves issuances left pending by a crash or a timeout, every {@code broker.reconcile.interval},
 * on one replica at a time (a PostgreSQL advisory lock; the others skip that run).
 */
@ApplicationScoped
public class ReconcileJob {

    private static final Logger LOG = Logger.getLogger(ReconcileJob.class);
    private static final long LOCK = 0x5e41_0f_4ec0L;
    private static final int BATCH = 100;

    private final Reconciliation reconciliation;
    private final JobLocks locks;

    @Inject
    public ReconcileJob(Reconciliation reconciliation, JobLocks locks) {
        this.reconciliation = reconciliation;
        this.locks = locks;
    }

    @Scheduled(every = "${broker.reconcile.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        try {
            locks.alone(LOCK, () -> reconciliation.reconcile(BATCH));
        } catch (RuntimeException e) {
            // Nothing was decided: pending issuances stay pending for the next run.
            LOG.warnf("reconciliation failed, will retry: %s", e.getMessage());
        }
    }
}
