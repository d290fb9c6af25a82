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

    private HashChain() {
    }

    public static StoredEvent link(long seq, String prevHash, AuditEvent event) {
        return new StoredEvent(seq, event, prevHash, hash(seq, prevHash, event));
    }

    public static String hash(long seq, String prevHash, AuditEvent event) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha256.update(canonical(seq, event).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static String canonical(long seq, AuditEvent e) {
        StringBuilder out = new StringBuilder(512);
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
        field(out, "scopes", e.scopeText());
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
