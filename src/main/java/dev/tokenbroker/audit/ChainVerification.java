package dev.tokenbroker.audit;

/**
 * The result of recomputing the chain.
 *
 * @param brokenAt the chain position of the first broken or missing link, or the entry of a record outside
 *        the chain; null when intact
 * @param problem what is wrong there; null when intact
 * @param unsealed records appended but not yet linked into the chain (normal for a moment after each append)
 */
public record ChainVerification(boolean intact, long eventsChecked, ChainHead head, Long brokenAt, String problem,
        long unsealed) {
}
