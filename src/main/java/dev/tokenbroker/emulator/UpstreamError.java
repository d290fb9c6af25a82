package dev.tokenbroker.emulator;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Gafaelfawr's error bodies: {@code {"detail": [{"loc", "msg", "type"}]}}. */
final class UpstreamError {

    private UpstreamError() {
    }

    static Map<String, Object> item(String type, String msg, List<Object> loc) {
        Map<String, Object> item = new LinkedHashMap<>();
        if (loc != null) {
            item.put("loc", loc);
        }
        item.put("msg", msg);
        item.put("type", type);
        return item;
    }

    static Response list(int status, List<Map<String, Object>> items) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("detail", items)).build();
    }

    static Response one(int status, String type, String msg, List<Object> loc) {
        return list(status, List.of(item(type, msg, loc)));
    }

    static Response validation(List<Map<String, Object>> items) {
        return list(422, items);
    }
}
