package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tokenbroker.support.SwaggerUiBrowser;
import dev.tokenbroker.support.WireMockGafaelfawr;
import org.junit.jupiter.api.Test;

/**
 * Swagger UI as the packaged jar serves it, under its root path (/service-token-broker):
 * the page, its OpenAPI document and the request Try it out sends must all find the
 * prefix, or the person sees a 404 instead of a token.
 */
class SwaggerUiIT {

    @Test
    void aPersonMintsATokenFromTheSwaggerUiOfThePackagedJar() throws Exception {
        WireMockServer gafaelfawr = new WireMockServer(options().dynamicPort().globalTemplating(true));
        gafaelfawr.start();
        try (PackagedBroker broker = PackagedBroker.start(PackagedBroker.withoutQuotas(gafaelfawr.baseUrl()))) {
            PackagedUpstream.stub(gafaelfawr);
            broker.awaitListening();
            SwaggerUiBrowser.Answer answer;
            try (SwaggerUiBrowser browser = SwaggerUiBrowser.open()) {
                answer = browser.authorize(broker.url("/q/swagger-ui/"), WireMockGafaelfawr.CALLER_TOKEN)
                        .tryItOut("issueServiceToken", "{\"username\": \"bot-swagger-ui-" + System.nanoTime() + "\"}",
                                "packaged-jar-issue");
            }
            assertEquals("201", answer.status(), answer.body());
            assertTrue(answer.body().contains("\"token\": \"gt-"), answer.body());
            assertEquals(1, gafaelfawr.countRequestsMatching(postRequestedFor(urlEqualTo("/auth/api/v1/tokens")).build())
                    .getCount(), "one mint reached Gafaelfawr");
        } finally {
            gafaelfawr.stop();
        }
    }
}
