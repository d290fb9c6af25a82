package dev.tokenbroker.oidc;

import java.util.List;
import java.util.Optional;

/** The trusted issuers of job tokens, as configured and checked at start. */
public record TrustedIssuers(List<TrustedIssuer> all) {

    public TrustedIssuers {
        all = List.copyOf(all);
    }

    public Optional<TrustedIssuer> named(String name) {
        return all.stream().filter(i -> i.name().equals(name)).findFirst();
    }
}
