-- Addresses to tell once when a periodic survey's next round opens (issue 21 §2): left on the
-- survey's page between rounds; the scheduler emails each in its language when a round is open
-- and deletes it in the same transaction. Nothing links an address to any answer.
CREATE TABLE wave_watchers (
    survey_id  BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    locale     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (survey_id, email)
);
