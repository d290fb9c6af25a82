package dev.tokenbroker.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Caps request bodies at 16 KiB, sized or chunked, and answers an oversized one
 * with a problem document. It runs before Quarkus's own limit
 * ({@code quarkus.http.limits.max-body-size}, kept as a backstop), which would
 * answer a bare 413.
 */
public class RequestSizeLimit {

    public static final int MAX_BODY_BYTES = 16 * 1024;

    @Inject
    Problems problems;

    void install(@Observes Router router) {
        BodyHandler limit = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
        router.route()
                .order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(context -> {
                    // An empty body has nothing to limit, and BodyHandler would leave such a request unanswered.
                    if ("0".equals(context.request().getHeader("Content-Length"))) {
                        context.next();
                    } else {
                        limit.handle(context);
                    }
                })
                .failureHandler(context -> {
                    if (context.statusCode() != 413) {
                        context.next();
                        return;
                    }
                    context.response()
                            .setStatusCode(413)
                            .putHeader("Content-Type", Problem.MEDIA_TYPE)
                            .putHeader("Cache-Control", "no-store")
                            .putHeader("Connection", "close")
                            .end(problems.json(413, "body-too-large", "Request body too large",
                                    "the request body must be at most 16 KiB",
                                    new Problems.Origin(context.request().path(),
                                            context.request().getHeader(RequestIds.HEADER)), null));
                });
    }
}
