package dev.tokenbroker.policy;

import java.util.Locale;

/** A minted token's state, as Gafaelfawr sees it now. */
public enum TokenState {
    ACTIVE, EXPIRED, REVOKED;

    /**
     * The state of a token the broker issued, from its own record and Gafaelfawr's token list.
     * Gafaelfawr drops expired tokens from its lists (9.6.1) or keeps them until maintenance
     * purges them (15.x), so a token missing there is expired if its time is up, else revoked
     * outside the broker.
     *
     * @param upstreamExpires the token's expiry as Gafaelfawr lists it (epoch seconds, null
     *     when it never expires); ignored unless {@code listed}
     */
    public static TokenState of(boolean revokedHere, java.time.Instant expires, boolean listed, Long upstreamExpires,
            java.time.Instant now) {
        if (revokedHere) {
            return REVOKED;
        }
        if (listed) {
            return upstreamExpires != null && upstreamExpires <= now.getEpochSecond() ? EXPIRED : ACTIVE;
        }
        return expires.isAfter(now) ? REVOKED : EXPIRED;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
