ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT '';
DROP TABLE user_sessions;
