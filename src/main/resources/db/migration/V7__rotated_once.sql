-- A token is rotated at most once. rotated_at is set by the conditional update that
-- reserves its successor (rotated_by_issuance), in the same transaction, so exactly one
-- rotation wins across replicas; a successor that certainly was not minted clears it.
ALTER TABLE service_token ADD COLUMN rotated_at BIGINT;
ALTER TABLE service_token ADD COLUMN rotated_by_issuance VARCHAR(36);
CREATE INDEX service_token_by_rotation ON service_token (rotated_by_issuance);
