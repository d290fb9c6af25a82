package dev.tokenbroker.service;

import dev.tokenbroker.audit.AuditEvent;

/**
 * An audit record as listed: its entry number, what it records and, once sealed into the
 * hash chain, its place there ({@code chainSeq}, {@code prevHash} and {@code hash} are null until then).
 */
public record AuditEntry(long seq, AuditEvent event, Long chainSeq, String prevHash, String hash) {
}
