-- Backups and exports made from the database, and the interviews each holds, so that an
-- erasure can mark the copies that still hold the erased interview as out of date.
CREATE TABLE copies (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('backup', 'export')),
    path TEXT NOT NULL,
    made_at TEXT NOT NULL,
    stale_at TEXT
);
CREATE TABLE copy_interviews (
    copy_id INTEGER NOT NULL REFERENCES copies (id) ON DELETE CASCADE,
    interview_id TEXT NOT NULL,
    PRIMARY KEY (copy_id, interview_id)
);
CREATE INDEX copy_interviews_interview ON copy_interviews (interview_id);

-- A message to staff about an interview (a task's announcement or reminder, which may hold
-- a call-back's phone number) names it, so that erasing the interview removes it unsent.
ALTER TABLE outbox ADD COLUMN about_interview TEXT REFERENCES interviews (id);
CREATE INDEX outbox_about ON outbox (about_interview) WHERE about_interview IS NOT NULL;
