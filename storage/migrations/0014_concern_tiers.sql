-- Two tiers of concern. Red: staff are alerted at once and again until someone
-- acknowledges it by name. Amber: a possible concern that a person reads today (a task
-- and one digest a day), never an urgent push. The tier stays plain like the severity,
-- because the alerting loop chooses by it; the span of the words that raised a concern is
-- sealed with the rest of what the concern is about (in `detail`).
ALTER TABLE concerns ADD COLUMN tier TEXT NOT NULL DEFAULT 'red'
    CHECK (tier IN ('red', 'amber'));

-- What staff decided about an amber concern: raised to red, or closed with a reason.
-- Who and when are plain for the audit; the reason is sealed, as it may describe the person.
ALTER TABLE concerns ADD COLUMN decision TEXT CHECK (decision IN ('raised', 'closed'));
ALTER TABLE concerns ADD COLUMN decided_by INTEGER;
ALTER TABLE concerns ADD COLUMN decided_at TEXT;
ALTER TABLE concerns ADD COLUMN decision_reason BLOB;
CREATE INDEX concerns_tier ON concerns (tier, acknowledged_at);

-- The daily digest of open amber concerns goes once a day, even across restarts: the day
-- (local date) is claimed before it is sent.
CREATE TABLE amber_digests (
    day TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL,
    concerns INTEGER NOT NULL DEFAULT 0
);

-- One "read the free text" task per interview, like the read task.
CREATE UNIQUE INDEX tasks_one_free_text ON tasks (interview_id, kind)
    WHERE kind = 'read_free_text';
