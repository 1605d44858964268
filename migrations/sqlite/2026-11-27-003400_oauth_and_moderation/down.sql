DROP TABLE moderation_actions;
DROP TABLE report_statuses;
DROP TABLE reports;
DROP TABLE web_sessions;
DROP TABLE oauth_codes;
