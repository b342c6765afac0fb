-- The staff feedback list at scale (issue 16): each of the list's usual filters walks an index
-- in the list's own order (owed, waiting, done; then due), so a page never sorts or scans every
-- case. The queue index carries the other filters' columns, so a filter without an index of its
-- own (channel, group, topic) is checked in the index before a case's row is read.
DROP INDEX feedback_cases_by_queue;
DROP INDEX feedback_cases_by_due;
DROP INDEX feedback_cases_by_team;
CREATE INDEX feedback_cases_by_queue ON feedback_cases (queue, due_at, id)
    INCLUDE (state, channel, stakeholder_group, topic, team_id, assignee_id);
CREATE INDEX feedback_cases_by_state ON feedback_cases (state, queue, due_at, id);
CREATE INDEX feedback_cases_by_team ON feedback_cases (team_id, queue, due_at, id);
CREATE INDEX feedback_cases_by_assignee ON feedback_cases (assignee_id, queue, due_at, id);
