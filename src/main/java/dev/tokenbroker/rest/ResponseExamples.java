package dev.tokenbroker.rest;

/**
 * What each successful answer looks like, for the OpenAPI document (Swagger UI shows
 * them; the linter checks them against their schemas). Keys and ids are made up; a
 * token's secret is never shown, even as an example.
 */
final class ResponseExamples {

    private static final String ISSUED_FIELDS = "\"key\": \"AbCdEfGhIjKlMnOpQrStUv\", \"username\": \"bot-jenkins-metrics\","
            + " \"scopes\": [\"write:sasquatch\"], \"expires\": \"2027-02-26T12:00:00Z\", \"requested_by\": \"alice\","
            + " \"audit_id\": \"6f1c2b0e-8d4a-4f7e-9b35-2a1d7c9e4f10\"";
    private static final String TOKEN = "\"token\": \"gt-AbCdEfGhIjKlMnOpQrStUv.<22-character secret, shown once>\"";
    private static final String SERVICE_TOKEN = "{\"key\": \"AbCdEfGhIjKlMnOpQrStUv\", \"username\": \"bot-jenkins-metrics\","
            + " \"name\": \"Jenkins metrics job\", \"scopes\": [\"write:sasquatch\"], \"expires\": \"2027-02-26T12:00:00Z\","
            + " \"requested_by\": \"alice\", \"issued_at\": \"2026-11-28T12:00:00Z\","
            + " \"audit_id\": \"6f1c2b0e-8d4a-4f7e-9b35-2a1d7c9e4f10\", \"state\": \"active\"}";
    private static final String BOT = "{\"username\": \"bot-jenkins-metrics\","
            + " \"owners\": {\"users\": [\"alice\"], \"groups\": [\"g_sasquatch_ops\"]},"
            + " \"claimed_by\": \"alice\", \"claimed_at\": \"2026-11-01T09:30:00Z\", \"active_tokens\": 2}";

    static final String ISSUED = "{" + TOKEN + ", " + ISSUED_FIELDS + "}";
    static final String ROTATED = "{\"token\": \"gt-ZyXwVuTsRqPoNmLkJiHgFe.<22-character secret, shown once>\","
            + " \"key\": \"ZyXwVuTsRqPoNmLkJiHgFe\", \"username\": \"bot-jenkins-metrics\","
            + " \"scopes\": [\"write:sasquatch\"], \"expires\": \"2027-02-27T12:00:00Z\", \"requested_by\": \"alice\","
            + " \"audit_id\": \"a3e9d2c1-7b6f-4e5a-8c4d-3b2a1f0e9d8c\", \"replaces\": \"AbCdEfGhIjKlMnOpQrStUv\","
            + " \"old_token_revoked_at\": \"2026-11-29T12:00:00Z\"}";
    static final String ONE_TOKEN = SERVICE_TOKEN;
    static final String TOKENS = "[" + SERVICE_TOKEN + "]";
    static final String ONE_BOT = BOT;
    static final String TRUST_POLICY = "{\"name\": \"release-ci\", \"issuer\": \"github\", \"subject\": null,"
            + " \"subject_pattern\": \"repo:lsst-sqre/foo:ref:refs/tags/.*\","
            + " \"claims\": {\"repository_owner\": \"lsst-sqre\"}, \"claim_patterns\": {},"
            + " \"scopes\": [\"write:sasquatch\"], \"max_lifetime\": \"PT1H\"}";
    static final String TRUST_POLICIES = "[" + TRUST_POLICY + "]";
    static final String BOTS = "[" + BOT + "]";
    static final String AUDIT_EVENTS = "[{\"seq\": 1042, \"id\": \"0b7e5c1a-3f2d-4e8b-a6c9-5d4e3f2a1b0c\","
            + " \"issuance_id\": \"6f1c2b0e-8d4a-4f7e-9b35-2a1d7c9e4f10\", \"time\": \"2026-11-28T12:00:00.412Z\","
            + " \"request_id\": \"jenkins-build-8812\", \"caller\": \"alice\", \"caller_token_key\": \"cAlLeRtOkEnKeY00000001\","
            + " \"caller_token_type\": \"user\", \"client_address\": \"192.0.2.10\", \"user_agent\": \"curl/8.5.0\","
            + " \"action\": \"issue\", \"username\": \"bot-jenkins-metrics\", \"name\": \"Jenkins metrics job\","
            + " \"scopes\": [\"write:sasquatch\"], \"expires\": \"2027-02-26T12:00:00Z\", \"outcome\": \"issued\","
            + " \"token_key\": \"AbCdEfGhIjKlMnOpQrStUv\", \"chain_seq\": 1042,"
            + " \"prev_hash\": \"9c1d4f0e2b7a6c5d8e3f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d\","
            + " \"hash\": \"1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3\"}]";
    static final String CHAIN_INTACT = "{\"intact\": true, \"events_checked\": 1042, \"head_seq\": 1042,"
            + " \"head_hash\": \"1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3\", \"unsealed\": 0}";

    private ResponseExamples() {
    }
}
