package dev.tokenbroker.service;

import java.time.Instant;

/** A rotation's answer: the replacement, the key it replaces, and when that one is (or was) revoked. */
public record RotatedToken(IssuedToken issued, String replaces, Instant oldTokenRevokedAt) {
}
