-- Response collection (issue 5): a survey's public address and identity mode; where each
-- response came from; drafts of unfinished responses; single-use invitations; contact
-- addresses kept apart from the answers.

-- The public address `/{lang}/s/{slug}`; a survey without one is reached by its id.
ALTER TABLE surveys ADD COLUMN slug TEXT;
CREATE UNIQUE INDEX surveys_by_slug ON surveys (slug);
-- 'anonymous' (the default) or 'invitation' (one response per single-use link).
ALTER TABLE surveys ADD COLUMN identity_mode TEXT NOT NULL DEFAULT 'anonymous'
    CHECK (identity_mode IN ('anonymous', 'invitation'));

-- The id the form (or API caller) generated: a retried or repeated submission is stored once.
ALTER TABLE responses ADD COLUMN submission_id UUID;
CREATE UNIQUE INDEX responses_by_submission ON responses (submission_id);
-- The channel's detail: the partner code, the social source, or how staff took it down.
ALTER TABLE responses ADD COLUMN source TEXT;
-- The staff member who entered a response on someone's behalf (channel 'assisted').
ALTER TABLE responses ADD COLUMN entered_by UUID REFERENCES users (id);

-- An unfinished response, saved after each page. Its id is the submission id, which only the
-- participant holds (in the form and in the resume link). Deleted when the response is stored.
CREATE TABLE response_drafts (
    id            UUID PRIMARY KEY NOT NULL,
    survey_id     UUID NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    answers       TEXT NOT NULL,
    -- The furthest page (section index) reached.
    reached       INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    source        TEXT,
    invitation    TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX response_drafts_by_age ON response_drafts (updated_at);

-- A single-use invitation to a survey in invitation mode. Only the link's SHA-256 is kept;
-- a used invitation records the day, never which response it gave.
CREATE TABLE survey_invitations (
    id         UUID PRIMARY KEY NOT NULL,
    survey_id  UUID NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL,
    used_on    TEXT,
    UNIQUE (survey_id, email)
);

-- Participants who asked to hear back, kept apart from the answers (no link to a response).
CREATE TABLE survey_contacts (
    survey_id  UUID NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    locale     TEXT NOT NULL,
    created_on TEXT NOT NULL,
    PRIMARY KEY (survey_id, email)
);
