package dev.tokenbroker.oidc;

import java.net.URI;
import java.util.List;

/**
 * An OIDC issuer whose job tokens the broker accepts, as configured: its name (what trust
 * policies refer to), its issuer URL (compared exactly with {@code iss} and with the discovery
 * document's {@code issuer}), the audience its tokens must carry, the signing algorithms allowed
 * (never {@code none} or HMAC), and whether plain HTTP is allowed (loopback tests only).
 */
public record TrustedIssuer(String name, URI url, String audience, List<String> algorithms, boolean insecure) {

    public TrustedIssuer {
        algorithms = List.copyOf(algorithms);
    }

    /** The discovery document: {@code <issuer>/.well-known/openid-configuration}. */
    URI discovery() {
        String base = url.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/.well-known/openid-configuration");
    }
}
