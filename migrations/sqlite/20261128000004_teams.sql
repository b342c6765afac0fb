-- Specialist teams (e.g. by topic) whose members, responders, reply to feedback.
CREATE TABLE teams (
    id         BLOB PRIMARY KEY NOT NULL,
    name_ar    TEXT NOT NULL UNIQUE,
    name_en    TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id BLOB NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
