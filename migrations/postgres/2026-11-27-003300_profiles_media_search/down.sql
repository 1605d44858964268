DROP INDEX statuses_text_search;
DROP TABLE media_attachments;
ALTER TABLE accounts DROP COLUMN avatar_static_key;
ALTER TABLE accounts DROP COLUMN avatar_key;
