package dev.tokenbroker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;

/**
 * Every metric the broker publishes, named in one place. Label values come from
 * small fixed sets (rule ids, fault names, routes): never a username, a token
 * key or anything a caller chooses.
 */
@ApplicationScoped
public class BrokerMetrics {

    private final MeterRegistry registry;

    @Inject
    public BrokerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void issued() {
        registry.counter("broker.tokens.issued").increment();
    }

    /** @param rule a policy rule id, e.g. scope-not-held */
    public void denied(String rule) {
        registry.counter("broker.denials", "rule", rule).increment();
    }

    /** @param cause a fault name, e.g. timeout, audit_unavailable */
    public void failed(String cause) {
        registry.counter("broker.failures", "cause", cause.toLowerCase(Locale.ROOT)).increment();
    }

    /** @param revoked whether the unaudited token was revoked */
    public void compensation(boolean revoked) {
        registry.counter("broker.compensations", "result", revoked ? "revoked" : "revocation_failed").increment();
    }

    /** One lookup of a caller's token in the verified-caller cache. */
    public void claimed() {
        registry.counter("broker.bots.claimed").increment();
    }

    public void ownersChanged() {
        registry.counter("broker.bots.owners.changed").increment();
    }

    /** A revocation on someone's behalf: how = request (DELETE), rotation, or scheduled (after a grace). */
    public void revoked(String how) {
        registry.counter("broker.tokens.revoked", "how", how).increment();
    }

    public void rotated(boolean withGrace) {
        registry.counter("broker.tokens.rotated", "grace", Boolean.toString(withGrace)).increment();
    }

    /** A pending issuance resolved: compensated, failed, or undecided (Gafaelfawr could not be asked). */
    public void reconciled(String decision) {
        registry.counter("broker.reconciliations", "decision", decision).increment();
    }

    /** A mint with an Idempotency-Key: new, retried (after a failure), replayed, in_flight or mismatch. */
    public void idempotency(String result) {
        registry.counter("broker.idempotency", "result", result).increment();
    }

    public void callerCache(boolean hit) {
        registry.counter("broker.caller.cache", "result", hit ? "hit" : "miss").increment();
    }

    /** @param reason missing, invalid_request or invalid_token */
    public void unauthenticated(String reason) {
        registry.counter("broker.requests.unauthenticated", "reason", reason).increment();
    }

    /** Latency of one Gafaelfawr call; {@code route} is the route template, {@code outcome} a status or fault. */
    public Timer gafaelfawrCall(String route, String outcome) {
        return Timer.builder("broker.gafaelfawr.requests").tag("route", route).tag("outcome", outcome)
                .publishPercentileHistogram(false).register(registry);
    }

    /** Latency of one committed (or failed) audit append. */
    public Timer auditAppend(boolean committed) {
        return Timer.builder("broker.audit.append").tag("result", committed ? "committed" : "failed").register(registry);
    }
}
