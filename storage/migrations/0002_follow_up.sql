-- Follow-up after an interview: the recommendations the reviewing officer makes, the
-- responses of those they are addressed to, and the letter thanking the young person.
CREATE TABLE recommendations (
    id INTEGER PRIMARY KEY,
    interview_id TEXT NOT NULL REFERENCES interviews (id),
    body BLOB NOT NULL,
    addressed_to TEXT NOT NULL,
    due_on TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_reminded_at TEXT
);
CREATE INDEX recommendations_interview ON recommendations (interview_id);

CREATE TABLE recommendation_responses (
    id INTEGER PRIMARY KEY,
    recommendation_id INTEGER NOT NULL REFERENCES recommendations (id),
    body BLOB NOT NULL,
    responded_by TEXT NOT NULL,
    responded_at TEXT NOT NULL
);
CREATE INDEX responses_recommendation ON recommendation_responses (recommendation_id);

ALTER TABLE interviews ADD COLUMN thanked_at TEXT;
ALTER TABLE interviews ADD COLUMN thanked_by TEXT;
