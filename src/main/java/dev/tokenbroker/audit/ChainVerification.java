package dev.tokenbroker.audit;

/**
 * The result of recomputing the chain.
 *
 * @param brokenAt the seq of the first broken or missing link; null when intact
 * @param problem what is wrong there; null when intact
 */
public record ChainVerification(boolean intact, long eventsChecked, ChainHead head, Long brokenAt, String problem) {
}
