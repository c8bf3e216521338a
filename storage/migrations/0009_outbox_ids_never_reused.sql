-- Outbox ids are never used twice. Delivered rows are deleted, and a plain INTEGER PRIMARY
-- KEY hands the highest free id out again, so a new message could take the id of one just
-- sent (and be mistaken for it), or of a concern alert whose delivery is still tracked in
-- concern_alerts.outbox_id. AUTOINCREMENT keeps counting up instead.
CREATE TABLE outbox_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    interview_id TEXT REFERENCES interviews (id),
    chat_id INTEGER,
    payload BLOB,
    created_at TEXT NOT NULL,
    sent_at TEXT,
    priority INTEGER NOT NULL DEFAULT 0
);
INSERT INTO outbox_new (id, interview_id, chat_id, payload, created_at, sent_at, priority)
    SELECT id, interview_id, chat_id, payload, created_at, sent_at, priority FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
CREATE INDEX outbox_chat ON outbox (chat_id, priority DESC, id);
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'outbox', MAX(COALESCE((SELECT MAX(id) FROM outbox), 0),
                         COALESCE((SELECT MAX(outbox_id) FROM concern_alerts), 0))
    WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'outbox');
UPDATE sqlite_sequence
    SET seq = MAX(seq, COALESCE((SELECT MAX(outbox_id) FROM concern_alerts), 0))
    WHERE name = 'outbox';
