-- The human loop after an interview. Every follow-up a person owes is a task: read a
-- finished interview, call back someone who asked to talk, agree who may read a "fewer
-- people" interview, respond to a recommendation, send by hand what the bot could not.
-- A task is owned by one registered member of staff (owner_user_id) or by a role at a
-- home or service (owner_role, service); reminders go to the owner, escalation to admins.
CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    interview_id TEXT REFERENCES interviews (id),
    recommendation_id INTEGER REFERENCES recommendations (id),
    service TEXT,
    owner_user_id INTEGER,
    owner_role TEXT,
    detail BLOB,
    due_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    announced_at TEXT,
    last_reminded_at TEXT,
    escalated_at TEXT,
    closed_at TEXT,
    closed_by TEXT,
    close_note BLOB
);
CREATE INDEX tasks_open ON tasks (closed_at, due_at);
CREATE INDEX tasks_interview ON tasks (interview_id, kind);
CREATE UNIQUE INDEX tasks_one_per_interview ON tasks (interview_id, kind)
    WHERE kind IN ('read', 'agree_readers');

-- Who may read a "fewer people" interview besides the admins: its assigned reviewer, and
-- the readers an admin has agreed with the young person.
ALTER TABLE interviews ADD COLUMN assigned_reviewer INTEGER;
ALTER TABLE interviews ADD COLUMN readers_agreed_at TEXT;
CREATE TABLE interview_readers (
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    user_id INTEGER NOT NULL,
    PRIMARY KEY (interview_id, user_id)
);

-- What the reviewing officer decided once they had read it.
ALTER TABLE interviews ADD COLUMN decision TEXT;
ALTER TABLE interviews ADD COLUMN decided_by TEXT;
ALTER TABLE interviews ADD COLUMN decided_at TEXT;

-- A recommendation is addressed to a registered member of staff, or to a role at a home
-- or service; addressed_to keeps the words shown for it.
ALTER TABLE recommendations ADD COLUMN addressee_user_id INTEGER;
ALTER TABLE recommendations ADD COLUMN addressee_role TEXT;
ALTER TABLE recommendations ADD COLUMN addressee_service TEXT;

-- Messages staff write to the person (thanks and feedback, or a reply to "talk to a
-- person"), delivered by the bot into the person's chat, and whether they arrived.
CREATE TABLE thank_yous (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    purpose TEXT NOT NULL DEFAULT 'thanks' CHECK (purpose IN ('thanks', 'message')),
    body BLOB NOT NULL,
    written_by TEXT NOT NULL,
    written_at TEXT NOT NULL,
    outbox_id INTEGER,
    delivered_at TEXT,
    failed_at TEXT,
    failure TEXT
);
CREATE INDEX thank_yous_outbox ON thank_yous (outbox_id);

-- Interviews that finished before tasks existed were read the old way: their read tasks
-- are recorded as closed, so upgrading does not flood staff with old notifications.
INSERT INTO tasks (ref, kind, interview_id, service, owner_role, due_at, created_at,
                   announced_at, closed_at, closed_by, close_note)
    SELECT 't-' || lower(hex(randomblob(4))), 'read', id, service, 'reviewer',
           COALESCE(finished_at, updated_at), COALESCE(finished_at, updated_at),
           COALESCE(finished_at, updated_at), COALESCE(finished_at, updated_at),
           'operator:upgrade', NULL
    FROM interviews WHERE status IN ('completed', 'stopped');
