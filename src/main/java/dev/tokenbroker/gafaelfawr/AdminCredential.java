package dev.tokenbroker.gafaelfawr;

import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.config.InvalidConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The broker's {@code admin:token} token, from configuration or from a file. A file
 * is re-read on every use: Gafaelfawr re-mints the Secret behind it when the token
 * stops working, and the broker should follow without a restart.
 */
@ApplicationScoped
public class AdminCredential {

    static final String TOKEN_KEY = "broker.gafaelfawr.admin-token";
    static final String FILE_KEY = "broker.gafaelfawr.admin-token-file";

    private final Optional<String> token;
    private final Optional<Path> file;

    @Inject
    public AdminCredential(BrokerConfig config) {
        this.token = config.gafaelfawr().adminToken().map(String::strip).filter(t -> !t.isEmpty());
        this.file = config.gafaelfawr().adminTokenFile();
    }

    /** Fails with the key at fault when the configuration can never yield a usable token. */
    public void check() {
        if (token.isPresent() && file.isPresent()) {
            throw new InvalidConfigurationException(TOKEN_KEY, "set either it or " + FILE_KEY + ", not both");
        }
        if (token.isEmpty() && file.isEmpty()) {
            throw new InvalidConfigurationException(TOKEN_KEY,
                    "is required (or " + FILE_KEY + "): the broker cannot mint without an admin:token token");
        }
        current();
    }

    /** The token to present now. */
    public GafaelfawrToken current() {
        if (token.isPresent()) {
            return GafaelfawrToken.parse(token.get()).orElseThrow(() -> new InvalidConfigurationException(TOKEN_KEY,
                    "is not a Gafaelfawr token (expected gt-<key>.<secret>)"));
        }
        Path path = file.orElseThrow(() -> new InvalidConfigurationException(TOKEN_KEY, "is required"));
        String content;
        try {
            content = Files.readString(path).strip();
        } catch (IOException e) {
            throw new InvalidConfigurationException(FILE_KEY, "cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
        return GafaelfawrToken.parse(content).orElseThrow(() -> new InvalidConfigurationException(FILE_KEY,
                path + " does not hold a Gafaelfawr token (expected gt-<key>.<secret>)"));
    }

    String authorization() {
        return "bearer " + current().secretValue();
    }
}
