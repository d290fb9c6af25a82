package dev.tokenbroker.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One line of Gafaelfawr's token change history. */
record HistoryEntry(long id, String key, String username, String tokenType, List<String> scopes, Long expires,
        String actor, String action, String ipAddress, long eventTime) {

    /** Position in the newest-first order, as Gafaelfawr's cursors name it: {@code <time>_<id>}. */
    String cursor() {
        return eventTime + "_" + id;
    }

    int compareNewestFirst(HistoryEntry other) {
        int byTime = Long.compare(other.eventTime, eventTime);
        return byTime != 0 ? byTime : Long.compare(other.id, id);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("token", key);
        json.put("username", username);
        json.put("token_type", tokenType);
        json.put("scopes", scopes);
        json.put("expires", expires); // present, null when the token never expires (9.6.1 and 15.x)
        json.put("actor", actor);
        json.put("action", action);
        json.put("ip_address", ipAddress);
        json.put("event_time", eventTime);
        return json;
    }
}
