package dev.tokenbroker.rest;

import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;

/** Headers as sent. */
final class SentHeaders {

    private SentHeaders() {
    }

    /**
     * A header as sent: null only when absent. An empty value is passed on as "", so that the
     * service refuses it instead of taking it for absent (JAX-RS may map "" to null).
     */
    static String of(HttpServerRequest http, String name) {
        return http.headers().contains(name) ? Objects.requireNonNullElse(http.getHeader(name), "") : null;
    }
}
