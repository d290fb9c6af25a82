package dev.tokenbroker.emulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Seeds of the Gafaelfawr emulator (dev mode and tests only; the packaged jar has no emulator). */
@ConfigMapping(prefix = "broker.emulator")
public interface EmulatorSettings {

    /** A token with admin:token, for the broker itself. */
    Optional<String> adminToken();

    @WithDefault("bot-token-broker")
    String adminUsername();

    /** A person's token to call the broker with, e.g. from Swagger UI. */
    Optional<String> demoToken();

    @WithDefault("demo-user")
    String demoUsername();

    @WithDefault("write:sasquatch")
    List<String> demoScopes();

    /** The environment's known scopes; Gafaelfawr refuses any other. */
    @WithDefault("write:sasquatch,read:sasquatch,read:tap,read:image,exec:admin,exec:notebook,exec:portal,"
            + "exec:internal-tools,write:files,admin:userinfo,admin:jupyterlab,admin:token,user:token")
    List<String> knownScopes();
}
