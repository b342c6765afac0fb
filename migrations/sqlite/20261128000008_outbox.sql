-- Email waiting for the SMTP relay (`--smtp-url`): invitations now, notifications later.
-- A sent message's body is cleared (an invitation's link is a secret).
CREATE TABLE outbox (
    id         BLOB PRIMARY KEY NOT NULL,
    to_address TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    sent_at    TEXT,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, created_at);
