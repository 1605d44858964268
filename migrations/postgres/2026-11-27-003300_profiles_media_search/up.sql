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

-- Full text over live posts. The 'simple' configuration keeps every word as
-- typed (lower-cased, no stemming, no stop words), so "CI", "VPN" and error codes
-- such as 0x80070005 stay searchable. Separators inside host names, paths and
-- codes are turned into spaces first, so vpn.example.com and ERR_CERT_DATE_INVALID
-- are found as phrases and by each of their parts. Search queries must use this
-- exact expression to use the index; deleted posts drop out of it with the same
-- UPDATE that deletes them (partial index).
CREATE INDEX statuses_text_search ON statuses
    USING GIN (to_tsvector('simple', translate(text, '._-/:@', '      ')))
    WHERE deleted_at IS NULL;
