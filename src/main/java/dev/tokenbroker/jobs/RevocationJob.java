package dev.tokenbroker.jobs;

import dev.tokenbroker.service.TokenService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Revokes rotated tokens whose grace has ended, every {@code broker.rotation.revocation-interval}.
 * The schedule lives in the database, so it survives restarts; every replica runs the job and
 * each due revocation is claimed by one of them.
 */
@ApplicationScoped
public class RevocationJob {

    private static final Logger LOG = Logger.getLogger(RevocationJob.class);
    private static final int BATCH = 50;

    private final TokenService tokens;

    @Inject
    public RevocationJob(TokenService tokens) {
        this.tokens = tokens;
    }

    @Scheduled(every = "${broker.rotation.revocation-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void revokeDue() {
        try {
            while (tokens.revokeDue(BATCH) == BATCH) {
                // a backlog: keep going
            }
        } catch (RuntimeException e) {
            // Nothing was lost: due revocations stay in the database for the next run.
            LOG.warnf("scheduled revocations failed, will retry: %s", e.getMessage());
        }
    }
}
