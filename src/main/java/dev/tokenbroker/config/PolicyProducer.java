package dev.tokenbroker.config;

import dev.tokenbroker.policy.BotAccess;
import dev.tokenbroker.policy.CallerRule;
import dev.tokenbroker.policy.InvalidSettingException;
import dev.tokenbroker.policy.IssuancePolicy;
import dev.tokenbroker.policy.PolicySettings;
import dev.tokenbroker.policy.QuotaPolicy;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.List;

/** Builds the pure policy from configuration; a setting it refuses stops startup naming the key. */
public class PolicyProducer {

    @Produces
    @Singleton
    IssuancePolicy issuancePolicy(BrokerConfig config) {
        BrokerConfig.Policy policy = config.policy();
        try {
            return new IssuancePolicy(new PolicySettings(
                    policy.usernamePrefix(),
                    new HashSet<>(policy.allowedScopes()),
                    new HashSet<>(policy.defaultScopes()),
                    policy.defaultLifetime(),
                    policy.maxLifetime(),
                    policy.adminScope(),
                    policy.allowServiceCallers()));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigurationException("broker.policy." + e.setting(), e.getMessage());
        }
    }

    @Produces
    @Singleton
    CallerRule callerRule(BrokerConfig config) {
        try {
            return new CallerRule(config.policy().delegatedService(),
                    new HashSet<>(config.auth().trustedPresentingServices().orElse(List.of())));
        } catch (InvalidSettingException e) {
            throw new InvalidConfigurationException("broker.policy." + e.setting(), e.getMessage());
        }
    }

    @Produces
    @Singleton
    BotAccess botAccess(BrokerConfig config) {
        return new BotAccess(config.policy().adminScope());
    }

    @Produces
    @Singleton
    QuotaPolicy quotaPolicy(BrokerConfig config) {
        try {
            return new QuotaPolicy(config.quota().issuancesPerCallerPerHour(), config.quota().activeTokensPerBot());
        } catch (InvalidSettingException e) {
            throw new InvalidConfigurationException("broker.quota." + e.setting(), e.getMessage());
        }
    }
}
