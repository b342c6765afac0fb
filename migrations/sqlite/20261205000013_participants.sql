-- Participants (issue 15): people who sign in with their email (a one-time link or code, no
-- password) to follow what they sent and, later, to comment. Not staff: their own tables and
-- their own session cookie, so no staff permission is reachable with a participant session.
CREATE TABLE participants (
    id                BLOB PRIMARY KEY NOT NULL,
    -- Lower-cased; the address sign-in links go to.
    email             TEXT NOT NULL UNIQUE,
    -- The name others see next to what the participant publishes (empty until chosen).
    display_name      TEXT NOT NULL,
    language          TEXT NOT NULL CHECK (language IN ('ar', 'en')),
    stakeholder_group TEXT,
    created_at        TEXT NOT NULL
);

-- A sign-in sent by email: a link (its token) and a six-digit code, both stored hashed, good
-- for a short time and once; a code allows a few attempts.
CREATE TABLE participant_sign_ins (
    id          BLOB PRIMARY KEY NOT NULL,
    email       TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    code_hash   TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('ar', 'en')),
    -- Where to go once signed in (a path on this site).
    next_path   TEXT,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX participant_sign_ins_by_email ON participant_sign_ins (email, created_at);

CREATE TABLE participant_sessions (
    token_hash     TEXT PRIMARY KEY NOT NULL,
    participant_id BLOB NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL
);
CREATE INDEX participant_sessions_by_participant ON participant_sessions (participant_id);

-- Feedback sent while signed in is the participant's: listed in their account.
ALTER TABLE feedback_cases ADD COLUMN participant_id BLOB REFERENCES participants (id) ON DELETE SET NULL;
CREATE INDEX feedback_cases_by_participant ON feedback_cases (participant_id, received_at);
