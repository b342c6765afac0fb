-- Changes to a survey participants can see (scheduled, open or closed) wait here as a draft of
-- its next version until an author publishes them (issue 21 §1); NULL when there are none.
ALTER TABLE surveys ADD COLUMN draft TEXT;
-- Counts every change to the draft (saved or discarded), so two authors never
-- overwrite each other's staged edits.
ALTER TABLE surveys ADD COLUMN draft_revision INTEGER NOT NULL DEFAULT 0;
