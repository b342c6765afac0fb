-- Results (issue 6): running aggregates written in the same transaction as the responses they
-- count, a narrow coded copy of each response for crosstabs and filtered views, how long each
-- response took, representativeness targets, and the author's switch for public results.
-- What a cell means is documented in app/src/results/rules.rs.

-- Whether the survey's results are published at /{lang}/results/{key}.
ALTER TABLE surveys ADD COLUMN results_public BOOLEAN NOT NULL DEFAULT FALSE;
-- Seconds from the form's first page to sending (NULL when unknown: API, staff entry).
ALTER TABLE responses ADD COLUMN duration_s INTEGER;
-- A survey's responses in storage order: exports and `verify` walk them a page at a time.
CREATE INDEX responses_by_survey_and_id ON responses (survey_id, id);

-- Running counts: how many responses gave `value` (for `item`) to `question`, per wave number
-- (0 when the survey is not periodic), UTC day, stakeholder group and channel; `total` sums
-- numeric answers (and completion seconds). `question` '' holds the per-response facts.
CREATE TABLE result_counts (
    survey_id         BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave              INTEGER NOT NULL,
    question          TEXT NOT NULL,
    item              TEXT NOT NULL,
    value             TEXT NOT NULL,
    day               TEXT NOT NULL,
    stakeholder_group TEXT NOT NULL,
    channel           TEXT NOT NULL,
    n                 INTEGER NOT NULL,
    total             REAL NOT NULL,
    PRIMARY KEY (survey_id, wave, question, item, value, day, stakeholder_group, channel)
) WITHOUT ROWID;

-- The same counts added up over days, groups and channels: what an unfiltered (or per-wave)
-- dashboard and the trends read, a few thousand rows whatever the number of responses.
CREATE TABLE result_totals (
    survey_id BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave      INTEGER NOT NULL,
    question  TEXT NOT NULL,
    item      TEXT NOT NULL,
    value     TEXT NOT NULL,
    n         INTEGER NOT NULL,
    total     REAL NOT NULL,
    PRIMARY KEY (survey_id, wave, question, item, value)
) WITHOUT ROWID;

-- Each response's countable answers in a compact form (rules.rs, `encode`), clustered by
-- survey so a crosstab reads a few dozen bytes per response instead of its JSON.
CREATE TABLE result_rows (
    survey_id         BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    wave              INTEGER NOT NULL,
    day               TEXT NOT NULL,
    response_id       BLOB NOT NULL REFERENCES responses (id) ON DELETE CASCADE,
    stakeholder_group TEXT NOT NULL,
    channel           TEXT NOT NULL,
    codes             TEXT NOT NULL,
    -- Single-valued and multiple-choice answers only (`;q=v;`, rules.rs `choices`): what
    -- crosstabs pick answers out of.
    choices           TEXT NOT NULL,
    PRIMARY KEY (survey_id, wave, day, response_id)
) WITHOUT ROWID;

-- A response's codes by its id (verify reads them in response order; deleting a response
-- finds its row).
CREATE INDEX result_rows_by_response ON result_rows (response_id);

-- The share (percent) of responses the author wants from each stakeholder group (policy 6.4).
CREATE TABLE result_targets (
    survey_id         BLOB NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    stakeholder_group TEXT NOT NULL,
    share             REAL NOT NULL,
    PRIMARY KEY (survey_id, stakeholder_group)
) WITHOUT ROWID;
