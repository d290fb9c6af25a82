package dev.tokenbroker.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenbroker.audit.ChainVerifier;
import dev.tokenbroker.emulator.EmulatorState;
import dev.tokenbroker.support.HostileRequests;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.RandomGenerator;
import net.jqwik.api.sessions.JqwikSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * "Any input" over real HTTP: generated requests (see {@link HostileRequests}) sent
 * one after another to the running broker. For every one: an answer within the
 * timeout, never a 5xx, a problem document for every error, and a call to
 * Gafaelfawr's token POST if and only if the answer is 201. The chain verifies after.
 * {@code -Dhostile.cases=N} and {@code -Dhostile.seed=S} repeat or widen a run.
 */
@QuarkusTest
class HostileInputPropertyTest {

    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(15);
    /** Far above any honest answer here (a few ms), far below the stalls of a hang. */
    private static final Duration PROMPT = Duration.ofSeconds(3);

    @ConfigProperty(name = "emulator.demo-token")
    String demoToken;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    EmulatorState emulator;

    @Inject
    ChainVerifier chain;

    @Test
    void everyGeneratedRequestGetsA4xxProblemOrASuccessAndNothingElse() throws Exception {
        int cases = Integer.getInteger("hostile.cases", 5_000);
        long seed = Long.getLong("hostile.seed", new Random().nextLong());
        Random random = new Random(seed);
        // jqwik's generators outside jqwik's runner (which cannot inject Quarkus beans) need a session.
        JqwikSession.start();
        RandomGenerator<HostileRequests.Request> generator =
                new HostileRequests(demoToken).requests().generatorWithEmbeddedEdgeCases(1000);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int unsendable = 0;
        long start = System.nanoTime();
        for (int i = 0; i < cases && failures.size() < 20; i++) {
            HostileRequests.Request request = generator.next(random).value();
            HttpRequest http;
            try {
                http = build(request);
            } catch (IllegalArgumentException clientRefusesToSendIt) {
                unsendable++;
                continue;
            }
            long posts = emulator.createRequests();
            long sent = System.nanoTime();
            HttpResponse<String> response;
            try {
                response = client.send(http, HttpResponse.BodyHandlers.ofString());
            } catch (HttpTimeoutException e) {
                failures.add("no answer within " + ANSWER_WITHIN + ": " + request);
                continue;
            }
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            if (took.compareTo(PROMPT) > 0) {
                failures.add("answered only after " + took.toMillis() + " ms: " + request);
            }
            int status = response.statusCode();
            statuses.merge(status, 1, Integer::sum);
            String type = response.headers().firstValue("Content-Type").orElse("");
            long minted = emulator.createRequests() - posts;
            if (status >= 500) {
                failures.add(status + " " + response.body() + " for " + request);
            } else if (status >= 400 && !type.startsWith("application/problem+json")) {
                failures.add(status + " without a problem document (" + type + ") for " + request);
            } else if (minted != (status == 201 && request.method().equals("POST") ? 1 : 0)) {
                failures.add(status + " with " + minted + " token POSTs to Gafaelfawr for " + request);
            }
        }
        JqwikSession.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("hostile input: %d cases (%d the HTTP client would not send), statuses %s, %.1f s,"
                + " seed %d%n", cases, unsendable, statuses, seconds, seed);
        assertEquals(List.of(), failures, "seed " + seed + " (-Dhostile.seed=" + seed + " repeats this run)");
        assertTrue(statuses.keySet().stream().anyMatch(s -> s == 201), "some generated requests mint: " + statuses);
        assertTrue(chain.verify().intact(), "the audit chain verifies after every generated request");
    }

    private HttpRequest build(HostileRequests.Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.path()))
                .timeout(ANSWER_WITHIN);
        request.headers().forEach((name, value) -> {
            if (value != null) {
                builder.header(name, value);
            }
        });
        if (request.method().equals("POST") || request.method().equals("PUT")) {
            builder.method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(request.body()));
        } else if (request.method().equals("DELETE")) {
            builder.DELETE();
        } else {
            builder.GET();
        }
        return builder.build();
    }
}
