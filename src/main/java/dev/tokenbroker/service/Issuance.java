package dev.tokenbroker.service;

import dev.tokenbroker.policy.Caller;
import dev.tokenbroker.policy.TokenRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.TreeSet;

/**
 * One issuance, whatever asked for it: a mint, or a rotation's replacement. Both take the
 * same path ({@link TokenIssuanceService#issue}); an Idempotency-Key, when sent, wraps it.
 *
 * @param idempotencyKey as sent, null when absent
 * @param fingerprint the request as the caller sent it, hashed: the same key with another
 *     request is refused
 * @param replaces the key of the token a rotation replaces, or null
 * @param beforeFirstMint what must still hold when this is not a replay of a completed
 *     attempt (a rotation: the old token is active), checked after the key is claimed
 * @param trustPolicy the trust policy that admitted a CI job's exchange (it stands in for the
 *     bot's ownership), or null: the bot's owners decide
 * @param note what the audit records of this issuance add to their reason (a federated
 *     caller's issuer, subject, policy and job token's digest), or null
 */
record Issuance(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey,
        String fingerprint, String replaces, Runnable beforeFirstMint, String trustPolicy, String note) {

    Issuance(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey, String fingerprint,
            String replaces, Runnable beforeFirstMint) {
        this(caller, request, context, idempotencyKey, fingerprint, replaces, beforeFirstMint, null, null);
    }

    /** A CI job's exchange, admitted by {@code trustPolicy}: a mint whose ownership check the policy replaces. */
    static Issuance federated(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey,
            String lifetimeAsSent, String trustPolicy, String note) {
        // The request as sent: its expiry is computed from now, so a retry would never match it.
        return new Issuance(caller, request, context, idempotencyKey, fingerprint("federated", request.username(),
                request.scopes() == null ? null : String.join("\u0000", request.scopes()), lifetimeAsSent), null,
                () -> { }, trustPolicy, note);
    }

    /** The reason of an audit record of this issuance, with its note. */
    String reason(String reason) {
        return note == null ? reason : reason == null ? note : reason + "; " + note;
    }

    static Issuance mint(Caller caller, TokenRequest request, RequestContext context, String idempotencyKey) {
        return new Issuance(caller, request, context, idempotencyKey, fingerprint("mint", request.username(),
                request.name(), request.tokenType(),
                request.scopes() == null ? null : String.join("\u0000", request.scopes()),
                request.expires() == null ? null : Long.toString(request.expires().getEpochSecond()),
                String.join("\u0000", new TreeSet<>(request.otherFields()))), null, () -> { });
    }

    static Issuance rotation(Caller caller, TokenRequest replacement, RequestContext context, String idempotencyKey,
            String replaces, Duration grace, Runnable oldTokenActive) {
        return new Issuance(caller, replacement, context, idempotencyKey, fingerprint("rotate", replaces,
                replacement.expires() == null ? null : Long.toString(replacement.expires().getEpochSecond()),
                grace.toString()), replaces, oldTokenActive);
    }

    /** Fields of a request, each length-prefixed (null apart from empty), hashed. */
    private static String fingerprint(String... fields) {
        StringBuilder canonical = new StringBuilder();
        for (String field : fields) {
            canonical.append(field == null ? "-1" : Integer.toString(field.length())).append(':')
                    .append(field == null ? "" : field).append(';');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
