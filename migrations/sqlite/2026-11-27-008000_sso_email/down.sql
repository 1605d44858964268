DROP TABLE email_cursor;
DROP TABLE email_queue;
DROP TABLE email_notices;
DROP TABLE email_preferences;
DROP TABLE sso_codes;
DROP TABLE sso_logins;
DROP TABLE sso_identities;
