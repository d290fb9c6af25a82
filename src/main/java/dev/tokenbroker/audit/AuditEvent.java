package dev.tokenbroker.audit;

import dev.tokenbroker.logging.SecretRedaction;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One audit record before it is linked into the chain. Never holds a token
 * secret: only token keys. Every text is made storable here, before hashing, so
 * that the stored row and its hash always agree whatever a request carried:
 * cut to its column's width, with what PostgreSQL cannot store (NUL, an
 * unpaired surrogate) replaced by U+FFFD, and with the secret of any token a
 * caller put into a text (a user agent, a name) redacted.
 */
public record AuditEvent(
        String id,
        String issuanceId,
        Instant time,
        String requestId,
        String callerUsername,
        String callerTokenKey,
        String callerTokenType,
        String clientAddress,
        String userAgent,
        String action,
        String targetUsername,
        String displayName,
        List<String> scopes,
        Instant expires,
        AuditOutcome outcome,
        String reason,
        String tokenKey) {

    public AuditEvent {
        time = time.truncatedTo(ChronoUnit.MILLIS);
        expires = expires == null ? null : expires.truncatedTo(ChronoUnit.SECONDS);
        scopes = scopes == null ? null
                : scopes.stream().limit(MAX_SCOPES).map(s -> storable(s, MAX_SCOPE_CHARS)).toList();
        requestId = storable(requestId, 128);
        callerUsername = storable(callerUsername, 64);
        callerTokenType = storable(callerTokenType, 16);
        clientAddress = storable(clientAddress, 64);
        userAgent = storable(userAgent, 256);
        targetUsername = storable(targetUsername, 128);
        displayName = storable(displayName, 256);
        reason = storable(reason, 1024);
    }

    /** Bounds on the scopes a record keeps (a denied request may list thousands): their text fits its column. */
    static final int MAX_SCOPES = 100;
    static final int MAX_SCOPE_CHARS = 256;

    /** Scopes as stored and hashed in the given record format. */
    String scopeText(int format) {
        return ScopeList.encode(format, scopes);
    }

    private static String storable(String raw, int maxChars) {
        if (raw == null) {
            return null;
        }
        String text = SecretRedaction.redact(raw);
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars));
        for (int i = 0; i < text.length() && out.length() < maxChars; i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out.length() + 2 > maxChars) {
                    break;
                }
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == 0 || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
