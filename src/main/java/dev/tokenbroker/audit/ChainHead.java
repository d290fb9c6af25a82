package dev.tokenbroker.audit;

/** The chain's end as recorded by the last append: how many records there should be, and the last hash. */
public record ChainHead(long seq, String hash) {
}
