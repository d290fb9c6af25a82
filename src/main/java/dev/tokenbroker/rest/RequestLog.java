package dev.tokenbroker.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * One log line per request once its response is sent: request id, method, path,
 * status, duration and the authenticated caller. The fields also go to the MDC,
 * so the JSON log format of the packaged jar carries them as fields.
 */
public class RequestLog {

    private static final Logger LOG = Logger.getLogger("http.request");
    private static final String[] FIELDS = {"request_id", "method", "path", "status", "duration_ms", "caller"};

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(context -> {
            long start = System.nanoTime();
            context.addEndHandler(done -> log(context, (System.nanoTime() - start) / 1_000_000));
            context.next();
        });
    }

    private static void log(RoutingContext context, long durationMillis) {
        String caller = context.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous()
                ? user.getSecurityIdentity().getPrincipal().getName()
                : "-";
        String requestId = context.response().headers().get(RequestIds.HEADER);
        int status = context.response().getStatusCode();
        String[] values = {requestId, context.request().method().name(), context.request().path(),
            Integer.toString(status), Long.toString(durationMillis), caller};
        for (int i = 0; i < FIELDS.length; i++) {
            MDC.put(FIELDS[i], values[i]);
        }
        try {
            LOG.infof("%s %s %d %dms caller=%s request_id=%s", values[1], values[2], status, durationMillis, caller,
                    requestId);
        } finally {
            for (String field : FIELDS) {
                MDC.remove(field);
            }
        }
    }
}
