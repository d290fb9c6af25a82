package dev.tokenbroker.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import dev.tokenbroker.logging.SecretRedaction;
import org.jboss.logmanager.ExtLogRecord;

/** Every log record published while open, formatted with its stack trace, for secret scans. */
public final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final boolean asWritten;
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (asWritten) {
                // What the broker's handlers write: the record after their filter (a copy, so other handlers see it as logged).
                record = copy(record);
                new SecretRedaction().isLoggable(record);
            }
            String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " " + message);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            if (asWritten && record instanceof ExtLogRecord ext) {
                line.append(' ').append(ext.getMdcCopy()); // the JSON log lines carry the MDC as fields
            }
            lines.add(line.toString());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(boolean asWritten) {
        this.asWritten = asWritten;
        Logger.getLogger("").addHandler(handler);
    }

    /** Every record as the code logged it, before any filter: for proofs that code never logs a secret. */
    public static LogCapture start() {
        return new LogCapture(false);
    }

    /** Every record as the broker's log handlers write it, after their filter (logging.SecretRedaction). */
    public static LogCapture asWritten() {
        return new LogCapture(true);
    }

    private static LogRecord copy(LogRecord record) {
        if (!(record instanceof ExtLogRecord ext)) {
            return record;
        }
        ExtLogRecord copy = new ExtLogRecord(ext);
        return copy;
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** The captured lines that contain {@code needle}. */
    public List<String> linesContaining(String needle) {
        return lines.stream().filter(line -> line.contains(needle)).toList();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
