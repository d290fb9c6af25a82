package dev.tokenbroker.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.Map;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The one redaction at the logging edge: whatever carries a Gafaelfawr token into a log
 * record (a path, a query, a header echoed in an error, an exception message, an MDC field),
 * its secret is replaced before any handler writes it; the 22-character key, which may be
 * logged, stays. Installed on every handler in application.properties.
 */
@LoggingFilter(name = "secret-redaction")
public final class SecretRedaction implements Filter {

    /** gt-<key>.<secret>, also with the dot percent-encoded (a token pasted into a URL). */
    static final Pattern TOKEN = Pattern.compile("gt-([A-Za-z0-9_-]*)(?:\\.|%2[eE])[A-Za-z0-9_-]+");
    static final String REDACTED = "<redacted>";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record instanceof ExtLogRecord ext) {
            String message = ext.getFormattedMessage();
            if (message != null && TOKEN.matcher(message).find()) {
                ext.setMessage(redact(message), ExtLogRecord.FormatStyle.NO_FORMAT);
                ext.setParameters(null);
            }
            for (Map.Entry<String, String> field : ext.getMdcCopy().entrySet()) {
                if (field.getValue() != null && TOKEN.matcher(field.getValue()).find()) {
                    ext.putMdc(field.getKey(), redact(field.getValue()));
                }
            }
        } else if (record.getMessage() != null) {
            record.setMessage(redact(record.getMessage()));
        }
        if (record.getThrown() != null && carriesSecret(record.getThrown())) {
            record.setThrown(RedactedThrowable.of(record.getThrown()));
        }
        return true;
    }

    /** The text with every token's secret replaced. */
    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        Matcher matcher = TOKEN.matcher(text);
        return matcher.find() ? matcher.replaceAll(match -> Matcher.quoteReplacement(
                "gt-" + match.group(1) + "." + REDACTED)) : text;
    }

    private static boolean carriesSecret(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t.getMessage() != null && TOKEN.matcher(t.getMessage()).find()) {
                return true;
            }
        }
        return false;
    }
}
