-- Failed sign-in attempts, for throttling (kept a day).
CREATE TABLE login_failures (
    at      TIMESTAMPTZ NOT NULL,
    email   TEXT NOT NULL,
    address TEXT NOT NULL
);
CREATE INDEX login_failures_by_email ON login_failures (email, at);
CREATE INDEX login_failures_by_address ON login_failures (address, at);
CREATE INDEX login_failures_by_time ON login_failures (at);
