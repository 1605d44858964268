-- The help desk: versioned settings, tickets (one per thread starter) and each
-- ticket's event log, from which every reported figure is recomputed.

-- Version 0 is the built-in defaults and has no row; managers add versions 1, 2, ...
CREATE TABLE helpdesk_settings (
    version    BIGINT PRIMARY KEY,
    body       TEXT NOT NULL,
    created_by BIGINT REFERENCES accounts (id),
    created_at TIMESTAMP NOT NULL
);

-- A ticket's id is its starter post's id. The time columns cache what the event
-- log says, for the triage queue's filters and the reports' period selection.
CREATE TABLE helpdesk_tickets (
    id                        BIGINT PRIMARY KEY REFERENCES statuses (id),
    asker_id                  BIGINT NOT NULL REFERENCES accounts (id),
    community_id              BIGINT,
    source                    TEXT NOT NULL,
    category                  TEXT NOT NULL,
    priority                  TEXT NOT NULL,
    state                     TEXT NOT NULL,
    assignee_id               BIGINT REFERENCES accounts (id),
    duplicate_of_id           BIGINT REFERENCES helpdesk_tickets (id),
    escalation_ref            TEXT,
    answer_id                 BIGINT REFERENCES statuses (id),
    created_at                TIMESTAMP NOT NULL,
    first_response_at         TIMESTAMP,
    first_peer_response_at    TIMESTAMP,
    first_support_response_at TIMESTAMP,
    resolved_at               TIMESTAMP,
    updated_at                TIMESTAMP NOT NULL
);

-- The triage queue reads active states; reports read a period by creation or resolution.
CREATE INDEX helpdesk_tickets_state_id ON helpdesk_tickets (state, id);
CREATE INDEX helpdesk_tickets_created_at ON helpdesk_tickets (created_at);
CREATE INDEX helpdesk_tickets_resolved_at ON helpdesk_tickets (resolved_at);

-- Who did what and when, with whether they were support at that moment.
CREATE TABLE helpdesk_ticket_events (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id          BIGINT NOT NULL REFERENCES helpdesk_tickets (id),
    kind               TEXT NOT NULL,
    actor_id           BIGINT REFERENCES accounts (id),
    actor_is_support   BOOLEAN NOT NULL,
    subject_id         BIGINT REFERENCES accounts (id),
    subject_is_support BOOLEAN NOT NULL,
    status_id          BIGINT,
    minutes            BIGINT,
    value              TEXT,
    at                 TIMESTAMP NOT NULL
);

CREATE INDEX helpdesk_ticket_events_ticket_id_id ON helpdesk_ticket_events (ticket_id, id);
