package dev.tokenbroker.logging;

/**
 * Stands in a log record for an exception whose message (or a cause's) carried a token:
 * the same class name, redacted message, stack trace and cause chain.
 */
final class RedactedThrowable extends Throwable {

    private final String className;

    private RedactedThrowable(String className, String message, Throwable cause) {
        super(message, cause, false, true);
        this.className = className;
    }

    static Throwable of(Throwable original) {
        Throwable cause = original.getCause() == null || original.getCause() == original ? null
                : of(original.getCause());
        RedactedThrowable copy = new RedactedThrowable(original.getClass().getName(),
                SecretRedaction.redact(original.getMessage()), cause);
        copy.setStackTrace(original.getStackTrace());
        return copy;
    }

    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? className : className + ": " + message;
    }
}
