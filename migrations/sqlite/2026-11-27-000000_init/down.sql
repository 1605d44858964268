DROP TABLE outbox;
DROP TABLE access_tokens;
DROP TABLE follows;
DROP TABLE statuses;
DROP TABLE accounts;
DROP TABLE apps;
