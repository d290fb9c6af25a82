-- Idempotency-Key (IETF httpapi draft): one row per caller and key, kept 24 hours.
-- state: 'claimed' while an attempt runs (or its outcome is unknown), 'done' once it
-- delivered token_key, 'open' when the attempt ended without a token (a retry may mint).
-- fingerprint is the SHA-256 of the request, so a different body under the same key is refused.
CREATE TABLE idempotency_key (
    caller       VARCHAR(64)   NOT NULL,
    idem_key     VARCHAR(255)  NOT NULL,
    fingerprint  CHAR(64)      NOT NULL,
    issuance_id  VARCHAR(36)   NOT NULL,
    state        VARCHAR(8)    NOT NULL,
    username     VARCHAR(64)   NOT NULL,
    token_key    VARCHAR(22),
    created_at   BIGINT        NOT NULL,
    updated_at   BIGINT        NOT NULL,
    PRIMARY KEY (caller, idem_key)
);
CREATE INDEX idempotency_key_by_issuance ON idempotency_key (issuance_id);
CREATE INDEX idempotency_key_by_created ON idempotency_key (created_at);
