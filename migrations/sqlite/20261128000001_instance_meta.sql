-- Instance facts and one-off markers (set-up time, demo seeding).
CREATE TABLE instance_meta (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
