-- The broker's audit log. Rows are appended and never updated: a later state of
-- one issuance (pending -> issued) is a new row with the same issuance_id. Every
-- row is linked into one hash chain by seq; audit_chain_head holds the chain's
-- end and is locked by each append, so that replicas sharing the database
-- append in one order. Times are epoch milliseconds (event_time) and epoch
-- seconds (expires) so that the hash is computed identically on every database.
CREATE TABLE audit_event (
    seq               BIGINT        NOT NULL PRIMARY KEY,
    id                VARCHAR(36)   NOT NULL UNIQUE,
    issuance_id       VARCHAR(36)   NOT NULL,
    event_time        BIGINT        NOT NULL,
    request_id        VARCHAR(128)  NOT NULL,
    caller_username   VARCHAR(64)   NOT NULL,
    caller_token_key  VARCHAR(22)   NOT NULL,
    caller_token_type VARCHAR(16)   NOT NULL,
    client_address    VARCHAR(64),
    user_agent        VARCHAR(256),
    action            VARCHAR(16)   NOT NULL,
    target_username   VARCHAR(128),
    display_name      VARCHAR(256),
    scopes            VARCHAR(1024),
    expires           BIGINT,
    outcome           VARCHAR(16)   NOT NULL,
    reason            VARCHAR(1024),
    token_key         VARCHAR(22),
    prev_hash         CHAR(64)      NOT NULL,
    hash              CHAR(64)      NOT NULL
);

CREATE INDEX audit_event_by_caller ON audit_event (caller_username, seq);
CREATE INDEX audit_event_by_target ON audit_event (target_username, seq);
CREATE INDEX audit_event_by_token_key ON audit_event (token_key);
CREATE INDEX audit_event_by_issuance ON audit_event (issuance_id);
CREATE INDEX audit_event_by_time ON audit_event (event_time);

CREATE TABLE audit_chain_head (
    id   INTEGER  NOT NULL PRIMARY KEY,
    seq  BIGINT   NOT NULL,
    hash CHAR(64) NOT NULL
);

INSERT INTO audit_chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
