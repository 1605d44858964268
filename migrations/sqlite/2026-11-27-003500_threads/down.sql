DROP TABLE thread_follows;
DROP TABLE status_edits;
DROP INDEX statuses_accepted_answer_id;
DROP INDEX statuses_questions_live;
DROP INDEX statuses_thread_id_id;
ALTER TABLE statuses DROP COLUMN accepted_answer_id;
ALTER TABLE statuses DROP COLUMN question;
ALTER TABLE statuses DROP COLUMN edited_at;
ALTER TABLE statuses DROP COLUMN thread_id;
