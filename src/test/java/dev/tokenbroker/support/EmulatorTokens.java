package dev.tokenbroker.support;

import dev.tokenbroker.emulator.EmulatorState;
import java.util.List;

/** Caller tokens minted straight into the emulator, as Gafaelfawr would hold them. */
public final class EmulatorTokens {

    private EmulatorTokens() {
    }

    /** A token of the given type for {@code username}, never expiring; returns gt-<key>.<secret>. */
    public static String token(EmulatorState emulator, String username, String type, String... scopes) {
        String tokenName = "user".equals(type) ? "test" : null;
        return emulator.create(username, type, List.of(scopes), null, tokenName, null, username, "127.0.0.1").value();
    }

    /** A person's (user) token. */
    public static String person(EmulatorState emulator, String username, String... scopes) {
        return token(emulator, username, "user", scopes);
    }
}
