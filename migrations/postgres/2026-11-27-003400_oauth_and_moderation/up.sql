-- OAuth authorization codes and browser sign-in sessions (the authorize page),
-- reports and the moderation audit log.

-- An authorization code, stored as the SHA-256 of the code: single-use (used_at),
-- short-lived (expires_at), bound to its app and redirect_uri, with the PKCE
-- challenge to check. token_id is the token it was traded for, so that a replayed
-- code can revoke that token (RFC 6749 4.1.2).
CREATE TABLE oauth_codes (
    code_hash      TEXT PRIMARY KEY,
    app_id         BIGINT NOT NULL REFERENCES apps (id),
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    redirect_uri   TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    code_challenge TEXT,
    created_at     TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL,
    used_at        TIMESTAMP,
    token_id       TEXT
);

-- A signed-in browser on the authorize page, stored as the SHA-256 of the cookie.
CREATE TABLE web_sessions (
    id_hash    TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE INDEX web_sessions_account_id ON web_sessions (account_id);

-- A report about an account and some of its posts. community_id is set when all
-- reported posts are in one community: that community's admins may handle it.
CREATE TABLE reports (
    id                BIGINT PRIMARY KEY,
    account_id        BIGINT NOT NULL REFERENCES accounts (id),
    target_account_id BIGINT NOT NULL REFERENCES accounts (id),
    community_id      BIGINT REFERENCES communities (id),
    category          TEXT NOT NULL,
    comment           TEXT NOT NULL,
    action_taken_at   TIMESTAMP,
    action_taken_by   BIGINT REFERENCES accounts (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);

-- The queues: open reports newest first, and one community's reports.
CREATE INDEX reports_open ON reports (id) WHERE action_taken_at IS NULL;
CREATE INDEX reports_community_id ON reports (community_id, id);

CREATE TABLE report_statuses (
    report_id BIGINT NOT NULL REFERENCES reports (id),
    status_id BIGINT NOT NULL REFERENCES statuses (id),
    PRIMARY KEY (report_id, status_id)
);

-- Every moderation action: who (actor_id), what (action, targets), when, why.
-- The rows naming an account as target double as the notices that person reads.
CREATE TABLE moderation_actions (
    id                BIGINT PRIMARY KEY,
    actor_id          BIGINT NOT NULL REFERENCES accounts (id),
    action            TEXT NOT NULL,
    target_account_id BIGINT REFERENCES accounts (id),
    target_status_id  BIGINT REFERENCES statuses (id),
    report_id         BIGINT REFERENCES reports (id),
    community_id      BIGINT REFERENCES communities (id),
    reason            TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);

CREATE INDEX moderation_actions_target_account_id ON moderation_actions (target_account_id, id);
CREATE INDEX moderation_actions_community_id ON moderation_actions (community_id, id);
