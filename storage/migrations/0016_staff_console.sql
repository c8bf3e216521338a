-- The staff web console. Staff sign in without passwords: a one-time code sent to their
-- work e-mail address, then (always for admins) a time-based code from an authenticator
-- app. Nothing secret is kept in the clear: sessions, codes and recovery codes only as
-- hashes, the authenticator secret and the address itself sealed with the data key.
CREATE TABLE console_staff_email (
    user_id INTEGER PRIMARY KEY REFERENCES staff (user_id) ON DELETE CASCADE,
    email_hash TEXT NOT NULL UNIQUE,
    email BLOB NOT NULL
);

CREATE TABLE console_sessions (
    id TEXT PRIMARY KEY,
    user_id INTEGER,
    stage TEXT NOT NULL CHECK (stage IN ('code', 'second', 'enrol', 'full')),
    role TEXT,
    services TEXT NOT NULL DEFAULT '',
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX console_sessions_user ON console_sessions (user_id);

CREATE TABLE console_codes (
    id INTEGER PRIMARY KEY,
    session_id TEXT,
    user_id INTEGER,
    purpose TEXT NOT NULL CHECK (purpose IN ('email', 'welcome')),
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    tries INTEGER NOT NULL DEFAULT 0,
    used_at TEXT
);
CREATE INDEX console_codes_session ON console_codes (session_id);
CREATE INDEX console_codes_user ON console_codes (user_id, created_at);

CREATE TABLE console_totp (
    user_id INTEGER PRIMARY KEY REFERENCES staff (user_id) ON DELETE CASCADE,
    secret BLOB NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE console_recovery_codes (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES staff (user_id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX console_recovery_user ON console_recovery_codes (user_id);

CREATE TABLE console_concern_notes (
    id INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES concerns (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL,
    at TEXT NOT NULL,
    note BLOB NOT NULL
);
CREATE INDEX console_concern_notes_concern ON console_concern_notes (concern_id);

CREATE TABLE console_looks (
    user_id INTEGER PRIMARY KEY,
    at TEXT NOT NULL
);

-- Single sign-on in progress: the state sent to the organisation's provider (as a hash),
-- the browser that started it (a hash of its cookie), and the nonce and PKCE verifier
-- that the answer must match. Used once, within 10 minutes.
CREATE TABLE console_sso (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    nonce TEXT NOT NULL,
    verifier BLOB NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
