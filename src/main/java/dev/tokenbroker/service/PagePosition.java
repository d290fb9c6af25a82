package dev.tokenbroker.service;

/** Where a page of a listing ended (newest first): a time in epoch milliseconds and an id. */
public record PagePosition(long time, String id) {
}
