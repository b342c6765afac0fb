-- Crosstab counts (issue 6): how many responses gave answer `x` to question `a` and answer
-- `y` to question `b` (a < b; a multiple-choice answer counts under each choice picked), per
-- wave. Responses wait in `result_unfolded` (written with them) until the server folds them
-- into `result_pairs` (`results::db::fold`, every two seconds), so a crosstab of two
-- questions adds up these counts and reads only the responses still waiting.

CREATE TABLE result_pairs (
    survey_id UUID NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    a         TEXT NOT NULL,
    b         TEXT NOT NULL,
    wave      INTEGER NOT NULL,
    x         TEXT NOT NULL,
    y         TEXT NOT NULL,
    n         BIGINT NOT NULL,
    PRIMARY KEY (survey_id, a, b, wave, x, y)
)
-- Every fold updates most of these rows: room on each page keeps the updates in place (HOT),
-- so the key index does not grow with every fold between vacuums.
WITH (fillfactor = 50);

-- Responses not yet in `result_pairs`, with their wave and choices (as in `result_rows`): a
-- few seconds' worth, however many responses a survey has.
CREATE TABLE result_unfolded (
    survey_id   UUID NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
    response_id UUID NOT NULL,
    wave        INTEGER NOT NULL,
    choices     TEXT NOT NULL,
    PRIMARY KEY (survey_id, response_id)
);

-- Responses stored before this version wait to be folded like new ones.
INSERT INTO result_unfolded (survey_id, response_id, wave, choices)
SELECT survey_id, response_id, wave, choices FROM result_rows;
