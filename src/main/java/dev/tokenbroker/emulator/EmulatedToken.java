package dev.tokenbroker.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A token the emulator knows; times are epoch seconds, {@code expires} null for never,
 * {@code service} the application an internal token was delegated to (else null).
 */
public record EmulatedToken(String key, String secret, String username, String tokenType, List<String> scopes,
        long created, Long expires, String tokenName, String service) {

    public EmulatedToken(String key, String secret, String username, String tokenType, List<String> scopes,
            long created, Long expires, String tokenName) {
        this(key, secret, username, tokenType, scopes, created, expires, tokenName, null);
    }

    public EmulatedToken {
        scopes = scopes.stream().distinct().sorted().toList();
    }

    public String value() {
        return "gt-" + key + "." + secret;
    }

    boolean expiredAt(long now) {
        return expires != null && expires <= now;
    }

    /** The token-info representation: null fields omitted, scopes sorted. */
    Map<String, Object> info() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("token", key);
        info.put("username", username);
        info.put("token_type", tokenType);
        if (tokenName != null) {
            info.put("token_name", tokenName);
        }
        if (service != null) {
            info.put("service", service);
        }
        info.put("scopes", scopes);
        info.put("created", created);
        if (expires != null) {
            info.put("expires", expires);
        }
        return info;
    }
}
