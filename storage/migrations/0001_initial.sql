-- The first schema. Free text (answers, transcript lines, engine state, names) is stored
-- encrypted in BLOB columns; nothing a person wrote is ever in a TEXT column.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE staff (
    user_id INTEGER PRIMARY KEY,
    name BLOB NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('interviewer', 'reviewer', 'admin')),
    added_at TEXT NOT NULL,
    removed_at TEXT
);

CREATE TABLE staff_services (
    user_id INTEGER NOT NULL REFERENCES staff (user_id) ON DELETE CASCADE,
    service TEXT NOT NULL,
    PRIMARY KEY (user_id, service)
);

CREATE TABLE interviews (
    id TEXT PRIMARY KEY,
    flow_id TEXT NOT NULL,
    flow_version TEXT NOT NULL,
    display_name BLOB NOT NULL,
    service TEXT,
    language TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL CHECK (status IN ('invited', 'consented', 'in_progress', 'paused',
        'completed', 'stopped', 'declined', 'expired', 'erased')),
    state BLOB,
    chat_id INTEGER,
    limited_circulation INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    started_at TEXT,
    consented_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL,
    due_at TEXT,
    erased_at TEXT
);
CREATE INDEX interviews_chat ON interviews (chat_id, created_at);
CREATE INDEX interviews_due ON interviews (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX interviews_service ON interviews (service, status);

CREATE TABLE invitations (
    token_hash TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by_chat INTEGER
);
CREATE INDEX invitations_interview ON invitations (interview_id);

CREATE TABLE answers (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    question_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('answered', 'changed', 'skipped', 'cleared')),
    value BLOB,
    recorded_at TEXT NOT NULL
);
CREATE INDEX answers_interview ON answers (interview_id, question_id, id);

CREATE TABLE transcript (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    at TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX transcript_interview ON transcript (interview_id, id);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    type TEXT NOT NULL,
    at TEXT NOT NULL,
    question_id TEXT
);
CREATE INDEX events_interview ON events (interview_id, id);

CREATE TABLE concerns (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    question_id TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('answer', 'phrase')),
    answer TEXT,
    raised_at TEXT NOT NULL,
    last_alerted_at TEXT,
    acknowledged_at TEXT,
    acknowledged_by INTEGER
);
CREATE INDEX concerns_open ON concerns (acknowledged_at, last_alerted_at);

CREATE TABLE concern_alerts (
    id INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES concerns (id),
    user_id INTEGER NOT NULL,
    sent_at TEXT NOT NULL
);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    interview_id TEXT REFERENCES interviews (id),
    chat_id INTEGER,
    payload BLOB,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_unsent ON outbox (sent_at, id);

CREATE TABLE processed_updates (
    update_id INTEGER PRIMARY KEY,
    handled_at TEXT NOT NULL
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    interview_id TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_interview ON audit (interview_id);
