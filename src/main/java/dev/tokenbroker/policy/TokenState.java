package dev.tokenbroker.service;

import java.util.Locale;

/** A minted token's state, as Gafaelfawr sees it now. */
public enum TokenState {
    ACTIVE, EXPIRED, REVOKED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenState fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
