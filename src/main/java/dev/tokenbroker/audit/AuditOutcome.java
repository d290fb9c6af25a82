package dev.tokenbroker.audit;

import java.util.Locale;

/** The state an audit record reports. */
public enum AuditOutcome {
    /** Intent written before Gafaelfawr is called; a later record of the same issuance says how it ended. */
    PENDING,
    /** Gafaelfawr minted the token and the caller was given it. */
    ISSUED,
    /** The policy refused the request; Gafaelfawr was not called. */
    DENIED,
    /** Gafaelfawr certainly did not mint (refused, unreachable, credential rejected). */
    FAILED,
    /** Gafaelfawr may have minted (timeout, unreadable answer): reconcile by hand or later. */
    UNKNOWN,
    /** Minted, but its audit could not be completed, so the token was revoked and never delivered. */
    COMPENSATED,
    /** A caller became the sole owner of a bot nobody knew (action claim). */
    CLAIMED,
    /** A bot's owners were replaced (action set-owners); the reason lists the new ones. */
    OWNERS_CHANGED,
    /** A token was revoked in Gafaelfawr on someone's behalf (action revoke). */
    REVOKED,
    /** A bot's trust policy was created or replaced (action set-policy); the reason says what it allows. */
    POLICY_SET,
    /** A bot's trust policy was deleted (action delete-policy). */
    POLICY_DELETED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static AuditOutcome fromLabel(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
