-- Voice answers: the audio of a voice note given at a free-text question, encrypted like
-- any answer. Nothing checks audio for signs of risk, so each is listened to by a person;
-- listened_at says when one first did.
CREATE TABLE voice_answers (
    id TEXT PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    seconds INTEGER,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    listened_at TEXT,
    listened_by TEXT
);
CREATE INDEX voice_answers_interview ON voice_answers (interview_id);
