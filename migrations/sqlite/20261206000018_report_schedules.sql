-- Periodic impact-review reports (issue 17 §4, MISSION.md §7.3: "periodic reports to the
-- concerned bodies"): an administrator schedules a report every month, quarter or year in a
-- language for a list of addresses; the scheduler makes each period's report once (the
-- archive's unique period per schedule is the claim, whatever the number of servers), keeps
-- it, and emails it as an attachment through the outbox.

CREATE TABLE report_schedules (
    id          BLOB PRIMARY KEY NOT NULL,
    cadence     TEXT NOT NULL CHECK (cadence IN ('month', 'quarter', 'year')),
    lang        TEXT NOT NULL CHECK (lang IN ('ar', 'en')),
    -- The concerned bodies' addresses, one per line.
    recipients  TEXT NOT NULL,
    created_by  BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    -- A stopped schedule makes no more reports; its archive stays.
    stopped_at  TEXT
);

CREATE TABLE report_archive (
    id          BLOB PRIMARY KEY NOT NULL,
    schedule_id BLOB NOT NULL REFERENCES report_schedules (id),
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL,
    lang        TEXT NOT NULL,
    html        TEXT NOT NULL,
    -- NULL when Chromium could not print it (the HTML is sent instead).
    pdf         BLOB,
    created_at  TEXT NOT NULL,
    UNIQUE (schedule_id, period_from)
);
CREATE INDEX report_archive_recent ON report_archive (created_at);

-- A file sent with a message (a report to the concerned bodies), shared by its recipients.
CREATE TABLE mail_attachments (
    id           BLOB PRIMARY KEY NOT NULL,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN attachment_id BLOB REFERENCES mail_attachments (id);
