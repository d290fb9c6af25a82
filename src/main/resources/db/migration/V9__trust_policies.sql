-- Trust policies: which CI jobs may mint for a bot with their OIDC identity token. A policy
-- belongs to its bot, not to the owner who wrote it. claims and claim_patterns are JSON objects
-- (claim name -> value or pattern), scopes a JSON array, max_lifetime seconds.
CREATE TABLE trust_policy (
    username        VARCHAR(64)   NOT NULL,
    name            VARCHAR(64)   NOT NULL,
    issuer          VARCHAR(32)   NOT NULL,
    subject         VARCHAR(1024),
    subject_pattern VARCHAR(256),
    claims          TEXT          NOT NULL,
    claim_patterns  TEXT          NOT NULL,
    scopes          TEXT          NOT NULL,
    max_lifetime    BIGINT        NOT NULL,
    updated_by      VARCHAR(64)   NOT NULL,
    updated_at      BIGINT        NOT NULL,
    PRIMARY KEY (username, name)
);

-- Each job token is exchanged once: its jti is remembered until the token expires, in the
-- database every replica shares, so a replay is refused whichever replica it reaches.
CREATE TABLE federated_jti (
    issuer      VARCHAR(32)   NOT NULL,
    jti         VARCHAR(256)  NOT NULL,
    expires_at  BIGINT        NOT NULL,
    PRIMARY KEY (issuer, jti)
);
CREATE INDEX federated_jti_by_expiry ON federated_jti (expires_at);
