package dev.tokenbroker.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** The logging edge: a record leaves the filter without any token secret, wherever it was. */
class SecretRedactionTest {

    static final String KEY = "abcdefghijklmnopqrstuv";
    static final String SECRET = "S3cretS3cretS3cretS3cr";
    static final String TOKEN = "gt-" + KEY + "." + SECRET;

    @Test
    void redactsTheSecretAndKeepsTheKey() {
        assertEquals("DELETE /service-tokens/gt-" + KEY + ".<redacted> 404",
                SecretRedaction.redact("DELETE /service-tokens/" + TOKEN + " 404"));
        assertEquals("a=gt-" + KEY + ".<redacted>&b", SecretRedaction.redact("a=gt-" + KEY + "%2E" + SECRET + "&b"));
        assertEquals("gt-short.<redacted>", SecretRedaction.redact("gt-short.whatever-follows"));
        assertEquals("no token here", SecretRedaction.redact("no token here"));
    }

    @Test
    void cleansTheMessageItsParametersTheMdcAndTheException() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "%s %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"GET", "/service-tokens/" + TOKEN});
        record.putMdc("path", "/service-tokens/" + TOKEN);
        record.setThrown(new IllegalStateException("wrapped", new IllegalArgumentException("bad " + TOKEN)));
        assertTrue(new SecretRedaction().isLoggable(record));
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        String written = record.getFormattedMessage() + record.getMdcCopy() + trace;
        assertFalse(written.contains(SECRET), written);
        assertTrue(written.contains("GET /service-tokens/gt-" + KEY + ".<redacted>"), written);
        assertTrue(trace.toString().contains("java.lang.IllegalArgumentException: bad gt-" + KEY), trace.toString());
        assertTrue(trace.toString().contains("SecretRedactionTest"), "the stack trace is kept");
    }
}
