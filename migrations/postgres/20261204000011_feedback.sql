-- Feedback and enquiries answered within a service level by the competent team, with
-- satisfaction ratings (issue 16; MISSION.md §7.1–7.2).

-- A team's lead assigns its cases and is told when one is overdue.
ALTER TABLE team_members ADD COLUMN lead BOOLEAN NOT NULL DEFAULT FALSE;

-- Where each topic's feedback goes and how fast it must be answered. A topic without a row
-- goes to no team (admins route it) with the default service level (72 elapsed hours).
CREATE TABLE feedback_topics (
    topic        TEXT PRIMARY KEY NOT NULL,
    team_id      UUID REFERENCES teams (id) ON DELETE SET NULL,
    sla_amount   INTEGER NOT NULL,
    sla_counting TEXT NOT NULL CHECK (sla_counting IN ('elapsed', 'working_hours', 'working_days')),
    updated_at   TIMESTAMPTZ NOT NULL
);

-- Public holidays (UAE local dates): no working time on them. Islamic holidays move each
-- year, so staff confirm the dates.
CREATE TABLE holidays (
    day     DATE PRIMARY KEY NOT NULL,
    name_ar TEXT NOT NULL,
    name_en TEXT NOT NULL
);

-- Case numbers: concurrent intakes each take the next one without retrying.
CREATE SEQUENCE feedback_case_numbers;

CREATE TABLE feedback_cases (
    id             UUID PRIMARY KEY NOT NULL,
    -- SHK-<year>-<number>: the number is unique across years.
    number         BIGINT NOT NULL UNIQUE,
    reference      TEXT NOT NULL UNIQUE,
    -- SHA-256 of the private tracking link's token.
    tracking_hash  TEXT NOT NULL UNIQUE,
    topic          TEXT NOT NULL,
    opportunity_id UUID REFERENCES opportunities (id) ON DELETE SET NULL,
    survey_id      UUID REFERENCES surveys (id) ON DELETE SET NULL,
    message        TEXT NOT NULL,
    language       TEXT NOT NULL CHECK (language IN ('ar', 'en')),
    stakeholder_group TEXT,
    channel        TEXT NOT NULL CHECK (channel IN ('web', 'phone', 'in_person', 'paper', 'social_media', 'partner')),
    reply_by       TEXT NOT NULL CHECK (reply_by IN ('email', 'web', 'phone', 'webhook')),
    name           TEXT NOT NULL,
    email          TEXT,
    phone          TEXT,
    -- The integration that brought the case in (an API token) and its idempotency key.
    token_id       UUID REFERENCES api_tokens (id) ON DELETE SET NULL,
    client_id      TEXT,
    webhook_url    TEXT,
    recorded_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    team_id        UUID REFERENCES teams (id) ON DELETE SET NULL,
    assignee_id    UUID REFERENCES users (id) ON DELETE SET NULL,
    state          TEXT NOT NULL CHECK (state IN ('new', 'assigned', 'waiting', 'answered', 'closed', 'reopened')),
    sla_amount     INTEGER NOT NULL,
    sla_counting   TEXT NOT NULL,
    received_at    TIMESTAMPTZ NOT NULL,
    due_at         TIMESTAMPTZ NOT NULL,
    remind_at      TIMESTAMPTZ NOT NULL,
    reminded_at    TIMESTAMPTZ,
    escalated_at   TIMESTAMPTZ,
    paused_at      TIMESTAMPTZ,
    first_reply_at TIMESTAMPTZ,
    closed_at      TIMESTAMPTZ,
    updated_at     TIMESTAMPTZ NOT NULL,
    -- The staff list's order: owed a reply (0), waiting for the participant (1), done (2).
    queue          INTEGER GENERATED ALWAYS AS (CASE WHEN state IN ('new', 'assigned', 'reopened') THEN 0
                       WHEN state = 'waiting' THEN 1 ELSE 2 END) STORED,
    UNIQUE (token_id, client_id)
);
CREATE INDEX feedback_cases_by_due ON feedback_cases (state, due_at);
CREATE INDEX feedback_cases_by_team ON feedback_cases (team_id, state, due_at);
CREATE INDEX feedback_cases_by_received ON feedback_cases (received_at);
CREATE INDEX feedback_cases_by_queue ON feedback_cases (queue, due_at, id);

-- A case's history: internal notes, replies to the participant, the participant's messages
-- (answers while the case waits for them), and what staff did.
CREATE TABLE feedback_entries (
    id          UUID PRIMARY KEY NOT NULL,
    case_id     UUID NOT NULL REFERENCES feedback_cases (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'reply', 'message', 'event')),
    author_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    team_id     UUID REFERENCES teams (id) ON DELETE SET NULL,
    body        TEXT NOT NULL,
    -- A reply's rating link token (SHA-256); for phone replies, when staff phoned back.
    rating_hash TEXT UNIQUE,
    done_at     TIMESTAMPTZ,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX feedback_entries_by_case ON feedback_entries (case_id, at);

-- One rating per reply, changeable for 14 days.
CREATE TABLE feedback_ratings (
    entry_id     UUID PRIMARY KEY NOT NULL REFERENCES feedback_entries (id) ON DELETE CASCADE,
    case_id      UUID NOT NULL REFERENCES feedback_cases (id) ON DELETE CASCADE,
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT NOT NULL,
    not_answered BOOLEAN NOT NULL,
    rated_at     TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX feedback_ratings_by_case ON feedback_ratings (case_id);

-- Replies owed to integrations: signed POSTs retried with backoff; the id is the delivery id.
CREATE TABLE webhook_deliveries (
    id              UUID PRIMARY KEY NOT NULL,
    case_id         UUID NOT NULL REFERENCES feedback_cases (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_deliveries_by_next ON webhook_deliveries (delivered_at, next_attempt_at);
