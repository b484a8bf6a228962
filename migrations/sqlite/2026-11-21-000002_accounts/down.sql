DROP TABLE login_failures;
DROP TABLE audit_log;
DROP TABLE api_tokens;
DROP TABLE users;
ALTER TABLE assessments DROP COLUMN version;
ALTER TABLE sources DROP COLUMN version;
ALTER TABLE dimensions DROP COLUMN version;
ALTER TABLE technologies DROP COLUMN version;
