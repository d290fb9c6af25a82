-- Quotas in constant time. The caller's hourly quota counts its reservations in one row
-- per minute (at most 60 rows to add up, however busy the caller); the bot's live tokens
-- are a counter kept by the transactions that reserve, release and revoke, and recounted
-- exactly when its soonest expiry has passed (next_expiry), which is when a token may have
-- left without a transaction. Both change only under the caller's and the bot's row locks.
CREATE TABLE quota_caller_minute (
    username  VARCHAR(64)  NOT NULL,
    epoch_minute  BIGINT   NOT NULL,
    issued    INTEGER      NOT NULL,
    PRIMARY KEY (username, epoch_minute)
);

ALTER TABLE bot ADD COLUMN live_tokens INTEGER NOT NULL DEFAULT 0;
ALTER TABLE bot ADD COLUMN next_expiry BIGINT;

UPDATE bot SET
    live_tokens = (SELECT COUNT(*) FROM service_token t WHERE t.username = bot.username
        AND t.revoked_at IS NULL AND t.expires > EXTRACT(EPOCH FROM CURRENT_TIMESTAMP)),
    next_expiry = (SELECT MIN(t.expires) FROM service_token t WHERE t.username = bot.username
        AND t.revoked_at IS NULL AND t.expires > EXTRACT(EPOCH FROM CURRENT_TIMESTAMP));

INSERT INTO quota_caller_minute (username, epoch_minute, issued)
    SELECT requested_by, reserved_at / 60000, COUNT(*) FROM service_token
    WHERE reserved_at > (EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) - 3600) * 1000
    GROUP BY requested_by, reserved_at / 60000;
