-- Surveys, their saved versions and periodic waves; participation opportunities; responses.
-- A survey's definition (sections, questions, conditions) is one JSON document
-- (app/src/surveys/model.rs, format "sharek-survey/1").
CREATE TABLE surveys (
    id          BLOB PRIMARY KEY NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('draft', 'scheduled', 'open', 'closed', 'archived')),
    opens_at    TEXT,
    closes_at   TEXT,
    recurrence  TEXT CHECK (recurrence IN ('monthly', 'quarterly', 'half_yearly', 'yearly')),
    wave_days   INTEGER,
    definition  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_by  BLOB REFERENCES users (id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX surveys_by_status ON surveys (status);

-- Every saved version of a definition: wording fixes after publishing stay traceable.
CREATE TABLE survey_versions (
    survey_id  BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    definition TEXT NOT NULL,
    saved_at   TEXT NOT NULL,
    saved_by   BLOB REFERENCES users (id),
    PRIMARY KEY (survey_id, version)
);

-- One occurrence of a periodic survey. The unique number makes wave creation idempotent when
-- several app servers run the scheduler at once.
CREATE TABLE survey_waves (
    id         BLOB PRIMARY KEY NOT NULL,
    survey_id  BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    opens_at   TEXT NOT NULL,
    closes_at  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (survey_id, number)
);

-- A participation opportunity (MISSION §8): a survey, consultation, workshop or event.
CREATE TABLE opportunities (
    id         BLOB PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('survey', 'consultation', 'workshop', 'event')),
    survey_id  BLOB UNIQUE REFERENCES surveys (id) ON DELETE CASCADE,
    title_ar   TEXT NOT NULL DEFAULT '',
    title_en   TEXT NOT NULL DEFAULT '',
    summary_ar TEXT NOT NULL DEFAULT '',
    summary_en TEXT NOT NULL DEFAULT '',
    body_ar    TEXT NOT NULL DEFAULT '',
    body_en    TEXT NOT NULL DEFAULT '',
    topic      TEXT NOT NULL,
    -- Target stakeholder groups, comma-separated codes; empty means everyone.
    groups     TEXT NOT NULL DEFAULT '',
    starts_at  TEXT,
    ends_at    TEXT,
    location   TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    published  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX opportunities_by_dates ON opportunities (published, starts_at, ends_at);

-- A participant's answers to a survey (or one wave of it). Issue 5 adds collection.
CREATE TABLE responses (
    id                BLOB PRIMARY KEY NOT NULL,
    survey_id         BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave_id           BLOB REFERENCES survey_waves (id) ON DELETE CASCADE,
    survey_version    INTEGER NOT NULL,
    stakeholder_group TEXT NOT NULL,
    channel           TEXT NOT NULL,
    answers           TEXT NOT NULL,
    submitted_at      TEXT NOT NULL
);
CREATE INDEX responses_by_survey ON responses (survey_id, wave_id);
