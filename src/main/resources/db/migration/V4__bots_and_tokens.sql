-- The broker's current state of bots and their tokens, beside the append-only audit
-- log (which keeps the history). Times are epoch milliseconds, expires epoch seconds.

-- A bot the broker knows. claimed_by is null when nobody claimed it (an admin minted
-- for it or gave it owners): with no owners it is unclaimed.
CREATE TABLE bot (
    username    VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_at  BIGINT       NOT NULL,
    claimed_by  VARCHAR(64),
    claimed_at  BIGINT
);
CREATE INDEX bot_by_created ON bot (created_at, username);

-- Owners: Gafaelfawr usernames (kind 'user') and groups (kind 'group').
CREATE TABLE bot_owner (
    username  VARCHAR(64)  NOT NULL REFERENCES bot (username),
    kind      VARCHAR(5)   NOT NULL,
    name      VARCHAR(64)  NOT NULL,
    PRIMARY KEY (username, kind, name)
);
CREATE INDEX bot_owner_by_name ON bot_owner (kind, name);

-- One row per caller, locked while that caller's hourly issuances are counted, so
-- that replicas count one at a time.
CREATE TABLE quota_caller (
    username  VARCHAR(64)  NOT NULL PRIMARY KEY
);

-- Every token the broker minted or is minting. A row is reserved (state 'pending')
-- under the quota locks before Gafaelfawr is called, then becomes 'issued' with its
-- key; a certain failure deletes it. revoke_after schedules a rotation's delayed
-- revocation; revoked_at is set once Gafaelfawr confirmed it.
CREATE TABLE service_token (
    issuance_id   VARCHAR(36)    NOT NULL PRIMARY KEY,
    username      VARCHAR(64)    NOT NULL,
    state         VARCHAR(8)     NOT NULL,
    token_key     VARCHAR(22),
    name          VARCHAR(256),
    scopes        VARCHAR(65536) NOT NULL,
    expires       BIGINT         NOT NULL,
    requested_by  VARCHAR(64)    NOT NULL,
    reserved_at   BIGINT         NOT NULL,
    issued_at     BIGINT,
    replaces      VARCHAR(22),
    revoke_after  BIGINT,
    revoke_actor  VARCHAR(64),
    revoked_at    BIGINT,
    revoked_by    VARCHAR(64)
);
CREATE INDEX service_token_by_key ON service_token (token_key);
CREATE INDEX service_token_by_bot ON service_token (username, reserved_at);
CREATE INDEX service_token_by_requester ON service_token (requested_by, reserved_at);
CREATE INDEX service_token_by_revoke_after ON service_token (revoke_after);
