-- Records written from now on are in format 2: scopes stored as a JSON array of
-- strings, which reads back exactly what was hashed (format 1's space-joined text
-- lost an empty scope and split a scope holding a space, breaking the chain).
-- Rows already written keep format 1 and verify as before.
ALTER TABLE audit_event ADD COLUMN record_format SMALLINT DEFAULT 1 NOT NULL;
ALTER TABLE audit_event ALTER COLUMN scopes SET DATA TYPE VARCHAR(65536);
