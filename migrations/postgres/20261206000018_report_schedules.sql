-- Periodic impact-review reports (issue 17 §4, MISSION.md §7.3: "periodic reports to the
-- concerned bodies"): an administrator schedules a report every month, quarter or year in a
-- language for a list of addresses; the scheduler makes each period's report once (the
-- archive's unique period per schedule is the claim, whatever the number of servers), keeps
-- it, and emails it as an attachment through the outbox.

CREATE TABLE report_schedules (
    id          UUID PRIMARY KEY NOT NULL,
    cadence     TEXT NOT NULL CHECK (cadence IN ('month', 'quarter', 'year')),
    lang        TEXT NOT NULL CHECK (lang IN ('ar', 'en')),
    -- The concerned bodies' addresses, one per line.
    recipients  TEXT NOT NULL,
    created_by  UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    -- A stopped schedule makes no more reports; its archive stays.
    stopped_at  TIMESTAMPTZ
);

CREATE TABLE report_archive (
    id          UUID PRIMARY KEY NOT NULL,
    schedule_id UUID NOT NULL REFERENCES report_schedules (id),
    period_from DATE NOT NULL,
    period_to   DATE NOT NULL,
    lang        TEXT NOT NULL,
    html        TEXT NOT NULL,
    -- NULL when Chromium could not print it (the HTML is sent instead).
    pdf         BYTEA,
    created_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (schedule_id, period_from)
);
CREATE INDEX report_archive_recent ON report_archive (created_at);

-- A file sent with a message (a report to the concerned bodies), shared by its recipients.
CREATE TABLE mail_attachments (
    id           UUID PRIMARY KEY NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BYTEA NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
ALTER TABLE outbox ADD COLUMN attachment_id UUID REFERENCES mail_attachments (id);
