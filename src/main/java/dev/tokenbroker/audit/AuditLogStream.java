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
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes every stored audit record as one JSON log line on the {@code audit}
 * category, for log shippers, and one line per sealed batch with the chain's new
 * head (seq and hash), so that the shipped stream anchors the chain outside the
 * database.
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
        print(line);
    }

    /** One line per sealed batch: the chain's new head, which a shipped copy of the stream anchors. */
    void sealed(List<StoredEvent> batch, ChainHead head) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "audit-seal");
        line.put("records", batch.size());
        line.put("first_seq", batch.get(0).link().seq());
        line.put("head_seq", head.seq());
        line.put("head_hash", head.hash());
        print(line);
    }

    private void print(Map<String, Object> line) {
        try {
            LOG.info(json.writeValueAsString(line));
        } catch (JsonProcessingException impossible) {
            LOG.errorf("an audit line could not be written as JSON: %s", line.keySet());
        }
    }
}
