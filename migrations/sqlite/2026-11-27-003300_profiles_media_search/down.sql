DROP TRIGGER statuses_fts_delete;
DROP TRIGGER statuses_fts_update;
DROP TRIGGER statuses_fts_insert;
DROP TABLE statuses_fts;
DROP TABLE media_attachments;
ALTER TABLE accounts DROP COLUMN avatar_static_key;
ALTER TABLE accounts DROP COLUMN avatar_key;
