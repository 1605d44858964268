-- Single sign-on (OpenID Connect) and email: identities linked to accounts, pending
-- sign-ins, one-time hand-over codes, email preferences, the notices people should
-- hear about, the email queue and the planner's progress through the outbox.

-- An account created or claimed by SSO; the profile claims of the last sign-in.
CREATE TABLE sso_identities (
    account_id     BIGINT PRIMARY KEY REFERENCES accounts (id),
    issuer         TEXT NOT NULL,
    subject        TEXT NOT NULL,
    department     TEXT NOT NULL,
    job_title      TEXT NOT NULL,
    groups         TEXT NOT NULL,
    last_signed_in TIMESTAMP NOT NULL,
    CONSTRAINT sso_identities_issuer_subject_key UNIQUE (issuer, subject)
);

-- A sign-in sent to the identity provider and not back yet (state, nonce, PKCE).
CREATE TABLE sso_logins (
    state         TEXT PRIMARY KEY,
    nonce         TEXT NOT NULL,
    code_verifier TEXT NOT NULL,
    return_to     TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);

-- A one-time code handing a signed-in account to the web client or the authorize
-- page; only its SHA-256 is stored.
CREATE TABLE sso_codes (
    code_hash  TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    expires_at TIMESTAMP NOT NULL
);

CREATE TABLE email_preferences (
    account_id        BIGINT PRIMARY KEY REFERENCES accounts (id),
    disabled_kinds    TEXT NOT NULL,
    digest_enabled    BOOLEAN NOT NULL,
    digest_weekday    INTEGER NOT NULL,
    digest_minute     INTEGER NOT NULL,
    time_zone         TEXT NOT NULL,
    next_digest_at    TIMESTAMP NOT NULL,
    unsubscribe_token TEXT NOT NULL,
    updated_at        TIMESTAMP NOT NULL,
    CONSTRAINT email_preferences_unsubscribe_token_key UNIQUE (unsubscribe_token)
);

CREATE INDEX email_preferences_next_digest_at ON email_preferences (next_digest_at);

-- Something one person should hear about (a reply to their post, ...), once per
-- trigger (dedup_key); batched into an email per thread, then marked handled.
CREATE TABLE email_notices (
    id         BIGINT PRIMARY KEY,
    dedup_key  TEXT NOT NULL,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    kind       TEXT NOT NULL,
    thread_id  BIGINT NOT NULL,
    status_id  BIGINT NOT NULL,
    actor_id   BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    handled_at TIMESTAMP,
    CONSTRAINT email_notices_dedup_key_key UNIQUE (dedup_key)
);

CREATE INDEX email_notices_pending ON email_notices (account_id, thread_id) WHERE handled_at IS NULL;

-- Emails to send, at least once: claimed with a lease, retried with back-off.
CREATE TABLE email_queue (
    id              BIGINT PRIMARY KEY,
    dedup_key       TEXT NOT NULL,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    kind            TEXT NOT NULL,
    thread_id       BIGINT,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    unsubscribe_url TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP,
    last_error      TEXT,
    CONSTRAINT email_queue_dedup_key_key UNIQUE (dedup_key)
);

CREATE INDEX email_queue_due ON email_queue (next_attempt_at) WHERE sent_at IS NULL;
CREATE INDEX email_queue_thread ON email_queue (account_id, thread_id, created_at);

-- How far the notice planner has read the outbox.
CREATE TABLE email_cursor (
    name          TEXT PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
