package dev.tokenbroker.rest;

import dev.tokenbroker.policy.PageRules;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters every listing takes, declared once for JAX-RS and the OpenAPI
 * document ({@code @BeanParam}). Both are read as text so that a bad value is a 400
 * problem naming the parameter, not the framework's bare 404; the document still
 * types limit as an integer for generated clients.
 */
public class PageParameters {

    @Parameter(description = "From the Link header of the previous page")
    @QueryParam("cursor")
    String cursor;

    @Parameter(description = "How many to return, 1 to " + PageRules.MAX_LIMIT,
            schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + PageRules.MAX_LIMIT,
                    defaultValue = "" + PageRules.DEFAULT_LIMIT))
    @QueryParam("limit")
    @DefaultValue("" + PageRules.DEFAULT_LIMIT)
    String limit;
}
