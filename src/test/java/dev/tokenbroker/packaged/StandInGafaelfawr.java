package dev.tokenbroker.packaged;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Gafaelfawr stand-in for packaged-jar tests, on a free port and stubbed as
 * {@link PackagedUpstream#stub} says. As an extension
 * ({@code @RegisterExtension static final StandInGafaelfawr gafaelfawr = new StandInGafaelfawr()})
 * it is started before a test class and stopped after it.
 */
public class StandInGafaelfawr extends WireMockServer implements BeforeAllCallback, AfterAllCallback {

    public StandInGafaelfawr() {
        super(options().dynamicPort().globalTemplating(true));
    }

    /** Started and stubbed now, for a caller that stops it itself. */
    static StandInGafaelfawr started() {
        StandInGafaelfawr server = new StandInGafaelfawr();
        server.beforeAll(null);
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
        PackagedUpstream.stub(this);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }
}
