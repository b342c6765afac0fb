-- Participants who follow a consultation (issue 15 §1, issue 17 §2): they hear, once per
-- change, when an outcome of it is published or its status changes. Deleting the account or
-- the consultation removes the row.
CREATE TABLE consultation_followers (
    opportunity_id UUID NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    participant_id UUID NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (opportunity_id, participant_id)
);
CREATE INDEX consultation_followers_by_participant ON consultation_followers (participant_id);
