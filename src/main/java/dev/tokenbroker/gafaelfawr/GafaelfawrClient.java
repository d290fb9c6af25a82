package dev.tokenbroker.gafaelfawr;

import static dev.tokenbroker.gafaelfawr.GafaelfawrException.Fault.BAD_RESPONSE;
import static dev.tokenbroker.gafaelfawr.GafaelfawrException.Fault.CREDENTIAL_REJECTED;
import static dev.tokenbroker.gafaelfawr.GafaelfawrException.Fault.REQUEST_REFUSED;
import static dev.tokenbroker.gafaelfawr.GafaelfawrException.Fault.TIMEOUT;
import static dev.tokenbroker.gafaelfawr.GafaelfawrException.Fault.UNREACHABLE;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenbroker.config.BrokerConfig;
import dev.tokenbroker.metrics.BrokerMetrics;
import io.micrometer.core.instrument.Timer;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Speaks Gafaelfawr's API and turns every answer into a typed outcome: a value, or a
 * {@link GafaelfawrException} naming the fault. No policy lives here. A token POST
 * is sent at most once: creation is not idempotent, and no retry is configured.
 */
@ApplicationScoped
public class GafaelfawrClient {

    private static final Logger LOG = Logger.getLogger(GafaelfawrClient.class);
    private static final String CREATE = "POST /tokens";
    private static final String REVOKE = "DELETE /users/{username}/tokens/{key}";
    private static final String TOKEN_INFO = "GET /token-info";
    private static final String USER_INFO = "GET /user-info";
    private static final String LIST = "GET /users/{username}/tokens";
    private static final String HISTORY = "GET /history/token-changes";
    private static final Pattern LOCATION_KEY = Pattern.compile("/tokens/([A-Za-z0-9_-]{22})$");

    private final GafaelfawrApi api;
    private final AdminCredential admin;
    private final ObjectMapper json;
    private final URI baseUri;
    private final Duration readTimeout;

    private final BrokerMetrics metrics;

