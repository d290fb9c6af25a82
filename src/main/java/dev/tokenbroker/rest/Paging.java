package dev.tokenbroker.rest;

import dev.tokenbroker.service.InvalidQueryException;
import dev.tokenbroker.service.PagePosition;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Cursor paging for the listings: an opaque cursor (a time and an id, base64url) and a
 * relative {@code Link: <…>; rel="next"} header. Relative, because behind the
 * TLS-terminating ingress an absolute URL could say http://.
 */
final class Paging {

    private Paging() {
    }

    /** A cursor's two parts. */
    record Position(long time, String id) {
    }

    /** The limit as sent; its range is the services' rule (not a number: 0, which that rule refuses by name). */
    static int limit(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** A cursor's position for the services. */
    static PagePosition position(String cursor) {
        Position position = decode(cursor);
        return position == null ? null : new PagePosition(position.time(), position.id());
    }

    /** The Link header to the page after {@code next}, if there is one. */
    static void linkNext(Response.ResponseBuilder response, UriInfo uri, PagePosition next) {
        if (next != null) {
            linkNext(response, uri, encode(next.time(), next.id()));
        }
    }

    static String encode(long time, String id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((time + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    static Position decode(String cursor) {
        if (cursor == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            String id = text.substring(colon + 1);
            if (colon > 0 && !id.isEmpty() && id.length() <= 64 && id.chars().allMatch(c -> c > 32 && c < 127)) {
                return new Position(Long.parseLong(text.substring(0, colon)), id);
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // reported below
        }
        throw new InvalidQueryException("cursor", "cursor must be one a Link header gave");
    }

    static void linkNext(Response.ResponseBuilder response, UriInfo uri, String cursor) {
        if (cursor != null) {
            // A relative reference: behind the TLS-terminating ingress an absolute one could say http://.
            URI next = uri.getRequestUriBuilder().replaceQueryParam("cursor", cursor).build();
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        }
    }
}
