-- The web chat: a browser that has opened an invitation holds a session (its cookie is
-- kept only as a hash). The session is the browser's chat with the interview; the page it
-- was last shown is kept so a reload shows it again.
CREATE TABLE web_sessions (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    chat_id INTEGER NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    ended_at TEXT,
    hidden INTEGER NOT NULL DEFAULT 0,
    last_page BLOB
);
CREATE INDEX web_sessions_interview ON web_sessions (interview_id);
CREATE INDEX web_sessions_chat ON web_sessions (chat_id);
