package dev.tokenbroker.policy;

/** A policy setting that can never be valid; {@code setting} is the key below {@code broker.policy.}. */
public class InvalidSettingException extends RuntimeException {

    private final String setting;

    public InvalidSettingException(String setting, String problem) {
        super(problem);
        this.setting = setting;
    }

    public String setting() {
        return setting;
    }
}
