package dev.tokenbroker.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id, from {@code X-Request-Id} when the caller (or the
 * ingress) sent a sane one that is not token-shaped, else a new UUID, and echoes it on every response,
 * errors included. The id goes into audit records and problem documents.
 */
public class RequestIds {

    public static final String HEADER = "X-Request-Id";

    /** Short and plain: the id ends up in logs and the audit table, so nothing that could forge a line. */
    private static final Pattern SANE = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");
    /** A Gafaelfawr token pasted as an id would be stored in the audit log: never taken. */
    private static final Pattern TOKEN_SHAPED = Pattern.compile("gt-[A-Za-z0-9_-]*\\.");

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3).handler(context -> {
            String given = context.request().getHeader(HEADER);
            String id = given != null && SANE.matcher(given).matches() && !TOKEN_SHAPED.matcher(given).find() ? given
                    : UUID.randomUUID().toString();
            context.request().headers().set(HEADER, id);
            context.response().putHeader(HEADER, id);
            context.next();
        });
    }
}