    @Inject
    public GafaelfawrClient(BrokerConfig config, AdminCredential admin, ObjectMapper json, BrokerMetrics metrics) {
        this.admin = admin;
        this.json = json;
        this.metrics = metrics;
        this.baseUri = baseUri(config.gafaelfawr().url());
        this.readTimeout = config.gafaelfawr().readTimeout();
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                .connectTimeout(config.gafaelfawr().connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // Every status is mapped below; the default mapper would throw before we see it.
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(GafaelfawrApi.class);
    }

    /** The environment URL without a trailing slash; the API's own paths follow it. */
    static URI baseUri(URI environment) {
        String text = environment.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /** POST /tokens with the admin token. Never retried: a second POST would mint a second token. */
    public GafaelfawrToken createServiceToken(ServiceTokenSpec spec) {
        Wire.CreateToken body = Wire.CreateToken.of(spec);
        String authorization = admin.authorization();
        Answer answer = exchange(CREATE, () -> api.createToken(authorization, body));
        int status = answer.status();
        if (status == 403 || status == 400 || status == 422) {
            List<UpstreamErrors.Item> errors = UpstreamErrors.parse(json, answer.body());
            // A 403 about the request (a non-bot username) is Gafaelfawr's refusal; any other, the admin token's.
            if (status != 403 || errors.stream().anyMatch(UpstreamErrors.Item::refusesRequest)) {
                throw new GafaelfawrException(REQUEST_REFUSED,
                        "Gafaelfawr refused the request (" + status + "): " + UpstreamErrors.describe(errors));
            }
            throw new GafaelfawrException(CREDENTIAL_REJECTED, "Gafaelfawr refused the broker's admin token"
                    + " (403: " + UpstreamErrors.describe(errors) + "); it must hold admin:token");
        }
        expect(answer, CREATE, Credential.ADMIN, 201);
        return mintedToken(answer);
    }

    /**
     * DELETE /users/{username}/tokens/{key} with the admin token. Idempotent: a
     * token already gone (404) counts as revoked, so callers may retry.
     */
    public void revokeToken(String username, String key) {
        String authorization = admin.authorization();
        expect(exchange(REVOKE, () -> api.revokeToken(authorization, username, key)), REVOKE, Credential.ADMIN,
                204, 404);
    }

    /** GET /token-info with the given token: empty when Gafaelfawr says the token is not valid. */
    public Optional<TokenInfo> tokenInfo(GafaelfawrToken token) {
        String authorization = "bearer " + token.secretValue();
        Answer answer = exchange(TOKEN_INFO, () -> api.tokenInfo(authorization));
        if (answer.status() == 401 || answer.status() == 403) {
            return Optional.empty();
        }
        TokenInfo info = read(expect(answer, TOKEN_INFO, Credential.CALLER, 200), TokenInfo.class, "token-info answer");
        if (info.username() == null || info.tokenType() == null || !token.key().equals(info.key())) {
            throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr's token-info answer does not describe the token");
        }
        return Optional.of(info);
    }

    /**
     * GET /user-info with the caller's own token: the names of its user's groups. Older
     * Gafaelfawr releases leave {@code groups} out when there are none.
     */
    public List<String> groupsOf(GafaelfawrToken token) {
        String authorization = "bearer " + token.secretValue();
        Wire.UserInfo info = read(expect(exchange(USER_INFO, () -> api.userInfo(authorization)), USER_INFO,
                Credential.CALLER, 200), Wire.UserInfo.class, "user-info answer");
        if (info.groups() == null) {
            return List.of();
        }
        if (info.groups().stream().anyMatch(group -> group == null || group.name() == null)) {
            throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr's user-info answer has a group without a name");
        }
        return info.groups().stream().map(Wire.Group::name).toList();
    }

    /** GET /users/{username}/tokens with the admin token: every token of that user, newest first. */
    public List<TokenInfo> tokensOf(String username) {
        String authorization = admin.authorization();
        return list(expect(exchange(LIST, () -> api.listTokens(authorization, username)), LIST, Credential.ADMIN,
                200), TokenInfo[].class, TokenInfo::key, "token list");
    }

    /**
     * GET /history/token-changes with the admin token: what happened to {@code username}'s
     * tokens between {@code since} and {@code until} (inclusive, to the second).
     */
    public List<TokenChange> tokenChanges(String username, java.time.Instant since, java.time.Instant until) {
        String authorization = admin.authorization();
        return history(exchange(HISTORY, () -> api.tokenChanges(authorization, username,
                since.getEpochSecond(), until.getEpochSecond())));
    }

    /**
     * Whether Gafaelfawr's history (kept a year) shows any change to {@code username}'s
     * tokens: a bot whose tokens were all revoked or expired has none listed, but had some.
     */
    public boolean hasTokenHistory(String username) {
        String authorization = admin.authorization();
        return !history(exchange(HISTORY, () -> api.latestTokenChanges(authorization, username, 1))).isEmpty();
    }

    private List<TokenChange> history(Answer answer) {
        return list(expect(answer, HISTORY, Credential.ADMIN, 200), TokenChange[].class, TokenChange::key,
                "token history");
    }

    /** Who the broker is to Gafaelfawr: the username of its admin token, as history names actors. */
    public String adminUsername() {
        return tokenInfo(admin.current()).map(TokenInfo::username).orElseThrow(() -> new GafaelfawrException(
                CREDENTIAL_REJECTED, "Gafaelfawr does not accept the broker's admin token"));
    }

    /** Whose token a route is sent with: a refusal of the broker's admin token needs an operator. */
    private enum Credential { ADMIN, CALLER }

    /**
     * Every status a route does not expect, in one place: 401 or 403 to the admin token is
     * the broker's credential rejected; anything else breaks the contract.
     */
    private static Answer expect(Answer answer, String route, Credential credential, int... expected) {
        for (int status : expected) {
            if (answer.status() == status) {
                return answer;
            }
        }
        if (credential == Credential.ADMIN && (answer.status() == 401 || answer.status() == 403)) {
            throw new GafaelfawrException(CREDENTIAL_REJECTED, "Gafaelfawr refused the broker's admin token on "
                    + route + " (" + answer.status() + "): it is invalid, expired or revoked, or lacks admin:token;"
                    + " an operator must replace it");
        }
        throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr answered " + route + " with status "
                + answer.status());
    }

    /** The answer's JSON as {@code type}, or BAD_RESPONSE. */
    private <T> T read(Answer answer, Class<T> type, String what) {
        T value;
        try {
            value = json.readValue(answer.body(), type);
        } catch (Exception e) {
            value = null;
        }
        if (value == null) {
            throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr's " + what + " is not the expected JSON");
        }
        return value;
    }

    /** A JSON array whose every item names a token key, or BAD_RESPONSE. */
    private <T> List<T> list(Answer answer, Class<T[]> type, java.util.function.Function<T, String> key, String what) {
        T[] items = read(answer, type, what);
        if (java.util.Arrays.stream(items).anyMatch(item -> item == null || key.apply(item) == null)) {
            throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr's " + what + " is not the expected JSON");
        }
        return List.of(items);
    }

    private GafaelfawrToken mintedToken(Answer answer) {
        String location = answer.location();
        Matcher named = location == null ? null : LOCATION_KEY.matcher(location);
        String locationKey = named != null && named.find() ? named.group(1) : null;
        GafaelfawrToken token;
        try {
            Wire.Created created = json.readValue(answer.body(), Wire.Created.class);
            token = created == null ? null : GafaelfawrToken.parse(created.token()).orElse(null);
        } catch (Exception e) {
            token = null;
        }
        if (token == null) {
            LOG.errorf("Gafaelfawr answered 201 without a well-formed token (Location names key %s)", locationKey);
            if (locationKey != null) {
                throw GafaelfawrException.mintedButUnreadable(locationKey,
                        "Gafaelfawr answered 201 without a well-formed token");
            }
            throw new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr answered 201 without a well-formed token");
        }
        if (location != null && !token.key().equals(locationKey)) {
            LOG.errorf("Gafaelfawr minted token key %s but its Location names another (%s)", token.key(), locationKey);
            throw GafaelfawrException.mintedButUnreadable(token.key(),
                    "Gafaelfawr's Location header does not name the minted token");
        }
        return token;
    }

    /** A whole answer: the exchange is timed until its body has been read, not just its headers. */
    private record Answer(int status, String body, String location) {
    }

    private Answer exchange(String route, Supplier<Response> call) {
        Timer.Sample sample = Timer.start(metrics.registry());
        try (Response response = call.get()) {
            Answer answer = new Answer(response.getStatus(),
                    response.hasEntity() ? response.readEntity(String.class) : "",
                    response.getHeaderString("Location"));
            sample.stop(metrics.gafaelfawrCall(route, Integer.toString(answer.status())));
            return answer;
        } catch (RuntimeException e) {
            sample.stop(metrics.gafaelfawrCall(route, "no_answer"));
            throw fault(route, e);
        }
    }

    /** Nothing was sent when the connection could not be made; after that, a silence may hide a success. */
    private GafaelfawrException fault(String route, RuntimeException e) {
        if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
                || hasCause(e, NoRouteToHostException.class)) {
            return new GafaelfawrException(UNREACHABLE, "cannot connect to Gafaelfawr at " + baseUri, e);
        }
        if (hasCause(e, TimeoutException.class)) {
            return new GafaelfawrException(TIMEOUT,
                    "Gafaelfawr did not answer " + route + " within the configured timeout", e);
        }
        return new GafaelfawrException(BAD_RESPONSE, "Gafaelfawr's answer to " + route + " could not be read", e);
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
