package dev.tokenbroker.service;

import java.util.List;
import java.util.Set;

/**
 * What a CI job asks for in an exchange: the bot, optionally fewer scopes than its trust policy
 * grants and a shorter lifetime (ISO 8601 text), and fields the body does not have.
 */
public record ExchangeDraft(String username, List<String> scopes, String lifetime, Set<String> otherFields) {
}
