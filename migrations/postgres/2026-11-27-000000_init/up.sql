-- Hubbub's first schema. Times are UTC `TIMESTAMP` (diesel's MultiConnection has no
-- TIMESTAMPTZ); ids are time-ordered BIGINTs minted by the application.

CREATE TABLE apps (
    id            BIGINT PRIMARY KEY,
    name          TEXT NOT NULL,
    client_id     TEXT NOT NULL UNIQUE,
    client_secret TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    scopes        TEXT NOT NULL,
    website       TEXT,
    created_at    TIMESTAMP NOT NULL
);

CREATE TABLE accounts (
    id                 BIGINT PRIMARY KEY,
    username           TEXT NOT NULL,
    username_canonical TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    email              TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    role               TEXT NOT NULL,
    disabled           BOOLEAN NOT NULL DEFAULT false,
    created_at         TIMESTAMP NOT NULL,
    CONSTRAINT accounts_username_canonical_key UNIQUE (username_canonical),
    CONSTRAINT accounts_email_key UNIQUE (email)
);

CREATE TABLE statuses (
    id             BIGINT PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    text           TEXT NOT NULL,
    in_reply_to_id BIGINT REFERENCES statuses (id),
    created_at     TIMESTAMP NOT NULL,
    deleted_at     TIMESTAMP
);

-- Keyset feeds read id ranges of live posts, per author or for everyone.
CREATE INDEX statuses_account_id_id_live ON statuses (account_id, id) WHERE deleted_at IS NULL;
CREATE INDEX statuses_id_live ON statuses (id) WHERE deleted_at IS NULL;
CREATE INDEX statuses_in_reply_to_id ON statuses (in_reply_to_id);

CREATE TABLE follows (
    follower_id BIGINT NOT NULL REFERENCES accounts (id),
    followee_id BIGINT NOT NULL REFERENCES accounts (id),
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (follower_id, followee_id)
);

-- "Who follows X" (followers counts, fan-out) reads from the followee side.
CREATE INDEX follows_followee_id_follower_id ON follows (followee_id, follower_id);

CREATE TABLE access_tokens (
    id         TEXT PRIMARY KEY,
    account_id BIGINT REFERENCES accounts (id),
    app_id     BIGINT REFERENCES apps (id),
    scopes     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE INDEX access_tokens_account_id ON access_tokens (account_id);

-- The outbox: written in the same transaction as the change it describes; the
-- relay publishes unpublished rows in id order, and replay reads published ones.
CREATE TABLE outbox (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    published_at TIMESTAMP
);

CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
