package dev.tokenbroker.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One audit record before it is linked into the chain. Never holds a token
 * secret: only token keys. Free-text fields are cut to their column widths here,
 * before hashing, so the stored row and its hash always agree.
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
        scopes = scopes == null ? null : List.copyOf(scopes);
        requestId = cut(requestId, 128);
        callerUsername = cut(callerUsername, 64);
        callerTokenType = cut(callerTokenType, 16);
        clientAddress = cut(clientAddress, 64);
        userAgent = cut(userAgent, 256);
        targetUsername = cut(targetUsername, 128);
        displayName = cut(displayName, 256);
        reason = cut(reason, 1024);
    }

    /** Scopes as stored: space-separated, as in OAuth. */
    String scopeText() {
        return scopes == null ? null : cut(String.join(" ", scopes), 1024);
    }

    private static String cut(String text, int maxChars) {
        if (text == null || text.length() <= maxChars) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }
}
