package dev.tokenbroker.rest;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Caps request bodies at 16 KiB and answers an oversized one with a problem
 * document. A declared Content-Length is checked before any byte is read; a body
 * of unknown length (chunked) is cut off while it is read. Quarkus's own limit
 * ({@code quarkus.http.limits.max-body-size}) stays above this one as a backstop.
 */
public class RequestSizeLimit {

    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** Above this a declared body is not drained before the connection closes. */
    static final long MAX_DRAINED_BYTES = 1024 * 1024;

    /** Thrown while reading a body that turns out too large; mapped to 413. */
    public static class BodyTooLargeException extends IOException {
        BodyTooLargeException() {
            super("the request body must be at most 16 KiB");
        }
    }

    @Inject
    Problems problems;

    void rejectDeclaredOversize(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(context -> {
            String declared = context.request().getHeader("Content-Length");
            if (declared == null || !declared.matches("^\\d{1,18}$") || Long.parseLong(declared) <= MAX_BODY_BYTES) {
                context.next();
                return;
            }
            HttpServerRequest request = context.request();
            context.response()
                    .setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("Connection", "close")
                    .end(problems.json(413, "body-too-large", "Request body too large",
                            "the request body must be at most 16 KiB",
                            new Problems.Origin(request.path(), request.getHeader(RequestIds.HEADER)), null));
            closeAfterBody(request, Long.parseLong(declared));
        });
    }

    /**
     * Closes the connection as the 413 says. A modest body is read and thrown away
     * first (a lingering close): closing with unread bytes resets the connection,
     * which can destroy the 413 before the client reads it, and a client still
     * sending would otherwise wait.
     */
    private static void closeAfterBody(HttpServerRequest request, long declaredBytes) {
        if (declaredBytes > MAX_DRAINED_BYTES) {
            request.connection().close();
            return;
        }
        request.handler(ignored -> { })
                .endHandler(done -> request.connection().close())
                .exceptionHandler(failed -> request.connection().close());
        request.resume();
    }

    @ServerRequestFilter
    public void limitUndeclaredBodies(ContainerRequestContext request) {
        if (request.getHeaderString("Content-Length") == null && request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream()));
        }
    }

    private static final class Limited extends FilterInputStream {
        private long remaining = MAX_BODY_BYTES;

        Limited(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --remaining < 0) {
                throw new BodyTooLargeException();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0 && (remaining -= read) < 0) {
                throw new BodyTooLargeException();
            }
            return read;
        }
    }
}
