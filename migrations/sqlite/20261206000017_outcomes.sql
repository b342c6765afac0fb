-- "You said, we did" (issue 17 §1–§2, MISSION.md §6.1, §7.3–§7.4): what the ministry decided
-- or changed because of what people said, for a survey or consultation (its opportunity) or a
-- theme of feedback (a topic), with a timeline of progress. Publishing it, and every change
-- of status after, tells the people linked to it once, in their language.

CREATE TABLE outcomes (
    id             BLOB PRIMARY KEY NOT NULL,
    -- What it answers: an opportunity (a survey's or a consultation's), or a feedback topic.
    opportunity_id BLOB REFERENCES opportunities (id) ON DELETE SET NULL,
    feedback_topic TEXT,
    -- The topic it is listed under (the opportunity's, or the feedback topic).
    topic          TEXT NOT NULL,
    title_ar       TEXT NOT NULL,
    title_en       TEXT NOT NULL,
    said_ar        TEXT NOT NULL,
    said_en        TEXT NOT NULL,
    did_ar         TEXT NOT NULL,
    did_en         TEXT NOT NULL,
    -- The body responsible for the change.
    body_ar        TEXT NOT NULL,
    body_en        TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('planned', 'in_progress', 'done', 'not_adopted')),
    -- Why it was not adopted (status not_adopted only).
    reason_ar      TEXT NOT NULL DEFAULT '',
    reason_en      TEXT NOT NULL DEFAULT '',
    -- When the change is expected (planned, in progress) or was made (done), as a day.
    due_on         TEXT,
    -- A question of the survey whose key figure per wave is the before/after indicator.
    indicator      TEXT,
    -- The linked results frozen at publication, as JSON ('' until published).
    snapshot       TEXT NOT NULL DEFAULT '',
    published_at   TEXT,
    -- Bumped by every change: two editors saving at once, one wins.
    version        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX outcomes_by_publication ON outcomes (published_at, topic, status);
CREATE INDEX outcomes_by_opportunity ON outcomes (opportunity_id);

-- The timeline: publication and every status change or progress note, newest last.
CREATE TABLE outcome_updates (
    id         BLOB PRIMARY KEY NOT NULL,
    outcome_id BLOB NOT NULL REFERENCES outcomes (id) ON DELETE CASCADE,
    status     TEXT NOT NULL,
    note_ar    TEXT NOT NULL,
    note_en    TEXT NOT NULL,
    -- Whether the people linked were told of it (publication and status changes).
    notified   BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX outcome_updates_by_outcome ON outcome_updates (outcome_id, created_at);

-- Who was told of which update: each address (or case, for webhooks) once per update.
CREATE TABLE outcome_notices (
    update_id  BLOB NOT NULL REFERENCES outcome_updates (id) ON DELETE CASCADE,
    recipient  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (update_id, recipient)
);

-- Addresses that asked never to hear about outcomes again (lower-cased).
CREATE TABLE outcome_optouts (
    email      TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
);

-- One-click unsubscribe links sent with outcome emails (only the SHA-256 of the token).
CREATE TABLE outcome_unsubscribes (
    token_hash TEXT PRIMARY KEY NOT NULL,
    email      TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The one-click unsubscribe address of a message (RFC 8058), sent as List-Unsubscribe.
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT;
-- Who is sending a message, until when: each message is claimed by one server (issue 17 §3).
ALTER TABLE outbox ADD COLUMN claimed_until TEXT;
