-- Favourites, reactions, bookmarks, notifications and read markers. Ids come from
-- the database: favourites and notifications are side effects of other writes
-- (a follow, a post that mentions someone), where no id is minted. Each id only
-- grows, so the keyset lists page over it.

CREATE TABLE favourites (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT favourites_account_id_status_id_key UNIQUE (account_id, status_id)
);

-- Counts and favourited_by read one post's favourites; "my favourites" pages by id.
CREATE INDEX favourites_status_id_id ON favourites (status_id, id);
CREATE INDEX favourites_account_id_id ON favourites (account_id, id);

CREATE TABLE reactions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT reactions_account_id_status_id_name_key UNIQUE (account_id, status_id, name)
);

CREATE INDEX reactions_status_id_name_id ON reactions (status_id, name, id);

CREATE TABLE bookmarks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT bookmarks_account_id_status_id_key UNIQUE (account_id, status_id)
);

CREATE INDEX bookmarks_account_id_id ON bookmarks (account_id, id);

-- kind: mention, follow, favourite, hubbub.reaction, hubbub.answer_accepted.
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id      BIGINT NOT NULL REFERENCES accounts (id),
    kind            TEXT NOT NULL,
    from_account_id BIGINT NOT NULL REFERENCES accounts (id),
    status_id       BIGINT REFERENCES statuses (id),
    reaction        TEXT,
    created_at      TIMESTAMP NOT NULL
);

-- The recipient's keyset feed (optionally by kind), and its unread count.
CREATE INDEX notifications_account_id_id ON notifications (account_id, id);
CREATE INDEX notifications_account_id_kind_id ON notifications (account_id, kind, id);
CREATE INDEX notifications_status_id ON notifications (status_id);

-- Read positions (Mastodon's markers): timeline is home or notifications.
CREATE TABLE markers (
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    timeline     TEXT NOT NULL,
    last_read_id BIGINT NOT NULL,
    version      BIGINT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, timeline)
);
