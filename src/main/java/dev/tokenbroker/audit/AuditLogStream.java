package dev.tokenbroker.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes every stored audit record as one JSON log line on the {@code audit}
 * category, for log shippers. The line carries the record's hash, so the
 * shipped stream also anchors the chain outside the database.
 *
 * <p>Where the console logs JSON (the packaged jar), the category gets a handler
 * of its own that prints the record as the whole line: wrapped in a JSON log
 * record it would be a string to parse twice. Quarkus gives its JSON formatter to
 * every console handler it configures, so this one is attached here.
 */
@ApplicationScoped
public class AuditLogStream {

    static final String CATEGORY = "audit";
    private static final Logger LOG = Logger.getLogger(CATEGORY);

    @Inject
    ObjectMapper json;

    void printBareLines(@Observes StartupEvent started,
            @ConfigProperty(name = "quarkus.log.console.json.enabled", defaultValue = "false") boolean jsonConsole) {
        if (!jsonConsole) {
            return;
        }
        org.jboss.logmanager.Logger category = org.jboss.logmanager.Logger.getLogger(CATEGORY);
        category.addHandler(new ConsoleHandler(ConsoleHandler.Target.SYSTEM_OUT, new PatternFormatter("%s%n")));
        category.setUseParentHandlers(false);
    }

    void write(StoredEvent stored) {
        AuditEvent e = stored.event();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "audit");
        line.put("seq", stored.seq());
        line.put("id", e.id());
        line.put("issuance_id", e.issuanceId());
        line.put("time", e.time().toString());
        line.put("request_id", e.requestId());
        line.put("caller", e.callerUsername());
        line.put("caller_token_key", e.callerTokenKey());
        line.put("caller_token_type", e.callerTokenType());
        line.put("client_address", e.clientAddress());
        line.put("action", e.action());
        line.put("username", e.targetUsername());
        line.put("scopes", e.scopes());
        line.put("expires", e.expires() == null ? null : e.expires().toString());
        line.put("outcome", e.outcome().label());
        line.put("reason", e.reason());
        line.put("token_key", e.tokenKey());
        line.put("hash", stored.hash());
        try {
            LOG.info(json.writeValueAsString(line));
        } catch (JsonProcessingException impossible) {
            LOG.errorf("audit record seq %d could not be written as JSON", stored.seq());
        }
    }
}
