-- Avatars, media attachments and full-text search over posts.

-- Storage keys (in the media store) of the resized avatar and its small version.
ALTER TABLE accounts ADD COLUMN avatar_key TEXT;
ALTER TABLE accounts ADD COLUMN avatar_static_key TEXT;

-- An uploaded image; unattached until a post names it in media_ids[].
CREATE TABLE media_attachments (
    id             BIGINT PRIMARY KEY,
    account_id     BIGINT NOT NULL REFERENCES accounts (id),
    status_id      BIGINT REFERENCES statuses (id),
    content_type   TEXT NOT NULL,
    file_key       TEXT NOT NULL,
    preview_key    TEXT NOT NULL,
    width          BIGINT NOT NULL,
    height         BIGINT NOT NULL,
    preview_width  BIGINT NOT NULL,
    preview_height BIGINT NOT NULL,
    file_size      BIGINT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL
);

-- A page of posts loads its attachments by status; uploads are checked per owner.
CREATE INDEX media_attachments_status_id ON media_attachments (status_id, id);
CREATE INDEX media_attachments_account_id ON media_attachments (account_id, id);

-- Full text over live posts: an external-content FTS5 table over statuses.text,
-- kept in step by triggers, so an insert, an edit or a delete changes the index
-- in the same transaction. unicode61 splits on every non-alphanumeric character
-- (vpn.example.com -> vpn example com); queries search each term as a prefix
-- phrase, so the host name, an error code and each of their parts are all found.
-- Only live posts are indexed.
CREATE VIRTUAL TABLE statuses_fts USING fts5(
    text,
    content = 'statuses',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO statuses_fts (rowid, text) SELECT id, text FROM statuses WHERE deleted_at IS NULL;

CREATE TRIGGER statuses_fts_insert AFTER INSERT ON statuses
WHEN new.deleted_at IS NULL
BEGIN
    INSERT INTO statuses_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TRIGGER statuses_fts_update AFTER UPDATE OF text, deleted_at ON statuses
BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text)
        SELECT 'delete', old.id, old.text WHERE old.deleted_at IS NULL;
    INSERT INTO statuses_fts (rowid, text)
        SELECT new.id, new.text WHERE new.deleted_at IS NULL;
END;

CREATE TRIGGER statuses_fts_delete AFTER DELETE ON statuses
WHEN old.deleted_at IS NULL
BEGIN
    INSERT INTO statuses_fts (statuses_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
