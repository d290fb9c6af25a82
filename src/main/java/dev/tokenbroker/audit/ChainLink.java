package dev.tokenbroker.audit;

/** A record's place in the hash chain: its position, the hash before it and its own hash. */
public record ChainLink(long seq, String prevHash, String hash) {
}
