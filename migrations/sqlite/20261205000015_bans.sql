-- Bans with a reason and a duration, and their appeals (issue 15 §7, MISSION.md §3: "failure
-- to comply may result in the participant being banned"). A moderator bans a participant from
-- commenting (answering surveys stays open to them), citing one of the policy's categories and
-- a note they are shown; the participant may appeal once, and a different moderator upholds or
-- lifts the ban. Both outcomes are kept.
CREATE TABLE participant_bans (
    id                BLOB PRIMARY KEY NOT NULL,
    participant_id    BLOB NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    -- One of the policy's nine category keys.
    category          TEXT NOT NULL,
    -- Why, in the moderator's words; shown to the participant.
    note              TEXT NOT NULL,
    -- NULL: permanent.
    ends_at           TEXT,
    banned_by         BLOB NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL,
    -- Set when an appeal lifts the ban.
    lifted_at         TEXT,
    appeal_text       TEXT,
    appealed_at       TEXT,
    appeal_decision   TEXT CHECK (appeal_decision IN ('upheld', 'lifted')),
    appeal_note       TEXT,
    appeal_decided_by BLOB REFERENCES users (id),
    appeal_decided_at TEXT
);
CREATE INDEX participant_bans_by_participant ON participant_bans (participant_id, created_at);
CREATE INDEX participant_bans_by_appeal ON participant_bans (appeal_decision, appealed_at);
-- The moderation figures: decisions by when they were made.
CREATE INDEX comments_by_decision ON comments (decided_at);
