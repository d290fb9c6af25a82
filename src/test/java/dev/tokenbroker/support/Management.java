package dev.tokenbroker.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;

/** Requests to Quarkus's management interface (health and metrics), which listens on a port of its own. */
public final class Management {

    private Management() {
    }

    /** The management interface of the application under test ({@code quarkus.management.test-port}). */
    public static RequestSpecification management() {
        int port = ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
        return given().port(port);
    }
}
