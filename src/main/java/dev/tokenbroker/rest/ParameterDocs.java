package dev.tokenbroker.rest;

/** What the OpenAPI document says of the parameters several operations share, said once. */
final class ParameterDocs {

    static final String REQUEST_ID = "Your own id for this request (1 to 128 of A-Z a-z 0-9 . _ : -), echoed and"
            + " audited; one is generated when absent";
    static final String BOT_USERNAME = "The bot user, bot-<name> as Gafaelfawr spells it";
    static final String TOKEN_KEY = "The token's 22-character key (the part of gt-<key>.<secret> before the dot)";

    private ParameterDocs() {
    }
}
