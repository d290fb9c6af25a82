package dev.tokenbroker.service;

/** Where a request came from, for the audit record. None of it is trusted for decisions. */
public record RequestContext(String requestId, String clientAddress, String userAgent) {
}
