package dev.tokenbroker.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code hash = SHA-256(previous hash || canonical record)}. The canonical form
 * length-prefixes every field, so no two different records encode alike.
 */
public final class HashChain {

    public static final String GENESIS = "0".repeat(64);

    /**
     * The format new records are written in. 1: scopes space-joined (could not
     * round-trip an empty scope or one with a space). 2: scopes as a JSON array,
     * and the format itself is hashed, so a record cannot be relabelled.
     */
    public static final int FORMAT = 2;

    private HashChain() {
    }

    /** Links a record written in the current format at position {@code seq}, after {@code prevHash}. */
    public static ChainLink link(long seq, String prevHash, AuditEvent event) {
        return new ChainLink(seq, prevHash, hash(FORMAT, seq, prevHash, event));
    }

    public static String hash(long seq, String prevHash, AuditEvent event) {
        return hash(FORMAT, seq, prevHash, event);
    }

    /** The hash a stored record must have at chain position {@code seq} after {@code prevHash}, in its own format. */
    public static String hash(StoredEvent stored, long seq, String prevHash) {
        return hash(stored.format(), seq, prevHash, stored.event());
    }

    static String hash(int format, long seq, String prevHash, AuditEvent event) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonical(format, seq, event).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String canonical(long seq, AuditEvent e) {
        return canonical(FORMAT, seq, e);
    }

    static String canonical(int format, long seq, AuditEvent e) {
        StringBuilder out = new StringBuilder(512);
        if (format > 1) {
            field(out, "format", Integer.toString(format));
        }
        field(out, "seq", Long.toString(seq));
        field(out, "id", e.id());
        field(out, "issuance_id", e.issuanceId());
        field(out, "event_time", Long.toString(e.time().toEpochMilli()));
        field(out, "request_id", e.requestId());
        field(out, "caller_username", e.callerUsername());
        field(out, "caller_token_key", e.callerTokenKey());
        field(out, "caller_token_type", e.callerTokenType());
        field(out, "client_address", e.clientAddress());
        field(out, "user_agent", e.userAgent());
        field(out, "action", e.action());
        field(out, "target_username", e.targetUsername());
        field(out, "display_name", e.displayName());
        field(out, "scopes", e.scopeText(format));
        field(out, "expires", e.expires() == null ? null : Long.toString(e.expires().getEpochSecond()));
        field(out, "outcome", e.outcome().label());
        field(out, "reason", e.reason());
        field(out, "token_key", e.tokenKey());
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append(name).append('=');
        if (value == null) {
            out.append('-');
        } else {
            out.append(value.length()).append(':').append(value);
        }
        out.append('\n');
    }
}
