-- The active-token count of a bot (under its lock, on every mint) reads only tokens
-- that have not expired, instead of every token the bot ever had.
CREATE INDEX service_token_by_bot_expiry ON service_token (username, expires);
