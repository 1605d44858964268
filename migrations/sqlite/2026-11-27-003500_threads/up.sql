-- Threads: every post knows its thread's first post, so a thread is one index range.
ALTER TABLE statuses ADD COLUMN thread_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE statuses ADD COLUMN edited_at TIMESTAMP;
ALTER TABLE statuses ADD COLUMN question BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE statuses ADD COLUMN accepted_answer_id BIGINT REFERENCES statuses (id);

WITH RECURSIVE roots (id, root) AS (
    SELECT id, id FROM statuses WHERE in_reply_to_id IS NULL
    UNION ALL
    SELECT s.id, r.root FROM statuses s JOIN roots r ON s.in_reply_to_id = r.id
)
UPDATE statuses SET thread_id = COALESCE((SELECT root FROM roots WHERE roots.id = statuses.id), id);

-- A thread in order (context, including tombstones) and the newest posts of some threads.
CREATE INDEX statuses_thread_id_id ON statuses (thread_id, id);
-- The questions timeline: live questions, newest first.
CREATE INDEX statuses_questions_live ON statuses (id) WHERE question AND deleted_at IS NULL;
-- "Is this reply an accepted answer?" for a page of posts.
CREATE INDEX statuses_accepted_answer_id ON statuses (accepted_answer_id)
    WHERE accepted_answer_id IS NOT NULL;

-- Previous versions of edited posts (the current one stays in statuses).
CREATE TABLE status_edits (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    text       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX status_edits_status_id_id ON status_edits (status_id, id);

-- Threads someone follows: explicitly, or by posting in them (source 'post').
CREATE TABLE thread_follows (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    thread_id  BIGINT NOT NULL REFERENCES statuses (id),
    source     TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, thread_id)
);
CREATE INDEX thread_follows_thread_id ON thread_follows (thread_id);

INSERT INTO thread_follows (account_id, thread_id, source, created_at)
SELECT account_id, thread_id, 'post', MIN(created_at)
FROM statuses WHERE deleted_at IS NULL
GROUP BY account_id, thread_id;
