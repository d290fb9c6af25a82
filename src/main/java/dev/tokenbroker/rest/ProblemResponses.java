package dev.tokenbroker.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Adds the error answers every operation shares to the OpenAPI document once,
 * instead of repeating them on each resource method: all are problem documents,
 * described in {@code components.responses}. An operation's own description of a
 * status (its 404, its 403) is kept.
 */
public class ProblemResponses implements OASFilter {

    private static final Map<String, String> EVERY_OPERATION = ordered(
            "400", "The request is malformed: not JSON, a key twice, a wrong JSON type, a bad query parameter",
            "401", "No, malformed or refused bearer token",
            "403", "The caller may not do this",
            "503", "The audit log is unavailable, or Gafaelfawr rejects the broker's own admin token");
    private static final Map<String, String> WITH_A_BODY = ordered(
            "413", "The body is larger than 16 KiB",
            "415", "The body is not application/json",
            "422", "The request breaks a rule; every broken rule is listed in errors",
            "502", "Gafaelfawr failed, refused the request or is unreachable",
            "504", "Gafaelfawr did not answer in time; the token may or may not exist (never retried)");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        for (Map<String, String> shared : List.of(EVERY_OPERATION, WITH_A_BODY)) {
            shared.forEach((status, description) -> openAPI.getComponents().addResponse(name(status),
                    OASFactory.createAPIResponse().description(description).content(OASFactory.createContent()
                            .addMediaType(Problem.MEDIA_TYPE, OASFactory.createMediaType().schema(
                                    OASFactory.createSchema().ref("#/components/schemas/Problem"))))));
        }
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                addMissing(operation, EVERY_OPERATION);
                if (operation.getRequestBody() != null) {
                    addMissing(operation, WITH_A_BODY);
                }
            }
        }
    }

    private static void addMissing(Operation operation, Map<String, String> shared) {
        if (operation.getResponses() == null) {
            operation.setResponses(OASFactory.createAPIResponses());
        }
        for (String status : shared.keySet()) {
            if (!operation.getResponses().hasAPIResponse(status)) {
                APIResponse reference = OASFactory.createAPIResponse().ref("#/components/responses/" + name(status));
                operation.getResponses().addAPIResponse(status, reference);
            }
        }
    }

    private static String name(String status) {
        return "Problem" + status;
    }

    private static Map<String, String> ordered(String... statusesAndDescriptions) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < statusesAndDescriptions.length; i += 2) {
            map.put(statusesAndDescriptions[i], statusesAndDescriptions[i + 1]);
        }
        return map;
    }
}
