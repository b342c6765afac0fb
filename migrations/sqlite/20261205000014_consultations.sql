-- Consultations people comment on, and their moderation (issue 15 §2–§6, MISSION.md §1, §3,
-- §6.2). A consultation opportunity carries a document in sections; signed-in participants
-- comment on the whole document or a section and reply one level; staff answer as the
-- ministry. Every comment is screened before publication: clean ones publish, suspected ones
-- are held for a moderator, who publishes or hides them citing a policy category.

CREATE TABLE consultation_sections (
    id             BLOB PRIMARY KEY NOT NULL,
    opportunity_id BLOB NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    -- Order in the document (1, 2, …), kept gap-free by the code.
    position       INTEGER NOT NULL,
    heading_ar     TEXT NOT NULL,
    heading_en     TEXT NOT NULL,
    body_ar        TEXT NOT NULL,
    body_en        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX consultation_sections_by_opportunity ON consultation_sections (opportunity_id, position);

CREATE TABLE comments (
    id             BLOB PRIMARY KEY NOT NULL,
    opportunity_id BLOB NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    -- NULL: on the whole document.
    section_id     BLOB REFERENCES consultation_sections (id) ON DELETE SET NULL,
    -- A reply's comment (one level: a reply's parent is never a reply).
    parent_id      BLOB REFERENCES comments (id) ON DELETE CASCADE,
    -- The participant who wrote it; NULL once they delete their account ("a former participant")
    -- and for the ministry's official replies.
    participant_id BLOB REFERENCES participants (id) ON DELETE SET NULL,
    -- The staff member who answered as the ministry (official replies only).
    staff_id       BLOB REFERENCES users (id),
    body           TEXT NOT NULL,
    -- The language it is written in, as screening read it: 'ar' or 'en'.
    lang           TEXT NOT NULL CHECK (lang IN ('ar', 'en')),
    state          TEXT NOT NULL CHECK (state IN ('published', 'held', 'hidden')),
    -- Why a moderator hid it: one of the policy's nine category keys.
    hidden_category TEXT,
    -- What screening found, as JSON: {"categories": [...], "personal_data": [...],
    -- "reasons": [{"finding", "start", "end", "matched", "rule"}]}; '' when nothing.
    screening      TEXT NOT NULL,
    -- Held by screening or by flags: 'screening', 'flags'; NULL when never held.
    held_by        TEXT,
    helpful        INTEGER NOT NULL DEFAULT 0,
    flags          INTEGER NOT NULL DEFAULT 0,
    -- Bumped by every moderation decision: two moderators acting at once, one wins.
    version        INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    decided_at     TEXT,
    decided_by     BLOB REFERENCES users (id)
);
-- A page of a consultation's top-level comments, newest first (whole or per section).
CREATE INDEX comments_by_opportunity ON comments (opportunity_id, parent_id, state, created_at, id);
CREATE INDEX comments_by_section ON comments (section_id, parent_id, state, created_at, id);
CREATE INDEX comments_by_parent ON comments (parent_id, created_at);
-- The moderation queue, oldest first.
CREATE INDEX comments_by_state ON comments (state, created_at, id);
-- A participant's comments (their account; the per-participant rate limit).
CREATE INDEX comments_by_participant ON comments (participant_id, created_at);

CREATE TABLE comment_helpful (
    comment_id     BLOB NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id BLOB NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (comment_id, participant_id)
);

CREATE TABLE comment_flags (
    comment_id     BLOB NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    participant_id BLOB NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    category       TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (comment_id, participant_id)
);
