package dev.tokenbroker.support;

import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated requests for the broker's HTTP edge: bodies of every JSON type at
 * every field, nulls inside arrays, huge and tiny numbers, control, unpaired and
 * non-ASCII characters, duplicate keys, deep nesting, long strings, bodies that
 * are not JSON, and odd or missing headers and content types.
 */
public final class HostileRequests {

    /** One request: method, path (with query), headers (a null value means the header is absent) and body. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…(" + body.length()
                    + " chars)" : body;
            return method + " " + path + " " + headers + " " + shown;
        }
    }

    static final List<String> FIELDS = List.of("username", "name", "token_type", "scopes", "expires", "uid", "gid",
            "groups", "email", "scope", "token_name", "users", "grace", "grace_period", "group", "issuer", "subject",
            "subject_pattern", "claims", "claim_patterns", "max_lifetime", "lifetime", "");

    private final String callerToken;

    public HostileRequests(String callerToken) {
        this.callerToken = callerToken;
    }

    public Arbitrary<Request> requests() {
        Arbitrary<Request> any = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(66, issuances()),
                net.jqwik.api.Tuple.of(10, auditQueries()),
                net.jqwik.api.Tuple.of(6, tokenLookups()),
                net.jqwik.api.Tuple.of(8, ownerChanges()),
                net.jqwik.api.Tuple.of(6, tokenChanges()),
                net.jqwik.api.Tuple.of(4, listings()),
                net.jqwik.api.Tuple.of(6, trustPolicyChanges()),
                net.jqwik.api.Tuple.of(6, exchanges()));
        return Combinators.combine(any, ingressServices()).as((request, service) -> service == null ? request
                : new Request(request.method(), request.path(), with(new java.util.LinkedHashMap<>(request.headers()),
                        Map.of("X-Auth-Request-Service", service)), request.body()));
    }

    /** What Gafaelfawr's ingress may say in X-Auth-Request-Service (usually nothing). */
    Arbitrary<String> ingressServices() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(85, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(10, Arbitraries.of("service-token-broker", "portal", "", " ")),
                net.jqwik.api.Tuple.of(5, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(100)));
    }

    /** PUT /bots/{username}/owners with any body, for bots the caller may or may not own. */
    Arbitrary<Request> ownerChanges() {
        Arbitrary<String> bot = Arbitraries.oneOf(Arbitraries.of("bot-prop-a", "bot-prop-b", "bot-jenkins-metrics"),
                queryValues());
        Arbitrary<String> names = Arbitraries.oneOf(jsonStrings(), Arbitraries.of("\"alice\"", "\"demo-user\"",
                "\"g_team\"")).list().ofMaxSize(4).map(items -> "[" + String.join(", ", items) + "]");
        Arbitrary<String> plausible = Combinators.combine(names, names)
                .as((users, groups) -> "{\"users\": " + users + ", \"groups\": " + groups + "}");
        Arbitrary<String> body = Arbitraries.oneOf(bodies(), plausible);
        return Combinators.combine(authorizations(), contentTypes(), bot, body)
                .as((authorization, contentType, username, payload) -> new Request("PUT",
                        "/bots/" + username + "/owners", headers(authorization, contentType, null), payload));
    }

    /** Trust policies written, read and deleted with any name and body, and plausible ones with any pattern. */
    Arbitrary<Request> trustPolicyChanges() {
        Arbitrary<String> bot = Arbitraries.oneOf(Arbitraries.of("bot-prop-a", "bot-jenkins-metrics"), queryValues());
        Arbitrary<String> name = Arbitraries.oneOf(Arbitraries.of("ci", "release-ci", "CI", "-x", ""), queryValues());
        Arbitrary<String> pattern = Arbitraries.oneOf(jsonStrings(), Arbitraries.of("\"repo:(\"", "\"(a+)+$\"",
                "\"repo:lsst-sqre/.*\"", "\"[\"", "\"\\\\\"", "null", "12"));
        Arbitrary<String> claims = Arbitraries.oneOf(Arbitraries.of("{}", "{\"aud\": \"x\"}", "{\"a b\": \"x\"}",
                "{\"repository_owner\": null}", "[]"), objects(1));
        Arbitrary<String> plausible = Combinators.combine(Arbitraries.of("\"demo\"", "\"down\"", "\"gitlab\"", "7"),
                        pattern, claims, Arbitraries.of("[\"write:sasquatch\"]", "[]", "[\"admin:token\"]", "\"x\""),
                        Arbitraries.of("\"PT1H\"", "\"P30D\"", "\"-PT1S\"", "\"soon\"", "null", "3600"))
                .as((issuer, subject, claim, scopes, lifetime) -> "{\"issuer\": " + issuer + ", \"subject_pattern\": "
                        + subject + ", \"claim_patterns\": " + claim + ", \"scopes\": " + scopes
                        + ", \"max_lifetime\": " + lifetime + "}");
        Arbitrary<String> body = Arbitraries.oneOf(bodies(), plausible);
        return Combinators.combine(authorizations(), contentTypes(), bot, name, body, Arbitraries.of("PUT", "GET", "DELETE"))
                .as((authorization, contentType, username, policy, payload, method) -> new Request(method,
                        "/bots/" + username + "/trust-policies" + (method.equals("GET") && policy.isEmpty() ? ""
                                : "/" + policy),
                        headers(authorization, method.equals("PUT") ? contentType : null, null),
                        method.equals("PUT") ? payload : null));
    }

    /** POST /federated-tokens with any bearer (Gafaelfawr tokens, JWT-shaped garbage) and any body. */
    Arbitrary<Request> exchanges() {
        Arbitrary<String> segment = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.")
                .ofMaxLength(60);
        Arbitrary<String> jwtLike = Combinators.combine(Arbitraries.of("eyJhbGciOiJub25lIn0", "eyJhbGciOiJSUzI1NiJ9",
                        "eyJhbGciOiJIUzI1NiJ9", "e30", "!!", ""), segment, segment)
                .as((header, payload, signature) -> "Bearer " + header + "." + payload + "." + signature);
        Arbitrary<String> authorization = Arbitraries.oneOf(authorizations(), jwtLike);
        return Combinators.combine(authorization, contentTypes(), Arbitraries.oneOf(bodies(), plausibleObjects()),
                        idempotencyKeys())
                .as((bearer, contentType, payload, idempotencyKey) -> new Request("POST", "/federated-tokens",
                        with(headers(bearer, contentType, null), idempotencyKey == null ? null
                                : Map.of("Idempotency-Key", idempotencyKey)), payload));
    }

    /** Rotations (with any body) and revocations of keys that mostly do not exist. */
    Arbitrary<Request> tokenChanges() {
        Arbitrary<String> grace = Arbitraries.oneOf(jsonStrings(), numbers(), Arbitraries.of("\"PT1H\"",
                "\"P2D\"", "\"-PT1S\"", "\"PT0S\"", "\"P9999999999D\"", "null"));
        Arbitrary<String> rotation = Combinators.combine(grace, scalars())
                .as((g, e) -> "{\"grace\": " + g + ", \"expires\": " + e + "}");
        Arbitrary<String> body = Arbitraries.oneOf(bodies(), rotation);
        return Combinators.combine(authorizations(), contentTypes(), queryValues(), body, Arbitraries.of(true, false),
                        idempotencyKeys())
                .as((authorization, contentType, key, payload, rotate, idempotencyKey) -> rotate
                        ? new Request("POST", "/service-tokens/" + key + "/rotate", with(headers(authorization,
                                contentType, null), idempotencyKey == null ? null
                                        : Map.of("Idempotency-Key", idempotencyKey)), payload)
                        : new Request("DELETE", "/service-tokens/" + key, headers(authorization, null, null), null));
    }

    /** GET /bots and GET /service-tokens with any query. */
    Arbitrary<Request> listings() {
        Arbitrary<String> name = Arbitraries.of("owner", "username", "state", "cursor", "limit", "x");
        Arbitrary<String> parameter = Combinators.combine(name, queryValues()).as((n, v) -> n + "=" + v);
        return Combinators.combine(authorizations(), Arbitraries.of("/bots", "/service-tokens"),
                        parameter.list().ofMaxSize(3))
                .as((authorization, path, parameters) -> new Request("GET",
                        path + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)),
                        headers(authorization, null, null), null));
    }

    Arbitrary<Request> issuances() {
        return Combinators.combine(authorizations(), contentTypes(), requestIds(), bodies(), forwarded(),
                        idempotencyKeys())
                .as((authorization, contentType, requestId, body, forwarded, key) -> new Request("POST",
                        "/service-tokens", with(with(headers(authorization, contentType, requestId), forwarded),
                                key == null ? null : java.util.Map.of("Idempotency-Key", key)), body));
    }

    /** Mostly none; else a few reused keys (replays, other bodies), any printable text, or something worse. */
    Arbitrary<String> idempotencyKeys() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(77, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(10, Arbitraries.of("retry-1", "retry-2", "nightly")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of("", " ", "   ")), // an unset variable in a script
                net.jqwik.api.Tuple.of(6, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300)),
                net.jqwik.api.Tuple.of(4, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(8)));
    }

    /** What an ingress (or someone pretending to be one) may add: honoured from trusted proxies, so any value. */
    Arbitrary<Map<String, String>> forwarded() {
        Arbitrary<String> odd = Arbitraries.oneOf(
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
                Arbitraries.of("203.0.113.7", "203.0.113.7, 10.0.0.1", "::1", "[2001:db8::1]:443", "unknown", "",
                        "999.999.999.999", "https", "http", "ftp", "data.example.org", "data.example.org:99999",
                        "for=192.0.2.60;proto=http;by=203.0.113.43", "a".repeat(4000)));
        return Combinators.combine(odd, odd, odd, odd).as((xff, proto, host, forwarded) -> {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            headers.put("X-Forwarded-For", xff);
            headers.put("X-Forwarded-Proto", proto);
            headers.put("X-Forwarded-Host", host);
            headers.put("Forwarded", forwarded);
            return headers;
        }).injectNull(0.7);
    }

    private static Map<String, String> with(Map<String, String> headers, Map<String, String> more) {
        if (more != null) {
            headers.putAll(more);
        }
        return headers;
    }

    Arbitrary<Request> auditQueries() {
        Arbitrary<String> name = Arbitraries.of("caller", "username", "outcome", "token_key", "since", "until",
                "cursor", "limit", "x");
        Arbitrary<String> parameter = Combinators.combine(name, queryValues()).as((n, v) -> n + "=" + v);
        return Combinators.combine(authorizations(), requestIds(), parameter.list().ofMaxSize(4), forwarded())
                .as((authorization, requestId, parameters, forwarded) -> new Request("GET",
                        "/audit/events" + (parameters.isEmpty() ? "" : "?" + String.join("&", parameters)),
                        with(headers(authorization, null, requestId), forwarded), null));
    }

    Arbitrary<Request> tokenLookups() {
        return Combinators.combine(authorizations(), requestIds(), queryValues())
                .as((authorization, requestId, key) -> new Request("GET", "/service-tokens/" + key,
                        headers(authorization, null, requestId), null));
    }

    private static Map<String, String> headers(String authorization, String contentType, String requestId) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Authorization", authorization);
        headers.put("Content-Type", contentType);
        headers.put("X-Request-Id", requestId);
        return headers;
    }

    Arbitrary<String> authorizations() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(85, Arbitraries.of("bearer " + callerToken, "Bearer " + callerToken,
                        "BEARER " + callerToken)),
                net.jqwik.api.Tuple.of(15, Arbitraries.of(null, "", "Bearer", "Bearer ", "Basic Zm9vOmJhcg==",
                        "bearer gt-short.token", "bearer gt-AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBB",
                        "Token " + callerToken, "bearer " + callerToken + " extra", "bearer\t" + callerToken)));
    }

    Arbitrary<String> contentTypes() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(85, Arbitraries.of("application/json", "application/json; charset=utf-8")),
                net.jqwik.api.Tuple.of(15, Arbitraries.of(null, "text/plain", "application/xml",
                        "application/x-www-form-urlencoded", "application/json; charset=utf-16", "garbage/",
                        "application/merge-patch+json", "*/*")));
    }

    Arbitrary<String> requestIds() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(80, Arbitraries.just(null)),
                net.jqwik.api.Tuple.of(20, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(200)));
    }

    /** Query values, percent-encoded as a client would send them (any characters, long digits, far years). */
    Arbitrary<String> queryValues() {
        Arbitrary<String> raw = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of("9999999999999999", "-9999999999999999", "+300000000-01-01T00:00:00Z",
                        "2026-01-01T00:00:00Z", "0", "-1", "1e9", "issued", "bogus", "aaaaaaaaaaaaaaaaaaaaaa",
                        "99999999999999999999999"),
                Arbitraries.longs().map(String::valueOf));
        return raw.map(v -> java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    }

    Arbitrary<String> bodies() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, objects(3)),
                net.jqwik.api.Tuple.of(12, plausibleObjects()),
                net.jqwik.api.Tuple.of(8, values(2)),
                net.jqwik.api.Tuple.of(8, objects(2).flatMap(HostileRequests::damaged)),
                net.jqwik.api.Tuple.of(4, deepNesting()),
                net.jqwik.api.Tuple.of(4, oversized()),
                net.jqwik.api.Tuple.of(4, Arbitraries.of(null, "", " ", "null", "\u0000")));
    }

    /** Requests that the policy may well allow, so that the path to Gafaelfawr is exercised too. */
    Arbitrary<String> plausibleObjects() {
        Arbitrary<String> username = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12)
                .map(s -> "bot-prop-" + s);
        Arbitrary<String> scopes = Arbitraries.of("", ", \"scopes\": [\"write:sasquatch\"]",
                ", \"scopes\": [\"write:sasquatch\", \"write:sasquatch\"]", ", \"scopes\": [\"read:tap\"]");
        Arbitrary<String> extra = Arbitraries.of("", ", \"name\": \"Prop \\u00e9\"", ", \"token_type\": \"service\"",
                ", \"expires\": " + (java.time.Instant.now().getEpochSecond() + 86_400),
                ", \"expires\": \"2026-01-01T00:00:00Z\"", ", \"name\": null");
        return Combinators.combine(username, scopes, extra)
                .as((u, s, e) -> "{\"username\": \"" + u + "\"" + s + e + "}");
    }

    Arbitrary<String> objects(int depth) {
        Arbitrary<String> member = Combinators.combine(fieldNames(), values(depth - 1))
                .as((name, value) -> name + ": " + value);
        return member.list().ofMaxSize(7).map(members -> "{" + String.join(", ", members) + "}");
    }

    Arbitrary<String> fieldNames() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(85, Arbitraries.of(FIELDS)),
                net.jqwik.api.Tuple.of(15, jsonStrings()));
    }

    Arbitrary<String> values(int depth) {
        if (depth <= 0) {
            return scalars();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, scalars()),
                net.jqwik.api.Tuple.of(25, Arbitraries.lazy(() -> values(depth - 1)).list().ofMaxSize(5)
                        .map(items -> "[" + String.join(", ", items) + "]")),
                net.jqwik.api.Tuple.of(15, Arbitraries.lazy(() -> objects(depth - 1))));
    }

    Arbitrary<String> scalars() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.of("null", "true", "false")),
                net.jqwik.api.Tuple.of(30, numbers()),
                net.jqwik.api.Tuple.of(60, jsonStrings()));
    }

    Arbitrary<String> numbers() {
        long now = java.time.Instant.now().getEpochSecond();
        return Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.longs().between(now - 86_400, now + 400L * 86_400).map(String::valueOf),
                Arbitraries.doubles().map(d -> Double.isFinite(d) ? Double.toString(d) : "0"),
                Arbitraries.bigIntegers().between(java.math.BigInteger.TEN.pow(30).negate(),
                        java.math.BigInteger.TEN.pow(30)).map(String::valueOf),
                Arbitraries.integers().between(-400_000_000, 400_000_000).map(e -> "1e" + e),
                Arbitraries.of("1e300000000", "-1e300000000", "1e-300000000", "-0", "0.0000000001",
                        "123456789012345678901234567890.5", "1E+18", "9223372036854775807", "9223372036854775808",
                        "-9223372036854775809", "1" + "0".repeat(990)));
    }

    Arbitrary<String> jsonStrings() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.strings().withCharRange('\ud800', '\udfff').ofMaxLength(3),
                Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(70).map(s -> "bot-" + s),
                Arbitraries.of("bot-a", "bot-jenkins-metrics", "write:sasquatch", "admin:token", "service", "user",
                        "", " ", "bot-a\n", "bot-", "Bot-a", "2027-06-01T00:00:00Z", "+300000000-01-01T00:00:00Z",
                        "9999999999999999999", "1e300000000", "next tuesday", "\u0000", "\u2028", "\ud83d\ude80",
                        "a b", "\"", "\\"),
                Arbitraries.integers().between(200, 17_000).map("n"::repeat));
        return text.map(HostileRequests::quote);
    }

    /** A JSON string literal, ASCII only: every other character (unpaired surrogates too) as a \\u escape. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static Arbitrary<String> damaged(String json) {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(0, Math.max(0, json.length() - 1)).map(cut -> json.substring(0, cut)),
                Arbitraries.of(json + " trailing", json + json, json.replace(':', ' '), "{" + json,
                        json.replace("\"", "'"), json + ",", "[" + json));
    }

    Arbitrary<String> deepNesting() {
        return Arbitraries.integers().between(100, 3000).flatMap(depth -> Arbitraries.of(
                "[".repeat(depth) + "]".repeat(depth),
                "{\"username\": \"bot-deep\", \"groups\": " + "[".repeat(depth) + "]".repeat(depth) + "}",
                "{\"name\": " + "{\"a\": ".repeat(depth) + "1" + "}".repeat(depth) + "}",
                "[".repeat(depth)));
    }

    Arbitrary<String> oversized() {
        return Arbitraries.integers().between(16_000, 40_000)
                .map(n -> "{\"username\": \"bot-big\", \"name\": \"" + "n".repeat(n) + "\"}");
    }
}
