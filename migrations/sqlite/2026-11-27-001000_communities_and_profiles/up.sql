-- Profiles (directory fields) and communities (Yammer's groups). A post in a
-- private community is visible to its active members only, on every read path.

ALTER TABLE accounts ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN department TEXT;
ALTER TABLE accounts ADD COLUMN job_title TEXT;
ALTER TABLE accounts ADD COLUMN location TEXT;
ALTER TABLE accounts ADD COLUMN manager_id BIGINT REFERENCES accounts (id);

-- The directory filters by department.
CREATE INDEX accounts_department ON accounts (department);

CREATE TABLE communities (
    id             BIGINT PRIMARY KEY,
    name           TEXT NOT NULL,
    name_canonical TEXT NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    private        BOOLEAN NOT NULL DEFAULT false,
    helpdesk       BOOLEAN NOT NULL DEFAULT false,
    created_by     BIGINT NOT NULL REFERENCES accounts (id),
    created_at     TIMESTAMP NOT NULL,
    CONSTRAINT communities_name_canonical_key UNIQUE (name_canonical)
);

-- role: member | admin; state: active | pending (a request to join a private community).
CREATE TABLE community_members (
    community_id BIGINT NOT NULL REFERENCES communities (id),
    account_id   BIGINT NOT NULL REFERENCES accounts (id),
    role         TEXT NOT NULL DEFAULT 'member',
    state        TEXT NOT NULL DEFAULT 'active',
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (community_id, account_id)
);

-- "Which communities is this person in" drives the visibility rule and home feeds.
CREATE INDEX community_members_account_id ON community_members (account_id, community_id);

ALTER TABLE statuses ADD COLUMN community_id BIGINT REFERENCES communities (id);

-- Community feeds page over the live posts of one community.
CREATE INDEX statuses_community_id_id_live ON statuses (community_id, id) WHERE deleted_at IS NULL;
