package dev.tokenbroker.service;

import dev.tokenbroker.registry.StoredToken;

/** A minted token and its state now: what listing and reading a token answer. */
public record TokenView(StoredToken token, TokenState state) {
}
