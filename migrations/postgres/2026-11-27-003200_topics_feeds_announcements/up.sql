-- #Topics, @mentions, followed topics and announcements (pinned posts).

-- A topic, by its canonical (lower-cased) name. Ids come from the database:
-- topics are created as a side effect of posting, where no id is minted.
CREATE TABLE tags (
    id         BIGSERIAL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT tags_name_key UNIQUE (name)
);

CREATE TABLE status_tags (
    status_id BIGINT NOT NULL REFERENCES statuses (id),
    tag_id    BIGINT NOT NULL REFERENCES tags (id),
    PRIMARY KEY (status_id, tag_id)
);

-- The topic feed (and the followed-topics part of home) reads one topic's posts by id.
CREATE INDEX status_tags_tag_id_status_id ON status_tags (tag_id, status_id);

-- Only mentions of accounts that exist are stored.
CREATE TABLE mentions (
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    PRIMARY KEY (status_id, account_id)
);

CREATE INDEX mentions_account_id_status_id ON mentions (account_id, status_id);

CREATE TABLE tag_follows (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    tag_id     BIGINT NOT NULL REFERENCES tags (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, tag_id)
);

-- A post marked as an announcement: company-wide when community_id is NULL,
-- otherwise pinned on top of that community's feed.
CREATE TABLE announcements (
    status_id    BIGINT PRIMARY KEY REFERENCES statuses (id),
    community_id BIGINT REFERENCES communities (id),
    created_by   BIGINT NOT NULL REFERENCES accounts (id),
    created_at   TIMESTAMP NOT NULL
);

CREATE INDEX announcements_community_id_status_id ON announcements (community_id, status_id);

CREATE TABLE announcement_dismissals (
    account_id BIGINT NOT NULL REFERENCES accounts (id),
    status_id  BIGINT NOT NULL REFERENCES statuses (id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (account_id, status_id)
);
